"""Every error leaves as application/problem+json (RFC 9457) with a stable ``code``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..domain.errors import DomainError

log = logging.getLogger("queue_ticketing.api")

PROBLEM = "application/problem+json"

TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Request too large", 415: "Unsupported media type",
          422: "Unprocessable request", 429: "Too many requests", 500: "Internal error",
          503: "Service unavailable"}


def problem(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": f"https://gastvrij.example/problems/{code}", "title": TITLES.get(status, "Error"),
            "status": status, "code": code, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"name": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "code": e.get("type", "invalid"),
             "reason": e.get("msg", "")} for e in exc.errors()]


def invalid_request(exc: RequestValidationError) -> JSONResponse:
    """The API's answer to a request that fails validation: 400 for a body that is not JSON, else 422."""
    errors = _validation_errors(exc)
    if any(e["code"] == "json_invalid" for e in errors):
        return problem(400, "malformed_json", "The request body is not valid JSON.", invalid_params=errors)
    return problem(422, "invalid_request", "The request does not have the right fields or values.",
                   invalid_params=errors)


def install(app: FastAPI, *, invalid: Callable[[RequestValidationError], JSONResponse] = invalid_request,
            nothing_here: str = "There is nothing at this address.", logger: logging.Logger = log) -> None:
    """Make every error of ``app`` leave as problem+json: domain errors with their code, validation
    errors as ``invalid`` says, HTTP errors with a stable code (``nothing_here`` for an unknown
    address), and anything unexpected as a 500 that is logged to ``logger``."""

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return problem(exc.status, exc.code, exc.detail, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return invalid(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
        if exc.status_code == 404 and detail == "Not Found":
            detail = nothing_here
        return problem(exc.status_code, code, detail)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("unexpected error")
        return problem(500, "internal_error", "Something went wrong on our side; please try again.")
