"""Resultaten: a case's one result; the end status needs it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from ....domain.cases import InvalidCase, Resultaat, Zaak
from ....domain.errors import NotFound
from ....services import cases as use_cases
from ....services import zgw_permissions as permissions
from ....services.cases import CaseStore
from ....services.group_commit import UnitOfWork
from ..dependencies import PAGE_SIZE, Base, Client, Ctx, IfNoneMatch, PageNumber, Root, Types, write
from ..presenters import Links, page_out, resultaat_out
from ..references import query_uuid, uuid_of, zaak_at
from ..responses import ERRORS, created, head_of, zgw_json
from ..schemas import Paginated, ResultaatIn, ResultaatOut, ResultaatPatch

router = APIRouter(tags=["resultaten"])


@router.get("/resultaten", response_model=Paginated[ResultaatOut], responses=ERRORS)
def list_resultaten(request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
                    zaak: Annotated[str | None, Query(max_length=1000)] = None,
                    resultaattype: Annotated[str | None, Query(max_length=1000)] = None,
                    page: PageNumber = 1) -> Response:
    permissions.require_list(client)
    links = Links(base, root, types)
    with ctx.read() as stores:
        store = stores.cases
        found = store.find_resultaten(permissions.readable(client), query_uuid(zaak, "zaken"),
                                      query_uuid(resultaattype, "resultaattypen"), (page - 1) * PAGE_SIZE, PAGE_SIZE)
        zaken = {r.zaak: store.get(r.zaak) for r in found.items}

    def present(resultaat: Resultaat) -> ResultaatOut:
        zaak_ = zaken.get(resultaat.zaak)
        return resultaat_out(links, types.zaaktype(zaak_.zaaktype) if zaak_ else None, resultaat)

    return zgw_json(page_out(request, base, page, found, present).model_dump(mode="json"))


@router.post("/resultaten", status_code=201, response_model=ResultaatOut, responses=ERRORS)
def create_resultaat(body: ResultaatIn, ctx: Ctx, types: Types, client: Client, base: Base, root: Root) -> Response:
    """Give the case its resultaat (zaken.bijwerken; a closed case: zaken.geforceerd-bijwerken)."""
    with ctx.read() as stores:  # its type fetched here if it lives at another Catalogi API, not in the writer
        types.zaaktype(zaak_at(stores.cases, body.zaak).zaaktype)

    def give(uow: UnitOfWork) -> tuple[Resultaat, Zaak]:
        zaak = zaak_at(uow.cases, body.zaak)
        resultaattype = uuid_of(body.resultaattype, "resultaattypen", "resultaattype")
        use_cases.check_new_resultaat(types, zaak, resultaattype)
        permissions.require_change(client, zaak, "zaken.bijwerken")
        return use_cases.set_resultaat(uow, types, zaak, resultaattype, body.toelichting), zaak

    resultaat, zaak = write(ctx, give)
    out = resultaat_out(Links(base, root, types), types.zaaktype(zaak.zaaktype), resultaat)
    return created(out.model_dump(mode="json"), out.url)


def _found(store: CaseStore, client: Client, resultaat_uuid: str) -> tuple[Resultaat, Zaak]:
    resultaat = store.resultaat(resultaat_uuid)
    zaak = store.get(resultaat.zaak) if resultaat else None
    if resultaat is None or zaak is None:
        raise NotFound("There is no such resultaat.")
    permissions.require_read(client, zaak)
    return resultaat, zaak


@router.get("/resultaten/{resultaat_uuid}", response_model=ResultaatOut, responses=ERRORS)
def read_resultaat(resultaat_uuid: str, request: Request, ctx: Ctx, types: Types, client: Client, base: Base,
                   root: Root, if_none_match: IfNoneMatch = None) -> Response:
    with ctx.read() as stores:
        resultaat, zaak = _found(stores.cases, client, resultaat_uuid)
    body = resultaat_out(Links(base, root, types), types.zaaktype(zaak.zaaktype), resultaat).model_dump(mode="json")
    return zgw_json(body, etag_of=body, if_none_match=if_none_match, request=request)


@router.head("/resultaten/{resultaat_uuid}", responses=ERRORS)
def head_resultaat(resultaat_uuid: str, request: Request, ctx: Ctx, types: Types, client: Client, base: Base,
                   root: Root, if_none_match: IfNoneMatch = None) -> Response:
    return head_of(read_resultaat(resultaat_uuid, request, ctx, types, client, base, root, if_none_match))


def _change(resultaat_uuid: str, zaak_url: str | None, resultaattype_url: str | None, toelichting: str | None,
            ctx: Ctx, types: Types, client: Client, base: str, root: str) -> Response:
    def change(uow: UnitOfWork) -> tuple[Resultaat, Zaak]:
        store = uow.cases
        resultaat, zaak = _found(store, client, resultaat_uuid)
        permissions.require_change(client, zaak, "zaken.bijwerken")
        if zaak_url is not None and uuid_of(zaak_url, "zaken", "zaak") != zaak.uuid:
            raise InvalidCase("zaak", "wijzigen-niet-toegelaten", "A resultaat stays with its case.")
        resultaattype = uuid_of(resultaattype_url, "resultaattypen", "resultaattype") if resultaattype_url else None
        return use_cases.update_resultaat(uow, types, zaak, resultaat, resultaattype, toelichting), zaak

    resultaat, zaak = write(ctx, change)
    body = resultaat_out(Links(base, root, types), types.zaaktype(zaak.zaaktype), resultaat).model_dump(mode="json")
    return zgw_json(body)


@router.put("/resultaten/{resultaat_uuid}", response_model=ResultaatOut, responses=ERRORS)
def replace_resultaat(resultaat_uuid: str, body: ResultaatIn, ctx: Ctx, types: Types, client: Client, base: Base,
                      root: Root) -> Response:
    return _change(resultaat_uuid, body.zaak, body.resultaattype, body.toelichting, ctx, types, client, base, root)


@router.patch("/resultaten/{resultaat_uuid}", response_model=ResultaatOut, responses=ERRORS)
def update_resultaat(resultaat_uuid: str, body: ResultaatPatch, ctx: Ctx, types: Types, client: Client, base: Base,
                     root: Root) -> Response:
    return _change(resultaat_uuid, body.zaak, body.resultaattype, body.toelichting, ctx, types, client, base, root)


@router.delete("/resultaten/{resultaat_uuid}", status_code=204, responses=ERRORS)
def delete_resultaat(resultaat_uuid: str, ctx: Ctx, client: Client) -> Response:
    """zaken.bijwerken; a closed case: zaken.geforceerd-bijwerken."""

    def delete(uow: UnitOfWork) -> None:
        resultaat, zaak = _found(uow.cases, client, resultaat_uuid)
        permissions.require_change(client, zaak, "zaken.bijwerken")
        use_cases.delete_resultaat(uow, zaak, resultaat)

    write(ctx, delete)
    return zgw_json(None, status=204)
