"""A read-only Catalogi API (VNG ZGW Catalogi API 1.x subset: catalogussen, zaaktypen, statustypen,
resultaattypen, roltypen) for the case types of ``zaaktypes.toml``, mounted at ``/catalogi/api/v1``, so
every type URL the Zaken API hands out resolves. Public: the types are no secret, and ZGW clients
resolve them before they have a reason to sign in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse

from location_config.zaaktypes import ZaakCatalogue

from ..domain.errors import NotFound
from ..services.catalogi import CATALOGI_PREFIX, uuid_in
from .catalogi_bodies import RESOURCES
from .zaken.problems import install as install_problems

PAGE_SIZE = 100
router = APIRouter()


def _root(request: Request) -> str:
    public = request.app.state.public_url
    return (public.rstrip("/") if public else f"{request.url.scheme}://{request.url.netloc}") + CATALOGI_PREFIX


def _matches(item: dict[str, Any], key: str, value: str) -> bool:
    if key in ("zaaktype", "catalogus"):  # a URL: compared by its uuid (proxies may change the host)
        kind = "zaaktypen" if key == "zaaktype" else "catalogussen"
        return uuid_in(value, kind) is not None and uuid_in(value, kind) == uuid_in(str(item.get(key)), kind)
    return str(item.get(key)) == value


def _filtered(items: Iterable[dict[str, Any]], request: Request) -> list[dict[str, Any]]:
    wanted = {k: v for k, v in request.query_params.items() if k in ("zaaktype", "catalogus", "identificatie",
                                                                    "omschrijvingGeneriek", "domein", "rsin")}
    return [item for item in items if all(_matches(item, k, v) for k, v in wanted.items())]


def _list(kind: str) -> Callable[..., JSONResponse]:
    def listing(request: Request, page: int = Query(1, ge=1, le=100_000)) -> JSONResponse:
        items = _filtered(RESOURCES[kind](_root(request), request.app.state.catalogue), request)
        if page > 1 and (page - 1) * PAGE_SIZE >= len(items):
            raise NotFound("There is no such page.")
        return JSONResponse({"count": len(items), "next": None if page * PAGE_SIZE >= len(items) else
                             f"{_root(request)}/{kind}?page={page + 1}",
                             "previous": None if page == 1 else f"{_root(request)}/{kind}?page={page - 1}",
                             "results": items[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]})

    listing.__doc__ = f"The {kind} of the configured case types (read only)."
    return listing


def _read(kind: str) -> Callable[..., JSONResponse]:
    def read(item_uuid: str, request: Request) -> JSONResponse:
        root = _root(request)
        for item in RESOURCES[kind](root, request.app.state.catalogue):
            if item["url"] == f"{root}/{kind}/{item_uuid.lower()}":
                return JSONResponse(item)
        raise NotFound(f"There is no such {kind[:-2] if kind.endswith('en') else kind}.")

    read.__doc__ = f"One of the {kind} (read only)."
    return read


for _kind in RESOURCES:
    router.add_api_route(f"/{_kind}", _list(_kind), methods=["GET"], tags=[_kind], name=f"list_{_kind}")
    router.add_api_route(f"/{_kind}/{{item_uuid}}", _read(_kind), methods=["GET"], tags=[_kind], name=f"read_{_kind}")


def create_catalogi_app(catalogue: ZaakCatalogue, public_url: str | None) -> FastAPI:
    app = FastAPI(title="Gastvrij Catalogi API (read-only subset of VNG ZGW Catalogi API 1.x)", version="1.3.1",
                  description="The case types of zaaktypes.toml: catalogussen, zaaktypen, statustypen, "
                              "resultaattypen, roltypen. Read only; no sign-in needed.",
                  openapi_url="/schema/openapi.json", docs_url="/schema", redoc_url=None)
    app.state.catalogue = catalogue
    app.state.public_url = public_url
    install_problems(app)
    app.include_router(router)
    return app
