"""How the Zaken API answers: JSON with ZGW's headers (``API-version``, ``Content-Crs`` where a body
may hold a geometry, ``Location`` on 201, ``ETag`` with 304 for ``If-None-Match``), and the error
bodies each operation declares in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from ..problems import PROBLEM
from .dependencies import CRS
from .presenters import etag
from .problems import API_VERSION
from .schemas import Fout, ValidatieFout


def _problem(model: type[Fout], description: str) -> dict[str, Any]:
    return {"model": model, "description": description,
            "content": {PROBLEM: {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}


ERRORS: dict[int | str, dict[str, Any]] = {
    400: _problem(ValidatieFout, "Validation failed: invalidParams names each field, with ZGW's code"),
    401: _problem(Fout, "not_authenticated: no JWT, or not one signed by a known client"),
    403: _problem(Fout, "permission_denied: the client lacks the scope for this zaaktype or level"),
    404: _problem(Fout, "not_found"),
    406: _problem(Fout, "crs-not-supported: Accept-Crs names another CRS than EPSG:4326"),
    412: _problem(Fout, "missing-crs-header: Accept-Crs or Content-Crs is missing"),
    415: _problem(Fout, "crs-not-supported: Content-Crs names another CRS than EPSG:4326"),
    500: _problem(Fout, "internal_error"),
}


def zgw_json(body: Any, status: int = 200, crs: bool = False, etag_of: Any = None, if_none_match: str | None = None,
             request: Request | None = None, drop_empty_expand: bool = False) -> Response:
    headers = {"API-version": API_VERSION}
    if crs:
        headers["Content-Crs"] = CRS
    if status == 204:
        return Response(status_code=204, headers=headers)
    if drop_empty_expand and isinstance(body, dict):
        for item in body.get("results", []):
            if item.get("_expand") is None:
                item.pop("_expand", None)
    if etag_of is not None:
        tag = etag(etag_of)
        headers["ETag"] = tag
        if if_none_match and tag in [t.strip() for t in if_none_match.split(",")]:
            return Response(status_code=304, headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)


def head_of(response: Response) -> Response:
    """The answer to ``HEAD``: the status and headers of the ``GET`` answer (ETag among them), without
    its body or that body's length."""
    return Response(status_code=response.status_code,
                    headers={k: v for k, v in response.headers.items() if k.lower() != "content-length"})


def created(body: dict[str, Any], location: str, crs: bool = False) -> Response:
    response = zgw_json(body, status=201, crs=crs)
    response.headers["Location"] = location
    return response
