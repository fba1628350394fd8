"""A ticket's timeline as staff read it: each step with who took it, from the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.audit import StepActor, step_actors
from ..domain.errors import NotFound
from ..domain.identity import Principal
from ..domain.tickets import Ticket
from .context import ServiceContext


@dataclass(frozen=True)
class StepTaken:
    step: str
    at: datetime
    desk: str | None
    service: str | None
    by: StepActor | None
    """None when the audit trail holds no record of the step (past its retention)."""


@dataclass(frozen=True)
class TicketTimeline:
    ticket: Ticket
    steps: list[StepTaken]


def ticket_timeline(ctx: ServiceContext, ticket_id: str, by: Principal) -> TicketTimeline:
    """The ticket's steps in order with their actors; a ticket of a location ``by`` does not act at
    is not there for it."""
    with ctx.read() as stores:
        ticket = stores.tickets.get(ticket_id)
        if ticket is None or not by.acts_at(ticket.location):
            raise NotFound("There is no such ticket at this location.")
        records = stores.audit.of_ticket(ticket.id)
    actors = step_actors([(entry.step.value, entry.at) for entry in ticket.timeline], records)
    steps = [StepTaken(entry.step.value, entry.at, entry.desk, entry.service, actor)
             for entry, actor in zip(ticket.timeline, actors, strict=True)]
    return TicketTimeline(ticket, steps)
