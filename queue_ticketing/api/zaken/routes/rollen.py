"""Rollen: the parties to a case, for every betrokkeneType. What a rol says about a person is personal
data: shown only to clients that may read the case, never logged."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from ....domain.cases import Rol, Zaak
from ....domain.errors import NotFound
from ....services import cases as use_cases
from ....services import zgw_permissions as permissions
from ....services.cases import CaseStore, RolFilter
from ....services.group_commit import UnitOfWork
from ..dependencies import PAGE_SIZE, Base, Client, Ctx, IfNoneMatch, PageNumber, Root, Types, write
from ..presenters import Links, page_out, rol_out
from ..references import query_uuid, uuid_of, zaak_at
from ..responses import ERRORS, created, head_of, zgw_json
from ..schemas import BETROKKENE_MODELS, Paginated, RolIn, RolOut

router = APIRouter(tags=["rollen"])

IDENTIFICATIE_FILTERS = {
    "betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": ("natuurlijk_persoon", "inpBsn"),
    "betrokkeneIdentificatie__natuurlijkPersoon__anpIdentificatie": ("natuurlijk_persoon", "anpIdentificatie"),
    "betrokkeneIdentificatie__natuurlijkPersoon__inpA_nummer": ("natuurlijk_persoon", "inpA_nummer"),
    "betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId": ("niet_natuurlijk_persoon", "innNnpId"),
    "betrokkeneIdentificatie__nietNatuurlijkPersoon__annIdentificatie": ("niet_natuurlijk_persoon",
                                                                         "annIdentificatie"),
    "betrokkeneIdentificatie__vestiging__vestigingsNummer": ("vestiging", "vestigingsNummer"),
    "betrokkeneIdentificatie__organisatorischeEenheid__identificatie": ("organisatorische_eenheid", "identificatie"),
    "betrokkeneIdentificatie__medewerker__identificatie": ("medewerker", "identificatie"),
}


@router.get("/rollen", response_model=Paginated[RolOut], responses=ERRORS)
def list_rollen(request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
                zaak: Annotated[str | None, Query(max_length=1000)] = None,
                betrokkene: Annotated[str | None, Query(max_length=1000)] = None,
                betrokkeneType: Annotated[str | None, Query(max_length=40)] = None,
                roltype: Annotated[str | None, Query(max_length=1000)] = None,
                omschrijving: Annotated[str | None, Query(max_length=100)] = None,
                omschrijvingGeneriek: Annotated[str | None, Query(max_length=40)] = None,
                page: PageNumber = 1) -> Response:
    """Roles of the cases the client may read, filtered as ZGW's query parameters say."""
    permissions.require_list(client)
    links = Links(base, root, types)
    identificatie = next(((*IDENTIFICATIE_FILTERS[k], v) for k, v in request.query_params.items()
                          if k in IDENTIFICATIE_FILTERS), None)
    roltypen: list[str] | None = None
    if roltype is not None:
        roltypen = [query_uuid(roltype, "roltypen") or "-"]
    if omschrijving is not None or omschrijvingGeneriek is not None:
        matching = [r.uuid for z in types.local.zaaktypes.values() for r in z.roltypen
                    if (omschrijving is None or r.omschrijving == omschrijving)
                    and (omschrijvingGeneriek is None or r.omschrijving_generiek == omschrijvingGeneriek)]
        roltypen = [u for u in roltypen if u in matching] if roltypen is not None else matching
    where = RolFilter(query_uuid(zaak, "zaken"), betrokkene, betrokkeneType, roltypen,
                      identificatie)
    with ctx.read() as stores:
        store = stores.cases
        found = store.find_rollen(permissions.readable(client), where, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        zaken = {r.zaak: store.get(r.zaak) for r in found.items}

    def present(rol: Rol) -> RolOut:
        zaak_ = zaken.get(rol.zaak)
        return rol_out(links, types.zaaktype(zaak_.zaaktype) if zaak_ else None, rol)

    return zgw_json(page_out(request, base, page, found, present).model_dump(mode="json"))


def _identificatie(body: RolIn) -> dict[str, Any] | None:
    """``betrokkeneIdentificatie`` checked against the fields of its betrokkeneType."""
    if body.betrokkeneIdentificatie is None:
        return None
    model = BETROKKENE_MODELS[body.betrokkeneType]
    return model.model_validate(body.betrokkeneIdentificatie).model_dump(mode="json", exclude_unset=True)


@router.post("/rollen", status_code=201, response_model=RolOut, responses=ERRORS)
def create_rol(body: RolIn, ctx: Ctx, types: Types, client: Client, base: Base, root: Root) -> Response:
    """A party to the case (zaken.aanmaken or zaken.bijwerken; a closed case: zaken.geforceerd-bijwerken).
    The initiator's postcode and house number (``betrokkeneIdentificatie.verblijfsadres``) also let the
    visitor look the case up at the kiosk."""
    identificatie = _identificatie(body)
    address = (identificatie or {}).get("verblijfsadres") or {}
    attributes = {"betrokkeneIdentificatie": identificatie, "afwijkendeNaamBetrokkene": body.afwijkendeNaamBetrokkene,
                  "indicatieMachtiging": body.indicatieMachtiging,
                  "contactpersoonRol": body.contactpersoonRol.model_dump(mode="json") if body.contactpersoonRol
                  else None}
    with ctx.read() as stores:  # its type fetched here if it lives at another Catalogi API, not in the writer
        types.zaaktype(zaak_at(stores.cases, body.zaak).zaaktype)

    def add(uow: UnitOfWork) -> tuple[Rol, Zaak]:
        zaak = zaak_at(uow.cases, body.zaak)
        permissions.require_change(client, zaak, "zaken.aanmaken", "zaken.bijwerken")
        return use_cases.add_rol(uow, types, zaak, use_cases.NewRol(
            roltype=uuid_of(body.roltype, "roltypen", "roltype"), betrokkene_type=body.betrokkeneType,
            roltoelichting=body.roltoelichting, postcode=address.get("aoaPostcode"),
            huisnummer=address.get("aoaHuisnummer"),
            emailadres=body.contactpersoonRol.emailadres if body.contactpersoonRol else None,
            betrokkene=body.betrokkene, attributes=attributes)), zaak

    rol, zaak = write(ctx, add)
    out = rol_out(Links(base, root, types), types.zaaktype(zaak.zaaktype), rol)
    return created(out.model_dump(mode="json"), out.url)


def _found(store: CaseStore, client: Client, rol_uuid: str) -> tuple[Rol, Zaak]:
    rol = store.rol(rol_uuid)
    zaak = store.get(rol.zaak) if rol else None
    if rol is None or zaak is None:
        raise NotFound("There is no such rol.")
    permissions.require_read(client, zaak)
    return rol, zaak


@router.get("/rollen/{rol_uuid}", response_model=RolOut, responses=ERRORS)
def read_rol(rol_uuid: str, request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
             if_none_match: IfNoneMatch = None) -> Response:
    with ctx.read() as stores:
        rol, zaak = _found(stores.cases, client, rol_uuid)
    body = rol_out(Links(base, root, types), types.zaaktype(zaak.zaaktype), rol).model_dump(mode="json")
    return zgw_json(body, etag_of=body, if_none_match=if_none_match, request=request)


@router.head("/rollen/{rol_uuid}", responses=ERRORS)
def head_rol(rol_uuid: str, request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
             if_none_match: IfNoneMatch = None) -> Response:
    return head_of(read_rol(rol_uuid, request, ctx, types, client, base, root, if_none_match))


@router.delete("/rollen/{rol_uuid}", status_code=204, responses=ERRORS)
def delete_rol(rol_uuid: str, ctx: Ctx, client: Client) -> Response:
    """zaken.bijwerken; a closed case: zaken.geforceerd-bijwerken."""

    def delete(uow: UnitOfWork) -> None:
        rol, zaak = _found(uow.cases, client, rol_uuid)
        permissions.require_change(client, zaak, "zaken.bijwerken")
        use_cases.delete_rol(uow, rol)

    write(ctx, delete)
    return zgw_json(None, status=204)
