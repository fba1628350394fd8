"""Errors of the Zaken API as ZGW sends them: ``application/problem+json`` with ``type``, ``code``,
``title``, ``status``, ``detail`` and ``instance``; validation errors (400) add ``invalidParams``
[{name, code, reason}] with ZGW's codes (``required``, ``max_length``, ``invalid_choice``, ...)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ...domain.errors import DomainError
from ..problems import PROBLEM, TITLES

log = logging.getLogger("queue_ticketing.zaken")
API_VERSION = "1.5.1"

PYDANTIC_CODES = {"missing": "required", "string_too_long": "max_length", "string_too_short": "min_length",
                  "too_long": "max_length", "too_short": "min_length", "literal_error": "invalid_choice",
                  "enum": "invalid_choice", "string_pattern_mismatch": "invalid", "date_from_datetime_parsing":
                  "invalid", "date_parsing": "invalid", "datetime_parsing": "invalid",
                  "datetime_from_date_parsing": "invalid", "bool_parsing": "invalid", "int_parsing": "invalid",
                  "none_required": "invalid", "json_invalid": "parse_error", "string_type": "invalid",
                  "model_attributes_type": "invalid", "dict_type": "invalid", "list_type": "not_a_list",
                  "greater_than_equal": "min_value", "less_than_equal": "max_value"}
"""pydantic's error types → the codes Django REST framework (and so ZGW) gives."""


def zgw_problem(request: Request, status: int, code: str, detail: str,
                invalid_params: list[dict[str, Any]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": f"https://gastvrij.example/problems/{code}", "code": code,
                            "title": TITLES.get(status, "Error"), "status": status, "detail": detail,
                            "instance": f"urn:uuid:{uuid.uuid4()}"}
    if invalid_params is not None or status == 400:
        body["invalidParams"] = invalid_params or []
    headers = {"API-version": API_VERSION}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _name(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    # pydantic adds the tag of a union or literal branch; ZGW names the field only
    parts = [p for p in parts if not p.startswith(("function-", "literal[", "str", "int", "list["))]
    return ".".join(parts) or "nonFieldErrors"


def invalid_params(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"name": _name(tuple(error.get("loc", ()))), "code": PYDANTIC_CODES.get(error.get("type", ""), "invalid"),
             "reason": error.get("msg", "")} for error in exc.errors()]


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        params = exc.extra.get("invalid_params")
        return zgw_problem(request, exc.status, exc.code, exc.detail,
                           list(params) if isinstance(params, list) else None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return zgw_problem(request, 400, "invalid", "The request does not have the right fields or values.",
                           invalid_params(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != "Not Found" else "Not found."
        return zgw_problem(request, exc.status_code, code, detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return zgw_problem(request, 500, "internal_error", "Something went wrong on our side; please try again.")
