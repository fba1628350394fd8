"""Assist requests: calls for a human host, shown on the hosts' dashboard."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ...domain.permissions import authorize
from ...services import assist as use_cases
from ...services.group_commit import UnitOfWork
from ...services.idempotency import Answer, Once, run_once
from ..dependencies import Caller, Ctx, IdempotencyKey, LocationDep
from ..idempotency import answer, request_hash, response
from ..presenters import assist_out
from ..schemas import AssistIn, AssistOut

router = APIRouter(tags=["assist"])


@router.post("/locations/{location}/assist-requests", status_code=201, response_model=AssistOut,
             responses={401: {}, 403: {}, 404: {}, 422: {}})
async def request_route(body: AssistIn, location: LocationDep, request: Request, ctx: Ctx, caller: Caller,
                  idempotency_key: IdempotencyKey = None) -> Response:
    """Call a host (robot, kiosk, desk or host). No personal data in ``note``."""
    actor = authorize(caller, "assist.request", location.id)

    def ask(uow: UnitOfWork) -> Answer:
        created = use_cases.request_assist(uow, location, actor.role, body.reason, body.place or actor.name,
                                           body.note, actor.id)
        return answer(201, assist_out(created))

    once = Once(actor.id, idempotency_key, request_hash(request, body))
    return response(await run_once(ctx.group_commit, once, ask))


@router.get("/locations/{location}/assist-requests", response_model=list[AssistOut],
            responses={401: {}, 403: {}, 404: {}})
def open_requests_route(location: LocationDep, ctx: Ctx, caller: Caller) -> list[AssistOut]:
    """The open assist requests, oldest first (host role)."""
    authorize(caller, "assist.read", location.id)
    return [assist_out(r) for r in use_cases.open_requests(ctx, location)]


@router.post("/locations/{location}/assist-requests/{request_id}/resolve", response_model=AssistOut,
             responses={401: {}, 403: {}, 404: {}, 409: {}})
async def resolve_route(request_id: str, location: LocationDep, ctx: Ctx, caller: Caller) -> AssistOut:
    actor = authorize(caller, "assist.read", location.id)
    resolved = await ctx.write(lambda uow: use_cases.resolve_assist(uow, location, request_id, actor.id))
    return assist_out(resolved)
