"""Assist requests: calls for a human host, shown on the hosts' dashboard."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ...domain.permissions import authorize
from ...services import assist as use_cases
from ...store.assist import AssistStore
from ..dependencies import Caller, Ctx, IdempotencyKey, LocationDep
from ..idempotency import request_hash, run_once
from ..presenters import assist_out
from ..schemas import AssistIn, AssistOut

router = APIRouter(tags=["assist"])


@router.post("/locations/{location}/assist-requests", status_code=201, response_model=AssistOut,
             responses={401: {}, 403: {}, 404: {}, 422: {}})
async def request_route(body: AssistIn, location: LocationDep, request: Request, ctx: Ctx, caller: Caller,
                  idempotency_key: IdempotencyKey = None) -> Response:
    """Call a host (robot, kiosk, desk or host). No personal data in ``note``."""
    actor = authorize(caller, "assist.request", location.id)

    def ask(uow):  # type: ignore[no-untyped-def]
        created = use_cases.request_assist(uow, location, actor.role, body.reason, body.place or actor.name,
                                           body.note, actor.id)
        return 201, assist_out(created)

    return await run_once(ctx, actor.id, idempotency_key, request_hash(request.url.path, body), ask)


@router.get("/locations/{location}/assist-requests", response_model=list[AssistOut],
            responses={401: {}, 403: {}, 404: {}})
def open_requests_route(location: LocationDep, ctx: Ctx, caller: Caller) -> list[AssistOut]:
    """The open assist requests, oldest first (host role)."""
    authorize(caller, "assist.read", location.id)
    with ctx.db.read() as conn:
        return [assist_out(r) for r in AssistStore(conn).open(location.id)]


@router.post("/locations/{location}/assist-requests/{request_id}/resolve", response_model=AssistOut,
             responses={401: {}, 403: {}, 404: {}, 409: {}})
def resolve_route(request_id: str, location: LocationDep, ctx: Ctx, caller: Caller) -> AssistOut:
    actor = authorize(caller, "assist.read", location.id)
    with ctx.unit_of_work() as uow:
        resolved = use_cases.resolve_assist(uow, location, request_id, actor.id)
        uow.commit()
    return assist_out(resolved)
