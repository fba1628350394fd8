"""Tickets: draw one, look one up, and the desk's actions on it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from ...domain.errors import NotFound
from ...domain.permissions import authorize, authorize_at_desk, issuing_channel, sees_case_references
from ...services import tickets as use_cases
from ...services.group_commit import UnitOfWork
from ...services.idempotency import Answer, Once, run_once
from ...services.tickets import TicketView
from ..dependencies import Caller, Ctx, IdempotencyKey, LocationDep
from ..idempotency import answer, request_hash, response
from ..presenters import base_url, ticket_out
from ..schemas import IssueTicketIn, StaffTicketOut, TicketOut, TransferIn

router = APIRouter(tags=["tickets"])

ERRORS: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown location, service or ticket"}, 401: {},
                                           403: {}, 409: {}, 422: {}}


@router.post("/locations/{location}/tickets", status_code=201, response_model=StaffTicketOut, responses=ERRORS)
async def issue_ticket_route(body: IssueTicketIn, location: LocationDep, request: Request, ctx: Ctx, caller: Caller,
                       idempotency_key: IdempotencyKey = None) -> Response:
    """Draw a walk-in ticket for ``service``, or for a visit of several ``services`` in order (1 to 3,
    distinct; the number comes from the first; both, or a list that cannot be, is 422
    ``invalid_services``), about a case if
    ``case_reference`` is given (a case number, else 422 ``invalid_case_reference``). Send an
    ``Idempotency-Key``: the same key again returns the same ticket."""
    actor = authorize(caller, "ticket.issue", location.id)
    services = body.visit()
    if body.priority:
        authorize(caller, "ticket.priority", location.id)
    channel = issuing_channel(actor, body.channel)
    url = base_url(request, ctx)

    def issue(uow: UnitOfWork) -> Answer:
        view = use_cases.issue_ticket(ctx, uow, location, services, language=body.language,
                                      channel=channel, priority=body.priority, device_id=actor.id,
                                      case_reference=body.case_reference)
        return answer(201, ticket_out(view, location, url, staff=sees_case_references(actor)))

    once = Once(actor.id, idempotency_key, request_hash(request, body))
    return response(await run_once(ctx.group_commit, once, issue))


@router.get("/tickets/{ticket_id}", response_model=TicketOut, responses={404: {}})
def get_ticket_route(ticket_id: str, request: Request, ctx: Ctx) -> TicketOut:
    """A ticket and where it stands now. Public: the id is the secret (it is in the ticket's QR), so
    the answer never holds the ticket's case reference, whoever asks."""
    if len(ticket_id) > 64:
        raise NotFound("There is no such ticket.")
    view = use_cases.ticket_view(ctx, ticket_id)
    return ticket_out(view, ctx.location(view.ticket.location), base_url(request, ctx))


@router.post("/locations/{location}/desks/{desk}/call-next", response_model=StaffTicketOut,
             responses={204: {"description": "Nobody waits for this desk's services"}, **ERRORS})
async def call_next_route(desk: str, location: LocationDep, request: Request, ctx: Ctx, caller: Caller,
                    idempotency_key: IdempotencyKey = None) -> Response:
    """Call the next ticket to this desk (and end the desk's current visit). A desk's credential
    calls only to its own desk (403 ``wrong_desk``, or ``no_desk`` when it sits at none)."""
    actor = authorize(caller, "desk.call", location.id)
    authorize_at_desk(actor, "desk.call", desk)
    url = base_url(request, ctx)

    def call(uow: UnitOfWork) -> Answer:
        ticket = use_cases.call_next(ctx, uow, location, desk)
        if ticket is None:
            return answer(204)
        called = uow.tickets.get(ticket.id)
        assert called is not None
        return answer(200, ticket_out(TicketView(called, 0, 0), location, url, staff=sees_case_references(actor)))

    once = Once(actor.id, idempotency_key, request_hash(request, None))
    return response(await run_once(ctx.group_commit, once, call))


@router.post("/locations/{location}/desks/{desk}/{state}", response_model=dict, responses=ERRORS)
async def desk_state_route(desk: str, state: str, location: LocationDep, ctx: Ctx, caller: Caller) -> dict[str, object]:
    """Open or close a desk (``open`` / ``close``); closed desks do not count in wait estimates. A
    desk's credential opens and closes only its own desk (403 ``wrong_desk`` / ``no_desk``)."""
    actor = authorize(caller, "desk.open", location.id)
    if state not in ("open", "close"):
        raise NotFound(f"Unknown desk action '{state}'; use open or close.")
    authorize_at_desk(actor, "desk.open", desk)
    new = await ctx.write(lambda uow: use_cases.set_desk_open(ctx, uow, location, desk, state == "open"))
    return {"desk": new.desk, "open": new.is_open, "changed_at": new.changed_at.isoformat()}


ACTION_NAMES = ("recall", "start", "finish", "no-show", "cancel", "requeue", "priority", "transfer", "add-service")


@router.post("/tickets/{ticket_id}/{action}", response_model=StaffTicketOut, responses=ERRORS)
async def ticket_action_route(ticket_id: str, action: str, request: Request, ctx: Ctx, caller: Caller,
                        body: Annotated[TransferIn | None, Body()] = None,
                        idempotency_key: IdempotencyKey = None) -> Response:
    """recall, start, finish, no-show, cancel, requeue, priority, transfer (body ``{"service": ...}``:
    the new current service) or add-service (body ``{"service": ...}``: one more service at the end of
    the visit, at most 3 in all; 409 ``illegal_transition`` when it is already there or full). A
    desk acts only on the ticket called to or served at its own desk (403 ``wrong_desk``, or
    ``no_desk`` when its credential sits at no desk); hosts and managers on any of their location.
    ``finish`` of a visit with a next service puts the ticket, status ``waiting``, in that service's
    queue (by the end of this one, or by its issue time where the location says
    ``next_service_queued_by = "arrival"``)."""
    actor = authorize(caller, "ticket.act", None)
    if action not in ACTION_NAMES:
        raise NotFound(f"Unknown action '{action}'.", actions=list(ACTION_NAMES))
    if action == "priority":
        authorize(caller, "ticket.priority", None)
    url = base_url(request, ctx)

    def act(uow: UnitOfWork) -> Answer:
        changed = use_cases.act_on_ticket(ctx, uow, ticket_id, action, actor,
                                          body.service if body else None)
        view = use_cases.view_of(ctx, uow, changed)
        return answer(200, ticket_out(view, ctx.location(changed.location), url, staff=sees_case_references(actor)))

    once = Once(actor.id, idempotency_key, request_hash(request, body))
    return response(await run_once(ctx.group_commit, once, act))
