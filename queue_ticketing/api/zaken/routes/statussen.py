"""Statussen: a case's status history; setting one moves, closes or reopens the case."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from ....domain.cases import Status, Zaak
from ....domain.errors import NotFound
from ....domain.numbering import BUSINESS_TIMEZONE
from ....services import cases as use_cases
from ....services import zgw_permissions as permissions
from ....services.group_commit import UnitOfWork
from ..dependencies import PAGE_SIZE, Base, Client, Ctx, IfNoneMatch, PageNumber, Root, Types, write
from ..presenters import Links, page_out, status_out
from ..references import query_uuid, uuid_of, zaak_at
from ..responses import ERRORS, created, head_of, zgw_json
from ..schemas import Paginated, StatusIn, StatusOut

router = APIRouter(tags=["statussen"])


def _as_amsterdam(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=BUSINESS_TIMEZONE)


@router.get("/statussen", response_model=Paginated[StatusOut], responses=ERRORS)
def list_statussen(request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
                   zaak: Annotated[str | None, Query(max_length=1000)] = None,
                   statustype: Annotated[str | None, Query(max_length=1000)] = None,
                   indicatieLaatstGezetteStatus: bool | None = None,
                   page: PageNumber = 1) -> Response:
    permissions.require_list(client)
    links = Links(base, root, types)
    with ctx.read() as stores:
        store = stores.cases
        found = store.find_statussen(permissions.readable(client), query_uuid(zaak, "zaken"),
                                     query_uuid(statustype, "statustypen"), 0 if indicatieLaatstGezetteStatus
                                     is not None else (page - 1) * PAGE_SIZE, 1_000_000 if
                                     indicatieLaatstGezetteStatus is not None else PAGE_SIZE)
        zaken = {s.zaak: store.get(s.zaak) for s in found.items}
    if indicatieLaatstGezetteStatus is not None:
        items = [s for s in found.items if (zaken[s.zaak] and zaken[s.zaak].status == s.uuid)  # type: ignore[union-attr]
                 == indicatieLaatstGezetteStatus]
        found = type(found)(len(items), items[(page - 1) * PAGE_SIZE:page * PAGE_SIZE])

    def present(status):
        zaak_ = zaken.get(status.zaak)
        return status_out(links, types.zaaktype(zaak_.zaaktype) if zaak_ else None, status,
                          zaak_.status if zaak_ else None)

    return zgw_json(page_out(request, base, page, found, present).model_dump(mode="json"))


@router.post("/statussen", status_code=201, response_model=StatusOut, responses=ERRORS)
def create_status(body: StatusIn, ctx: Ctx, types: Types, client: Client, base: Base, root: Root) -> Response:
    """Set a status (zaken.statussen.toevoegen; zaken.aanmaken for the first one). The statustype must
    be one of the case's zaaktype; the end status needs a resultaat and closes the case (einddatum);
    a non-end status on a closed case opens it again and needs zaken.heropenen."""
    with ctx.read() as stores:  # its type fetched here if it lives at another Catalogi API, not in the writer
        types.zaaktype(zaak_at(stores.cases, body.zaak).zaaktype)
    statustype = uuid_of(body.statustype, "statustypen", "statustype")

    def set_status(uow: UnitOfWork) -> tuple[Status, Zaak]:
        zaak = zaak_at(uow.cases, body.zaak)
        is_end = use_cases.check_statustype(types, zaak, statustype)
        permissions.require_status_change(client, zaak, reopens=zaak.is_closed and not is_end)
        return use_cases.set_status(uow, types, zaak, statustype, _as_amsterdam(body.datumStatusGezet),
                                    body.statustoelichting, body.gezetdoor)

    status, zaak = write(ctx, set_status)
    out = status_out(Links(base, root, types), types.zaaktype(zaak.zaaktype), status, zaak.status)
    return created(out.model_dump(mode="json"), out.url)


@router.get("/statussen/{status_uuid}", response_model=StatusOut, responses=ERRORS)
def read_status(status_uuid: str, request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
                if_none_match: IfNoneMatch = None) -> Response:
    with ctx.read() as stores:
        store = stores.cases
        status = store.status(status_uuid)
        zaak = store.get(status.zaak) if status else None
        if status is None or zaak is None:
            raise NotFound("There is no such status.")
        permissions.require_read(client, zaak)
    out = status_out(Links(base, root, types), types.zaaktype(zaak.zaaktype), status, zaak.status)
    body = out.model_dump(mode="json")
    return zgw_json(body, etag_of=body, if_none_match=if_none_match, request=request)


@router.head("/statussen/{status_uuid}", responses=ERRORS)
def head_status(status_uuid: str, request: Request, ctx: Ctx, types: Types, client: Client, base: Base, root: Root,
                if_none_match: IfNoneMatch = None) -> Response:
    return head_of(read_status(status_uuid, request, ctx, types, client, base, root, if_none_match))
