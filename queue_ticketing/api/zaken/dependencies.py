"""What the Zaken API's routes need from a request: the service context, the case types, the
client behind the JWT, the public base URL, and ZGW's coordinate-system headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from anyio import from_thread
from fastapi import Depends, Header, Query, Request

from ...domain.errors import DomainError
from ...services.catalogi import CaseTypes
from ...services.context import ServiceContext
from ...services.group_commit import UnitOfWork
from ...services.zgw_auth import NotAuthenticated, ZgwClient

T = TypeVar("T")
PREFIX = "/zaken/api/v1"
PAGE_SIZE = 100
"""As ZGW: a fixed page size; ``page`` picks the page."""
CRS = "EPSG:4326"
"""The only coordinate reference system (WGS84), as in ZGW."""


class PreconditionFailed(DomainError):
    code = "missing-crs-header"
    status = 412


class CrsNotAcceptable(DomainError):
    code = "crs-not-supported"
    status = 406


class CrsNotSupported(DomainError):
    code = "crs-not-supported"
    status = 415


def _ctx(request: Request) -> ServiceContext:
    return request.app.state.ctx


def _types(request: Request) -> CaseTypes:
    return request.app.state.case_types


def _client(request: Request, authorization: Annotated[str | None, Header()] = None) -> ZgwClient:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Send a JWT as 'Authorization: Bearer <jwt>'.")
    return request.app.state.zgw.client(token.strip())


def write(ctx: ServiceContext, use_case: Callable[[UnitOfWork], T]) -> T:
    """Run a use case on the service's one write path (the group commit) from a route running in a
    worker thread, and wait for its result. The routes stay synchronous: checking a URL at another ZGW
    API is a blocking request, which must not hold the event loop."""
    return from_thread.run(ctx.write, use_case)


def root_url(request: Request) -> str:
    """The service's public address (``GASTVRIJ_PUBLIC_URL``, else the request's own)."""
    public = request.app.state.public_url
    return public.rstrip("/") if public else f"{request.url.scheme}://{request.url.netloc}"


def base_url(request: Request) -> str:
    return f"{root_url(request)}{PREFIX}"


def _accept_crs(accept_crs: Annotated[str | None, Header(alias="Accept-Crs")] = None) -> str:
    """ZGW: a request whose answer holds a geometry names its CRS (412 without, 406 for another)."""
    if accept_crs is None:
        raise PreconditionFailed("Send the header 'Accept-Crs: EPSG:4326'.")
    if accept_crs.strip() != CRS:
        raise CrsNotAcceptable(f"Only {CRS} (WGS84) is supported in Accept-Crs.")
    return CRS


def _content_crs(content_crs: Annotated[str | None, Header(alias="Content-Crs")] = None) -> str:
    """ZGW: a body that may hold a geometry names its CRS (412 without, 415 for another)."""
    if content_crs is None:
        raise PreconditionFailed("Send the header 'Content-Crs: EPSG:4326'.")
    if content_crs.strip() != CRS:
        raise CrsNotSupported(f"Only {CRS} (WGS84) is supported in Content-Crs.")
    return CRS


Ctx = Annotated[ServiceContext, Depends(_ctx)]
Types = Annotated[CaseTypes, Depends(_types)]
Client = Annotated[ZgwClient, Depends(_client)]
Base = Annotated[str, Depends(base_url)]
Root = Annotated[str, Depends(root_url)]
AcceptCrs = Annotated[str, Depends(_accept_crs)]
ContentCrs = Annotated[str, Depends(_content_crs)]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
Expand = Annotated[str | None, Query(max_length=500, description="Related resources to include in "
                                                                 "_expand, comma-separated (zaaktype, status, "
                                                                 "resultaat, rollen, hoofdzaak, deelzaken)")]
IfNoneMatch = Annotated[str | None, Header(alias="If-None-Match")]
