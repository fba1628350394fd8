"""The Zaken API (VNG ZGW Zaken API 1.5.1) for zaken, statussen, resultaten and rollen: a FastAPI
application of its own mounted at ``/zaken/api/v1``, with its own OpenAPI document
(``/zaken/api/v1/schema/openapi.json``), JWT auth (security scheme ``JWT-Claims``) and ZGW's errors."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from ...services.catalogi import CaseTypes
from ...services.context import ServiceContext
from ...services.zgw_auth import ZgwAuthenticator
from . import problems
from .dependencies import PREFIX
from .routes import resultaten, rollen, statussen, zaken

__all__ = ["PREFIX", "create_zaken_app"]


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document plus ZGW's security scheme on every operation."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes,
                           servers=[{"url": PREFIX}])
    for operations in document.get("paths", {}).values():  # errors are problem+json only, as ZGW declares
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status[:1] in ("4", "5") and "application/problem+json" in content:
                    content.pop("application/json", None)
    document.setdefault("components", {})["securitySchemes"] = {
        "JWT-Claims": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    document["security"] = [{"JWT-Claims": []}]
    app.openapi_schema = document
    return document


def create_zaken_app(ctx: ServiceContext, types: CaseTypes, public_url: str | None, docs: bool = True) -> FastAPI:
    app = FastAPI(title="Gastvrij Zaken API (VNG ZGW Zaken API 1.5.1: zaken, statussen, resultaten, rollen)",
                  version="1.5.1",
                  description="The city's cases. Auth: a JWT (HS256; claims iss, iat, client_id) as "
                              "`Authorization: Bearer`, with scopes per zaaktype and a maximum level of "
                              "confidentiality. Errors are application/problem+json (ZGW's Fout and "
                              "ValidatieFout).",
                  openapi_url="/schema/openapi.json", docs_url="/schema" if docs else None, redoc_url=None)
    app.state.ctx = ctx
    app.state.case_types = types
    app.state.public_url = public_url
    app.state.zgw = ZgwAuthenticator(ctx.db, ctx.clock)
    problems.install(app)
    for module in (zaken, statussen, resultaten, rollen):
        app.include_router(module.router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app
