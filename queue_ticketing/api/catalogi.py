"""A read-only Catalogi API (VNG ZGW Catalogi API 1.x subset: catalogussen, zaaktypen, statustypen,
resultaattypen, roltypen) for the case types of ``zaaktypes.toml``, mounted at ``/catalogi/api/v1``, so
every type URL the Zaken API hands out resolves. Public: the types are no secret, and ZGW clients
resolve them before they have a reason to sign in."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse

from location_config.zaaktypes import ZaakCatalogue, Zaaktype

from ..domain.errors import NotFound
from ..services.catalogi import CATALOGI_PREFIX, uuid_in
from .zaken.problems import install as install_problems

PAGE_SIZE = 100
router = APIRouter()


def _root(request: Request) -> str:
    public = request.app.state.public_url
    return (public.rstrip("/") if public else f"{request.url.scheme}://{request.url.netloc}") + CATALOGI_PREFIX


def catalogus_uuid(catalogue: ZaakCatalogue) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, catalogue.catalogus))


def _days(days: int | None) -> str | None:
    return f"P{days}D" if days else None


def _zaaktype(root: str, catalogue: ZaakCatalogue, z: Zaaktype) -> dict[str, Any]:
    return {
        "url": f"{root}/zaaktypen/{z.uuid}", "identificatie": z.identificatie, "omschrijving": z.omschrijving,
        "omschrijvingGeneriek": "", "vertrouwelijkheidaanduiding": z.vertrouwelijkheidaanduiding,
        "doel": z.names.get("nl", z.omschrijving), "aanleiding": "", "toelichting": "",
        "indicatieInternOfExtern": "extern", "handelingInitiator": "", "onderwerp": z.omschrijving,
        "handelingBehandelaar": "", "doorlooptijd": _days(z.doorlooptijd_days), "servicenorm":
        _days(z.servicenorm_days), "opschortingEnAanhoudingMogelijk": False, "verlengingMogelijk": False,
        "verlengingstermijn": None, "trefwoorden": [], "publicatieIndicatie": False, "publicatietekst": "",
        "verantwoordingsrelatie": [], "productenOfDiensten": list(z.producten_of_diensten),
        "selectielijstProcestype": "", "referentieproces": {"naam": "", "link": ""},
        "catalogus": f"{root}/catalogussen/{catalogus_uuid(catalogue)}",
        "statustypen": [f"{root}/statustypen/{s.uuid}" for s in z.statustypen],
        "resultaattypen": [f"{root}/resultaattypen/{r.uuid}" for r in z.resultaattypen],
        "eigenschappen": [], "informatieobjecttypen": [],
        "roltypen": [f"{root}/roltypen/{r.uuid}" for r in z.roltypen],
        "besluittypen": [], "deelzaaktypen": [], "gerelateerdeZaaktypen": [], "beginGeldigheid": "2017-01-01",
        "eindeGeldigheid": None, "versiedatum": "2017-01-01", "concept": False,
    }


def _statustypen(root: str, catalogue: ZaakCatalogue) -> Iterable[dict[str, Any]]:
    for z in catalogue.zaaktypes.values():
        for s in z.statustypen:
            yield {"url": f"{root}/statustypen/{s.uuid}", "omschrijving": s.omschrijving,
                   "omschrijvingGeneriek": "", "statustekst": s.tekst("nl"),
                   "zaaktype": f"{root}/zaaktypen/{z.uuid}", "volgnummer": s.volgnummer,
                   "isEindstatus": s.is_eindstatus, "informeren": False, "doorlooptijd": _days(s.doorlooptijd_days)}


def _resultaattypen(root: str, catalogue: ZaakCatalogue) -> Iterable[dict[str, Any]]:
    for z in catalogue.zaaktypes.values():
        for r in z.resultaattypen:
            yield {"url": f"{root}/resultaattypen/{r.uuid}", "zaaktype": f"{root}/zaaktypen/{z.uuid}",
                   "omschrijving": r.omschrijving, "resultaattypeomschrijving": "", "omschrijvingGeneriek": "",
                   "selectielijstklasse": "", "toelichting": "", "archiefnominatie": r.archiefnominatie or "",
                   "archiefactietermijn": _days(r.archiefactietermijn_days), "brondatumArchiefprocedure": None}


def _roltypen(root: str, catalogue: ZaakCatalogue) -> Iterable[dict[str, Any]]:
    for z in catalogue.zaaktypes.values():
        for r in z.roltypen:
            yield {"url": f"{root}/roltypen/{r.uuid}", "zaaktype": f"{root}/zaaktypen/{z.uuid}",
                   "omschrijving": r.omschrijving, "omschrijvingGeneriek": r.omschrijving_generiek}


def _catalogus(root: str, catalogue: ZaakCatalogue) -> dict[str, Any]:
    return {"url": f"{root}/catalogussen/{catalogus_uuid(catalogue)}", "domein": "GASTV",
            "rsin": catalogue.bronorganisatie, "contactpersoonBeheerNaam": "", "contactpersoonBeheerTelefoonnummer": "",
            "contactpersoonBeheerEmailadres": "",
            "zaaktypen": [f"{root}/zaaktypen/{z.uuid}" for z in catalogue.zaaktypes.values()],
            "besluittypen": [], "informatieobjecttypen": []}


RESOURCES: dict[str, Callable[[str, ZaakCatalogue], Iterable[dict[str, Any]]]] = {
    "catalogussen": lambda root, c: [_catalogus(root, c)],
    "zaaktypen": lambda root, c: [_zaaktype(root, c, z) for z in c.zaaktypes.values()],
    "statustypen": _statustypen, "resultaattypen": _resultaattypen, "roltypen": _roltypen,
}


def _filtered(items: Iterable[dict[str, Any]], request: Request) -> list[dict[str, Any]]:
    wanted = {k: v for k, v in request.query_params.items() if k in ("zaaktype", "catalogus", "identificatie",
                                                                    "omschrijvingGeneriek", "domein", "rsin")}
    return [item for item in items if all(str(item.get(k)) == v or (k in ("zaaktype", "catalogus") and
                                                                     uuid_in(v, k + ("en" if k == "zaaktype" else "sen"))
                                                                     == uuid_in(str(item.get(k)), k + (
                                                                         "en" if k == "zaaktype" else "sen")))
                                          for k, v in wanted.items())]


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
