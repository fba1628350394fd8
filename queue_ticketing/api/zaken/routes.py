"""Routes of the Zaken API subset: zaken, statussen, rollen, resultaten (translate only)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Header, Query, Request
from sqlalchemy.exc import IntegrityError

from location_config.zaaktypes import ZaakCatalogue

from ...domain.cases import InvalidCase, Resultaat, Rol, Status, Zaak
from ...domain.errors import NotFound
from ...domain.numbering import BUSINESS_TIMEZONE
from ...services import cases as use_cases
from ...services import zgw_auth as auth
from ...services.cases import CaseStore, Page, ZaakFilter
from ...services.context import ServiceContext
from ...services.group_commit import UnitOfWork
from ...services.zgw_auth import ZgwClient
from .schemas import (
    Paginated,
    ResultaatIn,
    ResultaatOut,
    RolIn,
    RolOut,
    StatusIn,
    StatusOut,
    VerblijfsadresOut,
    ZaakIn,
    ZaakOut,
    ZaakPatch,
)

PREFIX = "/zaken/api/v1"
PAGE_SIZE = 100
"""As ZGW: a fixed page size; ``page`` picks the page."""

router = APIRouter()
T = TypeVar("T")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# --------------------------------------------------------------------------- dependencies


def _ctx(request: Request) -> ServiceContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


def _catalogue(request: Request) -> ZaakCatalogue:
    return request.app.state.catalogue  # type: ignore[no-any-return]


def _client(request: Request, authorization: Annotated[str | None, Header()] = None) -> ZgwClient:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise auth.NotAuthenticated("Send a JWT as 'Authorization: Bearer <jwt>'.")
    return request.app.state.zgw.client(token.strip())  # type: ignore[no-any-return]


Ctx = Annotated[ServiceContext, Depends(_ctx)]
Catalogue = Annotated[ZaakCatalogue, Depends(_catalogue)]
Client = Annotated[ZgwClient, Depends(_client)]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
ERRORS: dict[int | str, dict[str, Any]] = {400: {}, 401: {}, 403: {}, 404: {}}


# --------------------------------------------------------------------------- URLs


def _base(request: Request) -> str:
    public = request.app.state.public_url
    root = public.rstrip("/") if public else f"{request.url.scheme}://{request.url.netloc}"
    return f"{root}{PREFIX}"


def _uuid_in(url: str, kind: str, field: str) -> str:
    """The uuid at the end of a resource URL such as ``.../zaken/{uuid}`` (any host: proxies differ)."""
    parts = urlsplit(url).path.rstrip("/").split("/")
    if len(parts) < 2 or parts[-2] != kind or not _UUID.match(parts[-1].lower()):
        raise InvalidCase(field, "bad-url", f"Expected the URL of one of the {kind}.")
    return parts[-1].lower()


def _page(request: Request, page: int, found: Page, present: Callable[[Any], T]) -> Paginated[T]:
    if page > 1 and (page - 1) * PAGE_SIZE >= found.count:
        raise NotFound("There is no such page.")
    query = dict(request.query_params)

    def link(number: int) -> str:
        return f"{_base(request)}{request.url.path.removeprefix(request.scope.get('root_path', ''))}?" + urlencode(
            {**query, "page": number})

    return Paginated[T](count=found.count, next=link(page + 1) if page * PAGE_SIZE < found.count else None,
                        previous=link(page - 1) if page > 1 else None, results=[present(i) for i in found.items])


# --------------------------------------------------------------------------- presenters


def zaak_out(request: Request, catalogue: ZaakCatalogue, zaak: Zaak) -> ZaakOut:
    base = _base(request)
    zaaktype = catalogue.zaaktype(zaak.zaaktype)
    return ZaakOut(
        url=f"{base}/zaken/{zaak.uuid}", uuid=zaak.uuid, identificatie=zaak.identificatie,
        bronorganisatie=zaak.bronorganisatie, omschrijving=zaak.omschrijving, toelichting=zaak.toelichting,
        zaaktype=catalogue.url("zaaktypen", zaaktype.uuid) if zaaktype else zaak.zaaktype,
        registratiedatum=zaak.registratiedatum, verantwoordelijkeOrganisatie=zaak.verantwoordelijke_organisatie,
        startdatum=zaak.startdatum, einddatum=zaak.einddatum, einddatumGepland=zaak.einddatum_gepland,
        uiterlijkeEinddatumAfdoening=zaak.uiterlijke_einddatum_afdoening,
        status=f"{base}/statussen/{zaak.status}" if zaak.status else None,
        resultaat=f"{base}/resultaten/{zaak.resultaat}" if zaak.resultaat else None,
    )


def status_out(request: Request, catalogue: ZaakCatalogue, status: Status, current: str | None) -> StatusOut:
    base = _base(request)
    return StatusOut(url=f"{base}/statussen/{status.uuid}", uuid=status.uuid, zaak=f"{base}/zaken/{status.zaak}",
                     statustype=catalogue.url("statustypen", status.statustype),
                     datumStatusGezet=status.datum_status_gezet.astimezone(BUSINESS_TIMEZONE),
                     statustoelichting=status.statustoelichting, indicatieLaatstGezetteStatus=status.uuid == current)


def resultaat_out(request: Request, catalogue: ZaakCatalogue, resultaat: Resultaat) -> ResultaatOut:
    base = _base(request)
    return ResultaatOut(url=f"{base}/resultaten/{resultaat.uuid}", uuid=resultaat.uuid,
                        zaak=f"{base}/zaken/{resultaat.zaak}",
                        resultaattype=catalogue.url("resultaattypen", resultaat.resultaattype),
                        toelichting=resultaat.toelichting)


def rol_out(request: Request, catalogue: ZaakCatalogue, rol: Rol) -> RolOut:
    base = _base(request)
    found = catalogue.roltype(rol.roltype)
    roltype = found[1] if found else None
    masked = VerblijfsadresOut(aoaPostcode=f"{rol.postcode_digits}**", aoaHuisnummer=None) \
        if rol.postcode_digits else None
    return RolOut(url=f"{base}/rollen/{rol.uuid}", uuid=rol.uuid, zaak=f"{base}/zaken/{rol.zaak}",
                  betrokkeneType=rol.betrokkene_type, roltype=catalogue.url("roltypen", rol.roltype),
                  omschrijving=roltype.omschrijving if roltype else "",
                  omschrijvingGeneriek=roltype.omschrijving_generiek if roltype else "",
                  roltoelichting=rol.roltoelichting,
                  registratiedatum=rol.registratiedatum.astimezone(BUSINESS_TIMEZONE),
                  betrokkeneIdentificatie={"verblijfsadres": masked},
                  contactpersoonRol={"emailadres": rol.emailadres} if rol.emailadres else None)


# --------------------------------------------------------------------------- zaken


def _zaaktype_id(catalogue: ZaakCatalogue, url: str, field: str = "zaaktype") -> str:
    zaaktype = catalogue.by_uuid(_uuid_in(url, "zaaktypen", field))
    if zaaktype is None:
        raise InvalidCase(field, "bad-url", "Unknown zaaktype.")
    return zaaktype.id


def _readable_zaak(store: CaseStore, client: ZgwClient, zaak_uuid: str) -> Zaak:
    zaak = use_cases.get_zaak(store, zaak_uuid)
    auth.require_read(client, zaak)
    return zaak


def _zaak_of(store: CaseStore, url: str) -> Zaak:
    zaak = store.get(_uuid_in(url, "zaken", "zaak"))
    if zaak is None:
        raise InvalidCase("zaak", "does_not_exist", "There is no such case.")
    return zaak


@router.get("/zaken", response_model=Paginated[ZaakOut], responses=ERRORS, tags=["zaken"])
def list_zaken(request: Request, ctx: Ctx, catalogue: Catalogue, client: Client,
               identificatie: Annotated[str | None, Query(max_length=40)] = None,
               bronorganisatie: Annotated[str | None, Query(max_length=9)] = None,
               zaaktype: Annotated[str | None, Query(max_length=1000)] = None,
               page: PageNumber = 1) -> Paginated[ZaakOut]:
    """Cases of the zaaktypes this client may read (zaken.lezen), oldest first."""
    readable = client.zaaktypes_with(auth.LEZEN, list(catalogue.zaaktypes))
    if zaaktype is not None:
        found = catalogue.by_uuid(urlsplit(zaaktype).path.rstrip("/").rsplit("/", 1)[-1])
        readable = [z for z in readable if found and z == found.id]
    with ctx.read() as stores:
        result = stores.cases.find(ZaakFilter(readable, identificatie, bronorganisatie),
                                      (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return _page(request, page, result, lambda z: zaak_out(request, catalogue, z))


@router.post("/zaken", status_code=201, response_model=ZaakOut, responses=ERRORS, tags=["zaken"])
async def create_zaak(body: ZaakIn, request: Request, ctx: Ctx, catalogue: Catalogue, client: Client) -> ZaakOut:
    """Open a case (zaken.aanmaken for its zaaktype). Without ``identificatie`` it gets the next
    ZAAK-YYYY-NNNNNNNNNN."""
    zaaktype = _zaaktype_id(catalogue, body.zaaktype)
    auth.require(client, auth.AANMAKEN, zaaktype)
    new = use_cases.NewZaak(
        bronorganisatie=body.bronorganisatie, zaaktype=zaaktype,
        verantwoordelijke_organisatie=body.verantwoordelijkeOrganisatie, startdatum=body.startdatum,
        identificatie=body.identificatie, registratiedatum=body.registratiedatum,
        omschrijving=body.omschrijving, toelichting=body.toelichting, einddatum_gepland=body.einddatumGepland,
        uiterlijke_einddatum_afdoening=body.uiterlijkeEinddatumAfdoening)
    try:
        zaak = await ctx.write(lambda uow: use_cases.create_zaak(uow, catalogue, new))
    except IntegrityError:  # two clients brought the same identificatie at the same moment
        raise InvalidCase("identificatie", "identificatie-niet-uniek",
                          "This bronorganisatie already has a case with this identificatie.") from None
    return zaak_out(request, catalogue, zaak)


@router.get("/zaken/{zaak_uuid}", response_model=ZaakOut, responses=ERRORS, tags=["zaken"])
def read_zaak(zaak_uuid: str, request: Request, ctx: Ctx, catalogue: Catalogue, client: Client) -> ZaakOut:
    with ctx.read() as stores:
        zaak = _readable_zaak(stores.cases, client, zaak_uuid)
    return zaak_out(request, catalogue, zaak)


@router.patch("/zaken/{zaak_uuid}", response_model=ZaakOut, responses=ERRORS, tags=["zaken"])
async def update_zaak(zaak_uuid: str, body: ZaakPatch, request: Request, ctx: Ctx, catalogue: Catalogue,
                client: Client) -> ZaakOut:
    """Change omschrijving, toelichting, einddatumGepland or uiterlijkeEinddatumAfdoening
    (zaken.bijwerken; a closed case: zaken.geforceerd-bijwerken)."""
    names = {"omschrijving": "omschrijving", "toelichting": "toelichting", "einddatumGepland": "einddatum_gepland",
             "uiterlijkeEinddatumAfdoening": "uiterlijke_einddatum_afdoening"}
    changes = {names[k]: v for k, v in body.model_dump(exclude_unset=True).items()}

    def update(uow: UnitOfWork) -> Zaak:
        zaak = use_cases.get_zaak(uow.cases, zaak_uuid)
        auth.require_change(client, zaak, auth.BIJWERKEN)
        return use_cases.update_zaak(uow, zaak, changes)

    zaak = await ctx.write(update)
    return zaak_out(request, catalogue, zaak)


# --------------------------------------------------------------------------- statussen


def _as_amsterdam(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=BUSINESS_TIMEZONE)


@router.get("/statussen", response_model=Paginated[StatusOut], responses=ERRORS, tags=["statussen"])
def list_statussen(request: Request, ctx: Ctx, catalogue: Catalogue, client: Client,
                   zaak: Annotated[str | None, Query(max_length=1000)] = None,
                   statustype: Annotated[str | None, Query(max_length=1000)] = None,
                   page: PageNumber = 1) -> Paginated[StatusOut]:
    readable = client.zaaktypes_with(auth.LEZEN, list(catalogue.zaaktypes))
    zaak_uuid = _uuid_in(zaak, "zaken", "zaak") if zaak else None
    statustype_uuid = _uuid_in(statustype, "statustypen", "statustype") if statustype else None
    with ctx.read() as stores:
        store = stores.cases
        result = store.find_statussen(readable, zaak_uuid, statustype_uuid, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        current = {s.zaak: (z.status if (z := store.get(s.zaak)) else None) for s in result.items}
    return _page(request, page, result, lambda s: status_out(request, catalogue, s, current.get(s.zaak)))


@router.post("/statussen", status_code=201, response_model=StatusOut, responses=ERRORS, tags=["statussen"])
async def create_status(body: StatusIn, request: Request, ctx: Ctx, catalogue: Catalogue, client: Client) -> StatusOut:
    """Set a status (zaken.statussen.toevoegen; zaken.aanmaken for the first one). The statustype must
    be one of the case's zaaktype; the end status needs a resultaat and closes the case (einddatum);
    a closed case takes a status only with zaken.geforceerd-bijwerken."""
    statustype = _uuid_in(body.statustype, "statustypen", "statustype")

    def set_status(uow: UnitOfWork) -> tuple[Status, Zaak]:
        zaak = _zaak_of(uow.cases, body.zaak)
        auth.require_status_change(client, zaak)
        return use_cases.set_status(uow, catalogue, zaak, statustype, _as_amsterdam(body.datumStatusGezet),
                                    body.statustoelichting)

    status, zaak = await ctx.write(set_status)
    return status_out(request, catalogue, status, zaak.status)


@router.get("/statussen/{status_uuid}", response_model=StatusOut, responses=ERRORS, tags=["statussen"])
def read_status(status_uuid: str, request: Request, ctx: Ctx, catalogue: Catalogue, client: Client) -> StatusOut:
    with ctx.read() as stores:
        store = stores.cases
        status = store.status(status_uuid)
        if status is None:
            raise NotFound("There is no such status.")
        zaak = _readable_zaak(store, client, status.zaak)
    return status_out(request, catalogue, status, zaak.status)


# --------------------------------------------------------------------------- resultaten


@router.get("/resultaten", response_model=Paginated[ResultaatOut], responses=ERRORS, tags=["resultaten"])
def list_resultaten(request: Request, ctx: Ctx, catalogue: Catalogue, client: Client,
                    zaak: Annotated[str | None, Query(max_length=1000)] = None,
                    page: PageNumber = 1) -> Paginated[ResultaatOut]:
    readable = client.zaaktypes_with(auth.LEZEN, list(catalogue.zaaktypes))
    zaak_uuid = _uuid_in(zaak, "zaken", "zaak") if zaak else None
    with ctx.read() as stores:
        result = stores.cases.find_resultaten(readable, zaak_uuid, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return _page(request, page, result, lambda r: resultaat_out(request, catalogue, r))


@router.post("/resultaten", status_code=201, response_model=ResultaatOut, responses=ERRORS, tags=["resultaten"])
async def create_resultaat(body: ResultaatIn, request: Request, ctx: Ctx, catalogue: Catalogue,
                     client: Client) -> ResultaatOut:
    """Give the case its resultaat (zaken.bijwerken), before the end status."""
    resultaattype = _uuid_in(body.resultaattype, "resultaattypen", "resultaattype")

    def set_resultaat(uow: UnitOfWork) -> Resultaat:
        zaak = _zaak_of(uow.cases, body.zaak)
        auth.require_change(client, zaak, auth.BIJWERKEN)
        return use_cases.set_resultaat(uow, catalogue, zaak, resultaattype, body.toelichting)

    resultaat = await ctx.write(set_resultaat)
    return resultaat_out(request, catalogue, resultaat)


@router.get("/resultaten/{resultaat_uuid}", response_model=ResultaatOut, responses=ERRORS, tags=["resultaten"])
def read_resultaat(resultaat_uuid: str, request: Request, ctx: Ctx, catalogue: Catalogue,
                   client: Client) -> ResultaatOut:
    with ctx.read() as stores:
        store = stores.cases
        resultaat = store.resultaat(resultaat_uuid)
        if resultaat is None:
            raise NotFound("There is no such resultaat.")
        _readable_zaak(store, client, resultaat.zaak)
    return resultaat_out(request, catalogue, resultaat)


# --------------------------------------------------------------------------- rollen


@router.get("/rollen", response_model=Paginated[RolOut], responses=ERRORS, tags=["rollen"])
def list_rollen(request: Request, ctx: Ctx, catalogue: Catalogue, client: Client,
                zaak: Annotated[str | None, Query(max_length=1000)] = None,
                page: PageNumber = 1) -> Paginated[RolOut]:
    """Roles; of a person only the postcode's four digits are shown, never a BSN, name or house number."""
    readable = client.zaaktypes_with(auth.LEZEN, list(catalogue.zaaktypes))
    zaak_uuid = _uuid_in(zaak, "zaken", "zaak") if zaak else None
    with ctx.read() as stores:
        result = stores.cases.find_rollen(readable, zaak_uuid, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return _page(request, page, result, lambda r: rol_out(request, catalogue, r))


@router.post("/rollen", status_code=201, response_model=RolOut, responses=ERRORS, tags=["rollen"])
async def create_rol(body: RolIn, request: Request, ctx: Ctx, catalogue: Catalogue, client: Client) -> RolOut:
    """Add the initiator (a natuurlijk_persoon) with the postcode and house number of their address
    (``betrokkeneIdentificatie.verblijfsadres.aoaPostcode`` / ``aoaHuisnummer``), which the kiosk's case
    look-up asks for. zaken.aanmaken or zaken.bijwerken; a closed case: zaken.geforceerd-bijwerken."""
    roltype = _uuid_in(body.roltype, "roltypen", "roltype")
    address = body.betrokkeneIdentificatie.verblijfsadres if body.betrokkeneIdentificatie else None
    new = use_cases.NewRol(
        roltype=roltype, betrokkene_type=body.betrokkeneType, roltoelichting=body.roltoelichting,
        postcode=address.aoaPostcode if address else None, huisnummer=address.aoaHuisnummer if address else None,
        emailadres=body.contactpersoonRol.emailadres if body.contactpersoonRol else None)

    def add_rol(uow: UnitOfWork) -> Rol:
        zaak = _zaak_of(uow.cases, body.zaak)
        auth.require_change(client, zaak, auth.AANMAKEN, auth.BIJWERKEN)
        return use_cases.add_rol(uow, catalogue, zaak, new)

    rol = await ctx.write(add_rol)
    return rol_out(request, catalogue, rol)


@router.get("/rollen/{rol_uuid}", response_model=RolOut, responses=ERRORS, tags=["rollen"])
def read_rol(rol_uuid: str, request: Request, ctx: Ctx, catalogue: Catalogue, client: Client) -> RolOut:
    with ctx.read() as stores:
        store = stores.cases
        rol = store.rol(rol_uuid)
        if rol is None:
            raise NotFound("There is no such rol.")
        _readable_zaak(store, client, rol.zaak)
    return rol_out(request, catalogue, rol)
