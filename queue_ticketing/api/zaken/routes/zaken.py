"""Zaken: list, search, read, open, replace, change and delete cases."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from ....domain.cases import InvalidCase, Zaak
from ....domain.errors import NotFound
from ....services import cases as use_cases
from ....services import zgw_permissions as permissions
from ....services.catalogi import CaseTypes, uuid_in
from ....store.cases import CaseStore, Condition, ZaakFilter
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
)
from ..presenters import Links, ZaakView, page_out, zaak_out
from ..references import uuid_of
from ..responses import ERRORS, created, zgw_json
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


def _split(given: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A request's fields → (domain fields, attributes kept as JSON)."""
    fields = {COLUMNS[k]: (v or None) if k == "archiefnominatie" else v for k, v in given.items() if k in COLUMNS}
    attributes = {k: v for k, v in given.items() if k in ATTRIBUTES}
    return fields, attributes


def _hoofdzaak(url: str | None) -> str | None:
    return uuid_of(url, "zaken", "hoofdzaak") if url else None


def _check_relevante(store: CaseStore, given: dict[str, Any]) -> None:
    for index, relevant in enumerate(given.get("relevanteAndereZaken") or []):
        found = uuid_in(relevant["url"], "zaken")
        if found is None or store.get(found) is None:
            raise InvalidCase(f"relevanteAndereZaken.{index}.url", "bad-url", "There is no case at this URL.")


def _view(store: CaseStore, zaak: Zaak) -> ZaakView:
    return ZaakView(zaak, store.deelzaken_of(zaak.uuid), [r.uuid for r in store.rollen_of(zaak.uuid)])


def _expanded(links: Links, store: CaseStore, types: CaseTypes, view: ZaakView, expand: str | None,
              client: Any) -> dict[str, Any] | None:
    """``_expand`` for the asked-for relations this service holds (its own resources and configured types)."""
    if not expand:
        return None
    from ..presenters import resultaat_out, rol_out, status_out

    zaak = view.zaak
    zaaktype = types.zaaktype(zaak.zaaktype)
    found: dict[str, Any] = {}
    for name in {part.split(".")[0] for part in expand.split(",") if part.strip()}:
        if name == "zaaktype" and zaaktype is not None:
            found["zaaktype"] = {"url": links.zaaktype(zaak.zaaktype), "identificatie": zaaktype.identificatie,
                                 "omschrijving": zaaktype.omschrijving}
        elif name == "status" and zaak.status and (status := store.status(zaak.status)):
            found["status"] = status_out(links, zaaktype, status, zaak.status).model_dump(mode="json")
        elif name == "resultaat" and zaak.resultaat and (resultaat := store.resultaat(zaak.resultaat)):
            found["resultaat"] = resultaat_out(links, zaaktype, resultaat).model_dump(mode="json")
        elif name == "rollen":
            found["rollen"] = [rol_out(links, zaaktype, r).model_dump(mode="json") for r in store.rollen_of(zaak.uuid)]
        elif name == "hoofdzaak" and zaak.hoofdzaak and (parent := store.get(zaak.hoofdzaak)) \
                and permissions.may(client, "zaken.lezen", parent):
            found["hoofdzaak"] = zaak_out(links, _view(store, parent)).model_dump(mode="json", exclude={"expand"})
        elif name == "deelzaken":
            parts = [p for u in view.deelzaken if (p := store.get(u)) and permissions.may(client, "zaken.lezen", p)]
            found["deelzaken"] = [zaak_out(links, _view(store, p)).model_dump(mode="json", exclude={"expand"})
                                  for p in parts]
    return found


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
               expand: Expand = None, page: PageNumber = 1) -> JSONResponse:
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
    with ctx.db.read() as conn:
        store = CaseStore(conn)
        where = ZaakFilter(readable.zaaktypes, readable.allowed_levels, conditions, key, _ordering(ordering),
                           _rol_zaken(store, types, request))
        found = store.find(where, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        views = [_view(store, z) for z in found.items]
        expansions = {v.zaak.uuid: _expanded(links, store, types, v, expand, client) for v in views}
    body = page_out(request, base, page, type(found)(found.count, views),
                    lambda v: zaak_out(links, v, expansions[v.zaak.uuid]))
    return zgw_json(body.model_dump(mode="json", by_alias=True, exclude_none=False), crs=True,
                    drop_empty_expand=True)


@router.post("/zaken", status_code=201, response_model=ZaakOut, responses=ERRORS)
def create_zaak(body: ZaakIn, ctx: Ctx, types: Types, client: Client, base: Base, root: Root, _crs: AcceptCrs,
                _content: ContentCrs) -> JSONResponse:
    """Open a case (zaken.aanmaken for its zaaktype, at its level of confidentiality). Without
    ``identificatie`` it gets the next ZAAK-YYYY-NNNNNNNNNN."""
    zaaktype = types.resolve(body.zaaktype)
    given = body.model_dump(mode="json", exclude_unset=True)
    level = body.vertrouwelijkheidaanduiding or zaaktype.vertrouwelijkheidaanduiding
    permissions.require_create(client, zaaktype.id, level)
    fields, attributes = _split(given)
    fields.pop("identificatie", None)
    fields.pop("bronorganisatie", None)
    with ctx.unit_of_work() as uow:
        store = CaseStore(uow.conn)
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
        uow.commit()
        view = _view(store, zaak)
    out = zaak_out(Links(base, root, types), view).model_dump(mode="json", exclude={"expand"})
    return created(out, out["url"], crs=True)


@router.get("/zaken/{zaak_uuid}", response_model=ZaakOut, responses=ERRORS)
def read_zaak(zaak_uuid: str, request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
              _crs: AcceptCrs, if_none_match: IfNoneMatch = None, expand: Expand = None) -> Response:
    """One case; answers 304 when ``If-None-Match`` names its current ETag."""
    links = Links(base, root, types)
    with ctx.db.read() as conn:
        store = CaseStore(conn)
        zaak = use_cases.get_zaak(store, zaak_uuid)
        permissions.require_read(client, zaak)
        view = _view(store, zaak)
        expanded = _expanded(links, store, types, view, expand, client)
    out = zaak_out(links, view, expanded).model_dump(mode="json", by_alias=True)
    if expanded is None:
        out.pop("_expand", None)
    return zgw_json(out, crs=True, etag_of=out, if_none_match=if_none_match, request=request)


@router.head("/zaken/{zaak_uuid}", responses=ERRORS, include_in_schema=True)
def head_zaak(zaak_uuid: str, request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
              _crs: AcceptCrs, if_none_match: IfNoneMatch = None) -> Response:
    """The headers of ``GET`` (ETag among them) without the body."""
    response = read_zaak(zaak_uuid, request, ctx, types, client, base, root, _crs, if_none_match)
    return Response(status_code=response.status_code, headers={k: v for k, v in response.headers.items()
                                                               if k.lower() != "content-length"})


def _change(zaak_uuid: str, given: dict[str, Any], ctx: Ctx, types: Types, client: Client, base: str,
            root: str) -> JSONResponse:
    fields, attributes = _split(given)
    if "hoofdzaak" in given:
        fields["hoofdzaak"] = _hoofdzaak(given["hoofdzaak"])
    if "zaaktype" in given and given["zaaktype"] is not None:
        fields["zaaktype"] = types.key_of(given["zaaktype"]) or given["zaaktype"]
    with ctx.unit_of_work() as uow:
        store = CaseStore(uow.conn)
        zaak = use_cases.get_zaak(store, zaak_uuid)
        permissions.require_read(client, zaak)
        permissions.require_change(client, zaak, "zaken.bijwerken")
        level = fields.get("vertrouwelijkheidaanduiding")
        if level and not permissions.may(client, "zaken.bijwerken", Zaak(**{**zaak.__dict__,
                                                                           "vertrouwelijkheidaanduiding": level})):
            raise permissions.PermissionDenied("This client may not raise the case above its "
                                               "maxVertrouwelijkheidaanduiding.")
        _check_relevante(store, given)
        zaak = use_cases.update_zaak(uow, types, zaak, fields, attributes)
        uow.commit()
        view = _view(store, zaak)
    out = zaak_out(Links(base, root, types), view).model_dump(mode="json", exclude={"expand"})
    return zgw_json(out, crs=True)


@router.put("/zaken/{zaak_uuid}", response_model=ZaakOut, responses=ERRORS)
def replace_zaak(zaak_uuid: str, body: ZaakIn, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
                 _crs: AcceptCrs, _content: ContentCrs) -> JSONResponse:
    """Every writable field at once (zaken.bijwerken; a closed case: zaken.geforceerd-bijwerken).
    identificatie, bronorganisatie and zaaktype cannot change."""
    given = ZaakIn.model_validate(body.model_dump()).model_dump(mode="json")
    return _change(zaak_uuid, given, ctx, types, client, base, root)


@router.patch("/zaken/{zaak_uuid}", response_model=ZaakOut, responses=ERRORS)
def update_zaak(zaak_uuid: str, body: ZaakPatch, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
                _crs: AcceptCrs, _content: ContentCrs) -> JSONResponse:
    """Some fields (zaken.bijwerken; a closed case: zaken.geforceerd-bijwerken)."""
    return _change(zaak_uuid, body.model_dump(mode="json", exclude_unset=True), ctx, types, client, base, root)


@router.delete("/zaken/{zaak_uuid}", status_code=204, responses=ERRORS)
def delete_zaak(zaak_uuid: str, ctx: Ctx, client: Client) -> Response:
    """The case with its statuses, result and roles (zaken.verwijderen)."""
    with ctx.unit_of_work() as uow:
        zaak = CaseStore(uow.conn).get(zaak_uuid)
        if zaak is None:
            raise NotFound("There is no such case.")
        permissions.require_read(client, zaak)
        permissions.require_delete(client, zaak)
        use_cases.delete_zaak(uow, zaak)
        uow.commit()
    return zgw_json(None, status=204)


@router.post("/zaken/_zoek", response_model=Paginated[ZaakOut], responses=ERRORS)
def search_zaken(body: dict[str, Any], request: Request, ctx: Ctx, types: Types, client: Client, base: Base,
                 root: Root, _crs: AcceptCrs, _content: ContentCrs, page: PageNumber = 1) -> JSONResponse:
    """The list's filters in a body (``zaakgeometrie`` searches are not offered: 400)."""
    if body.get("zaakgeometrie"):
        raise InvalidCase("zaakgeometrie", "not-supported", "Searching by geometry is not offered by this service.")
    permissions.require_list(client)
    readable = permissions.readable(client)
    links = Links(base, root, types)
    uuids = [u for u in (uuid_in(str(url), "zaken") for url in body.get("uuid__in") or []) if u]
    key = types.key_of(body["zaaktype"]) or "-" if body.get("zaaktype") else None
    conditions = [Condition(k, "exact", v) for k, v in body.items() if k in ("identificatie", "bronorganisatie")]
    with ctx.db.read() as conn:
        store = CaseStore(conn)
        found = store.find(ZaakFilter(readable.zaaktypes, readable.allowed_levels, conditions, key,
                                      rol_zaken=uuids or None), (page - 1) * PAGE_SIZE, PAGE_SIZE)
        views = [_view(store, z) for z in found.items]
    result = page_out(request, base, page, type(found)(found.count, views), lambda v: zaak_out(links, v))
    return zgw_json(result.model_dump(mode="json", exclude={"results": {"__all__": {"expand"}}}), crs=True,
                    status=201)

