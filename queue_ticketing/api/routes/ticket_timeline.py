"""A ticket's timeline with who took each step, for the staff of its location."""

from __future__ import annotations

from fastapi import APIRouter

from ...domain.errors import NotFound
from ...domain.permissions import authorize
from ...services.ticket_timeline import ticket_timeline
from ..dependencies import Caller, Ctx
from ..schemas import StepActorOut, TicketTimelineOut, TimelineStepOut

router = APIRouter(tags=["tickets"])


@router.get("/tickets/{ticket_id}/timeline", response_model=TicketTimelineOut,
            responses={401: {}, 403: {}, 404: {"description": "No such ticket at the caller's location"}})
def ticket_timeline_route(ticket_id: str, ctx: Ctx, caller: Caller) -> TicketTimelineOut:
    """Every step of the ticket in order, each with who took it: a person's display name, a device's
    name, or ``system``. A ticket of another location is not there (404)."""
    actor = authorize(caller, "ticket.timeline", None)
    if len(ticket_id) > 64:
        raise NotFound("There is no such ticket at this location.")
    timeline = ticket_timeline(ctx, ticket_id, actor)
    ticket = timeline.ticket
    location = ctx.location(ticket.location)
    numbers = {desk.id: desk.number for desk in location.desks}
    return TicketTimelineOut(
        id=ticket.id, number=ticket.number, location=ticket.location, service=ticket.service,
        status=ticket.status.value,
        steps=[TimelineStepOut(step=s.step, at=s.at, desk=s.desk, desk_number=numbers.get(s.desk) if s.desk else None,
                               service=s.service,
                               by=StepActorOut(kind=s.by.kind, name=s.by.name, role=s.by.role) if s.by else None)
               for s in timeline.steps])
