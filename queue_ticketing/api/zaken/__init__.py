"""The Zaken API subset (VNG ZGW Zaken API 1.5.1), a FastAPI application of its own mounted at
``/zaken/api/v1``: its own OpenAPI document (``/zaken/api/v1/schema/openapi.json``), JWT auth and
ZGW-style errors (400 with ``invalid_params`` for validation, ``application/problem+json``)."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from location_config.zaaktypes import ZaakCatalogue

from ...services.context import ServiceContext
from ...services.zgw_auth import ZgwAuthenticator
from .. import problems
from ..problems import problem
from . import routes

PREFIX = "/zaken/api/v1"
log = logging.getLogger("queue_ticketing.zaken")


def _invalid(exc: RequestValidationError) -> JSONResponse:
    """ZGW's answer to a request that fails validation: 400 with ``invalid_params``."""
    params = []
    for error in exc.errors():
        parts = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "header")]
        params.append({"name": ".".join(parts) or "nonFieldErrors", "code": error.get("type", "invalid"),
                       "reason": error.get("msg", "")})
    return problem(400, "invalid", "The request does not have the right fields or values.", invalid_params=params)


def create_zaken_app(ctx: ServiceContext, catalogue: ZaakCatalogue, public_url: str | None) -> FastAPI:
    app = FastAPI(title="Gastvrij Zaken API (subset of VNG ZGW Zaken API 1.5.1)", version="1.5.1",
                  description="zaken, statussen, rollen and resultaten of the city's cases. Auth: a JWT "
                              "(HS256; claims iss, iat, client_id) as `Authorization: Bearer`, with scopes per "
                              "zaaktype. Errors are application/problem+json.",
                  openapi_url="/schema/openapi.json", docs_url="/schema", redoc_url=None)
    app.state.ctx = ctx
    app.state.catalogue = catalogue
    app.state.public_url = public_url
    app.state.zgw = ZgwAuthenticator(ctx.db, ctx.clock)

    problems.install(app, invalid=_invalid, nothing_here="Not found.", logger=log)
    app.include_router(routes.router)
    return app
