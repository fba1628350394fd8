"""Zaken: list, search, read, open, replace, change and delete cases."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.exc import IntegrityError

from ....domain.cases import InvalidCase, Zaak
from ....domain.errors import NotFound
from ....domain.geometry import within
from ....services import cases as use_cases
from ....services import zgw_permissions as permissions
from ....services.cases import CaseStore, Condition, Page, ZaakFilter
from ....services.catalogi import CaseTypes, uuid_in
from ....services.group_commit import UnitOfWork
from ....services.zgw_auth import PermissionDenied
from ..dependencies import (
    PAGE_SIZE,
    AcceptCrs,
    Base,
    Client,
    ContentCrs,
    Ctx,
    Expand,
    IfNoneMatch,
    PageNumber,
    Root,
    Types,
    write,
)
from ..expand import Expander
from ..presenters import Links, ZaakView, page_out, zaak_out
from ..responses import ERRORS, created, head_of, zgw_json
from ..schemas import Paginated, ZaakIn, ZaakOut, ZaakPatch

router = APIRouter(tags=["zaken"])

ATTRIBUTES = ("publicatiedatum", "communicatiekanaal", "productenOfDiensten", "betalingsindicatie",
              "laatsteBetaaldatum", "zaakgeometrie", "verlenging", "opschorting", "selectielijstklasse",
              "relevanteAndereZaken", "kenmerken", "opdrachtgevendeOrganisatie", "processobjectaard",
              "startdatumBewaartermijn", "processobject")
"""ZGW fields kept as given, in their JSON form."""
COLUMNS = {"omschrijving": "omschrijving", "toelichting": "toelichting", "registratiedatum": "registratiedatum",
           "einddatumGepland": "einddatum_gepland", "uiterlijkeEinddatumAfdoening": "uiterlijke_einddatum_afdoening",
           "verantwoordelijkeOrganisatie": "verantwoordelijke_organisatie", "startdatum": "startdatum",
           "vertrouwelijkheidaanduiding": "vertrouwelijkheidaanduiding", "archiefnominatie": "archiefnominatie",
           "archiefstatus": "archiefstatus", "archiefactiedatum": "archiefactiedatum",
           "identificatie": "identificatie", "bronorganisatie": "bronorganisatie"}


def _split(body: ZaakIn | ZaakPatch, only_given: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """A request's fields → (domain fields as Python values, attributes kept as JSON)."""
    values = body.model_dump(exclude_unset=only_given)
    as_json = body.model_dump(mode="json", exclude_unset=only_given)
    fields = {COLUMNS[k]: (v or None) if k == "archiefnominatie" else v for k, v in values.items() if k in COLUMNS}
    attributes = {k: v for k, v in as_json.items() if k in ATTRIBUTES}
    return fields, attributes


def _hoofdzaak(url: str | None) -> str | None:
    """The uuid of the case a hoofdzaak URL names (400 ``no_match`` when it names no case of this API)."""
    if not url:
        return None
    found = uuid_in(url, "zaken")
    if found is None:
        raise InvalidCase("hoofdzaak", "no_match", "This URL does not name a case of this Zaken API.")
    return found


def _check_references(types: CaseTypes, given: dict[str, Any]) -> None:
    if given.get("communicatiekanaal"):
        types.check_reference(given["communicatiekanaal"], "communicatiekanaal", ("naam", "omschrijving"))


def _check_relevante(store: CaseStore, given: dict[str, Any]) -> None:
    for index, relevant in enumerate(given.get("relevanteAndereZaken") or []):
        found = uuid_in(relevant["url"], "zaken")
        if found is None or store.get(found) is None:
            raise InvalidCase(f"relevanteAndereZaken.{index}.url", "bad-url", "There is no case at this URL.")


def _view(store: CaseStore, zaak: Zaak) -> ZaakView:
    return ZaakView(zaak, store.deelzaken_of(zaak.uuid), [r.uuid for r in store.rollen_of(zaak.uuid)])


DATE_FIELDS = ("archiefactiedatum", "startdatum", "registratiedatum", "einddatum", "einddatumGepland",
               "uiterlijkeEinddatumAfdoening")


def _conditions(request: Request) -> list[Condition]:
    """``identificatie``, ``bronorganisatie__in``, ``startdatum__gte``, ``einddatum__isnull``, ...: every
    column filter of ZGW's zaken list, read from the query string."""
    conditions = []
    for key, value in request.query_params.items():
        name, _, operator = key.partition("__")
        if name not in ("identificatie", "bronorganisatie", "archiefnominatie", "archiefstatus", *DATE_FIELDS):
            continue
        operator = operator or "exact"
        if operator not in ("exact", "in", "gt", "gte", "lt", "lte", "isnull"):
            continue
        parsed: Any = value
        try:
            if operator == "in":
                parsed = value.split(",")
            elif operator == "isnull":
                parsed = value.lower() in ("true", "1")
            elif name in DATE_FIELDS:
                parsed = date.fromisoformat(value)
        except ValueError:
            raise InvalidCase(key, "invalid", "Enter a date as YYYY-MM-DD.") from None
        conditions.append(Condition(name, operator, parsed))
    return conditions


ORDERING = ("startdatum", "einddatum", "publicatiedatum", "archiefactiedatum", "registratiedatum", "identificatie")


def _ordering(ordering: str | None) -> list[tuple[str, bool]]:
    keys = []
    for part in (ordering or "").split(","):
        key = part.strip()
        if not key:
            continue
        if key.lstrip("-") not in ORDERING:
            raise InvalidCase("ordering", "invalid_choice",
                              f"Order by one of {', '.join(ORDERING)} (- for descending).")
        keys.append((key.lstrip("-"), key.startswith("-")))
    return keys


def _rol_zaken(store: CaseStore, types: CaseTypes, request: Request) -> list[str] | None:
    """Cases with a rol matching ``rol__betrokkeneType``, ``rol__betrokkene``, ``rol__omschrijvingGeneriek``
    or ``rol__betrokkeneIdentificatie__<type>__<field>``; None when no such filter is given."""
    params = request.query_params
    betrokkene_type = params.get("rol__betrokkeneType")
    betrokkene = params.get("rol__betrokkene")
    generiek = params.get("rol__omschrijvingGeneriek")
    identificatie = None
    kinds = {"natuurlijkPersoon": "natuurlijk_persoon", "nietNatuurlijkPersoon": "niet_natuurlijk_persoon",
             "vestiging": "vestiging", "medewerker": "medewerker",
             "organisatorischeEenheid": "organisatorische_eenheid"}
    for key, value in params.items():
        if key.startswith("rol__betrokkeneIdentificatie__"):
            _, _, kind, field = key.split("__", 3)
            identificatie = (kinds.get(kind, kind), field, value)
    if not any((betrokkene_type, betrokkene, generiek, identificatie)):
        return None
    roltypen = None
    if generiek:
        roltypen = [r.uuid for z in types.local.zaaktypes.values() for r in z.roltypen
                    if r.omschrijving_generiek == generiek]
    return store.zaken_with_rol(betrokkene_type, betrokkene, roltypen, identificatie)


@router.get("/zaken", response_model=Paginated[ZaakOut], responses=ERRORS, response_model_by_alias=True,
            response_model_exclude_none=False)
def list_zaken(request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root, _crs: AcceptCrs,
               zaaktype: Annotated[str | None, Query(max_length=1000)] = None,
               maximaleVertrouwelijkheidaanduiding: Annotated[str | None, Query(max_length=20)] = None,
               ordering: Annotated[str | None, Query(max_length=200)] = None,
               expand: Expand = None, page: PageNumber = 1) -> Response:
    """Cases the client may read (zaken.lezen for their zaaktype, within its maxVertrouwelijkheidaanduiding),
    filtered as ZGW's query parameters say, oldest first unless ``ordering`` says otherwise."""
    permissions.require_list(client)
    readable = permissions.readable(client)
    conditions = _conditions(request)
    if maximaleVertrouwelijkheidaanduiding:
        from ....domain.cases import levels_up_to

        conditions.append(Condition("vertrouwelijkheidaanduiding", "in",
                                    levels_up_to(maximaleVertrouwelijkheidaanduiding)))
    key = (types.key_of(zaaktype) or "-") if zaaktype else None
    links = Links(base, root, types)
    with ctx.read() as stores:
        store = stores.cases
        where = ZaakFilter(readable.zaaktypes, readable.allowed_levels, conditions, key, _ordering(ordering),
                           _rol_zaken(store, types, request))
        found = store.find(where, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        views = [_view(store, z) for z in found.items]
        expander = Expander(links, store, client)
        body = page_out(request, base, page, Page(found.count, views), lambda v: zaak_out(links, v)).model_dump(
            mode="json", exclude={"results": {"__all__": {"expand"}}})
        if expand:
            body["results"] = [expander.expand(item, expand) for item in body["results"]]
    return zgw_json(body, crs=True)


@router.post("/zaken", status_code=201, response_model=ZaakOut, responses=ERRORS)
def create_zaak(body: ZaakIn, ctx: Ctx, types: Types, client: Client, base: Base, root: Root, _crs: AcceptCrs,
                _content: ContentCrs) -> Response:
    """Open a case (zaken.aanmaken for its zaaktype, at its level of confidentiality). Without
    ``identificatie`` it gets the next ZAAK-YYYY-NNNNNNNNNN."""
    zaaktype = types.resolve(body.zaaktype)
    given = body.model_dump(mode="json", exclude_unset=True)
    level = body.vertrouwelijkheidaanduiding or zaaktype.vertrouwelijkheidaanduiding
    permissions.require_create(client, zaaktype.id, level)
    _check_references(types, given)
    _, attributes = _split(body, only_given=True)

    def open_case(uow: UnitOfWork) -> ZaakView:
        store = uow.cases
        _check_relevante(store, given)
        zaak = use_cases.create_zaak(uow, types, use_cases.NewZaak(
            bronorganisatie=body.bronorganisatie, zaaktype=zaaktype.id,
            verantwoordelijke_organisatie=body.verantwoordelijkeOrganisatie, startdatum=body.startdatum,
            identificatie=body.identificatie or None, registratiedatum=body.registratiedatum,
            omschrijving=body.omschrijving, toelichting=body.toelichting, einddatum_gepland=body.einddatumGepland,
            uiterlijke_einddatum_afdoening=body.uiterlijkeEinddatumAfdoening,
            vertrouwelijkheidaanduiding=body.vertrouwelijkheidaanduiding,
            archiefnominatie=body.archiefnominatie or None,
            archiefstatus=body.archiefstatus, archiefactiedatum=body.archiefactiedatum,
            hoofdzaak=_hoofdzaak(body.hoofdzaak), attributes=attributes))
        return _view(store, zaak)

    try:
        view = write(ctx, open_case)
    except IntegrityError:  # two clients brought the same identificatie at the same moment
        raise InvalidCase("identificatie", "identificatie-niet-uniek",
                          "This bronorganisatie already has a case with this identificatie.") from None
    out = zaak_out(Links(base, root, types), view).model_dump(mode="json", exclude={"expand"})
    return created(out, out["url"], crs=True)


@router.get("/zaken/{zaak_uuid}", response_model=ZaakOut, responses=ERRORS)
def read_zaak(zaak_uuid: str, request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
              _crs: AcceptCrs, if_none_match: IfNoneMatch = None, expand: Expand = None) -> Response:
    """One case; answers 304 when ``If-None-Match`` names its current ETag."""
    links = Links(base, root, types)
    with ctx.read() as stores:
        store = stores.cases
        zaak = use_cases.get_zaak(store, zaak_uuid)
        permissions.require_read(client, zaak)
        out = zaak_out(links, _view(store, zaak)).model_dump(mode="json", exclude={"expand"})
        tag_of = dict(out)
        Expander(links, store, client).expand(out, expand)
    return zgw_json(out, crs=True, etag_of=tag_of, if_none_match=if_none_match, request=request)


@router.head("/zaken/{zaak_uuid}", responses=ERRORS, include_in_schema=True)
def head_zaak(zaak_uuid: str, request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
              _crs: AcceptCrs, if_none_match: IfNoneMatch = None) -> Response:
    """The headers of ``GET`` (ETag among them) without the body."""
    return head_of(read_zaak(zaak_uuid, request, ctx, types, client, base, root, _crs, if_none_match))


def _change(zaak_uuid: str, body: ZaakIn | ZaakPatch, only_given: bool, ctx: Ctx, types: Types, client: Client,
            base: str, root: str) -> Response:
    given = body.model_dump(mode="json", exclude_unset=only_given)
    _check_references(types, given)
    fields, attributes = _split(body, only_given)
    if "hoofdzaak" in given:
        fields["hoofdzaak"] = _hoofdzaak(given["hoofdzaak"])
    if "zaaktype" in given and given["zaaktype"] is not None:
        fields["zaaktype"] = types.key_of(given["zaaktype"]) or given["zaaktype"]

    def change(uow: UnitOfWork) -> ZaakView:
        store = uow.cases
        zaak = use_cases.get_zaak(store, zaak_uuid)
        permissions.require_read(client, zaak)
        permissions.require_change(client, zaak, "zaken.bijwerken")
        level = fields.get("vertrouwelijkheidaanduiding")
        if level and not permissions.may(client, "zaken.bijwerken", Zaak(**{**zaak.__dict__,
                                                                           "vertrouwelijkheidaanduiding": level})):
            raise PermissionDenied("This client may not raise the case above its "
                                               "maxVertrouwelijkheidaanduiding.")
        _check_relevante(store, given)
        return _view(store, use_cases.update_zaak(uow, types, zaak, fields, attributes))

    view = write(ctx, change)
    out = zaak_out(Links(base, root, types), view).model_dump(mode="json", exclude={"expand"})
    return zgw_json(out, crs=True)


@router.put("/zaken/{zaak_uuid}", response_model=ZaakOut, responses=ERRORS)
def replace_zaak(zaak_uuid: str, body: ZaakIn, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
                 _crs: AcceptCrs, _content: ContentCrs) -> Response:
    """Every writable field at once (zaken.bijwerken; a closed case: zaken.geforceerd-bijwerken).
    identificatie, bronorganisatie and zaaktype cannot change."""
    return _change(zaak_uuid, body, False, ctx, types, client, base, root)


@router.patch("/zaken/{zaak_uuid}", response_model=ZaakOut, responses=ERRORS)
def update_zaak(zaak_uuid: str, body: ZaakPatch, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
                _crs: AcceptCrs, _content: ContentCrs) -> Response:
    """Some fields (zaken.bijwerken; a closed case: zaken.geforceerd-bijwerken)."""
    return _change(zaak_uuid, body, True, ctx, types, client, base, root)


@router.delete("/zaken/{zaak_uuid}", status_code=204, responses=ERRORS)
def delete_zaak(zaak_uuid: str, ctx: Ctx, client: Client) -> Response:
    """The case with its statuses, result and roles (zaken.verwijderen)."""

    def delete(uow: UnitOfWork) -> None:
        zaak = uow.cases.get(zaak_uuid)
        if zaak is None:
            raise NotFound("There is no such case.")
        permissions.require_read(client, zaak)
        permissions.require_delete(client, zaak)
        use_cases.delete_zaak(uow, zaak)

    write(ctx, delete)
    return zgw_json(None, status=204)


GEO_SEARCH_LIMIT = 10_000
"""A geometry search looks at most at this many cases (after the other filters)."""


@router.post("/zaken/_zoek", response_model=Paginated[ZaakOut], responses=ERRORS)
def search_zaken(body: dict[str, Any], request: Request, ctx: Ctx, types: Types, client: Client, base: Base,
                 root: Root, _crs: AcceptCrs, _content: ContentCrs, page: PageNumber = 1) -> Response:
    """The list's filters in a body, plus ``uuid__in`` and ``zaakgeometrie.within`` (cases whose point
    geometry lies within the given point, polygon or multipolygon)."""
    area = (body.get("zaakgeometrie") or {}).get("within") if isinstance(body.get("zaakgeometrie"), dict) else None
    if body.get("zaakgeometrie") is not None and not isinstance(area, dict):
        raise InvalidCase("zaakgeometrie", "invalid", "Give zaakgeometrie as {\"within\": <GeoJSON geometry>}.")
    permissions.require_list(client)
    readable = permissions.readable(client)
    links = Links(base, root, types)
    uuids = [u for u in (uuid_in(str(url), "zaken") for url in body.get("uuid__in") or []) if u]
    key = (types.key_of(str(body["zaaktype"])) or "-") if body.get("zaaktype") else None
    conditions = [Condition(k, "exact", str(v)) for k, v in body.items() if k in ("identificatie", "bronorganisatie")]
    where = ZaakFilter(readable.zaaktypes, readable.allowed_levels, conditions, key, rol_zaken=uuids or None)
    with ctx.read() as stores:
        store = stores.cases
        if area is None:
            found = store.find(where, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        else:
            candidates = store.find(where, 0, GEO_SEARCH_LIMIT).items
            matching = [z for z in candidates if within(z.attributes.get("zaakgeometrie"), area)]
            found = Page(len(matching), matching[(page - 1) * PAGE_SIZE:page * PAGE_SIZE])
        views = [_view(store, z) for z in found.items]
    result = page_out(request, base, page, Page(found.count, views), lambda v: zaak_out(links, v))
    return zgw_json(result.model_dump(mode="json", exclude={"results": {"__all__": {"expand"}}}), crs=True)
