"""Tickets and their life: one visit in a queue, with its whole timeline.

Transitions are pure functions of (ticket, action, now): they return the changed ticket or raise
``IllegalTransition`` with a sentence a clerk understands.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from .errors import IllegalTransition


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


FINAL_STATUSES = frozenset({TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED})
AT_DESK_STATUSES = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})


class TicketKind(StrEnum):
    WALK_IN = "walk_in"
    APPOINTMENT = "appointment"


class Channel(StrEnum):
    KIOSK = "kiosk"
    ROBOT = "robot"
    HOST = "host"
    WEB = "web"
    DESK = "desk"
    OFFLINE = "offline"


class Step(StrEnum):
    """What happened to a ticket; one timeline entry each."""

    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    TRANSFERRED = "transferred"
    REQUEUED = "requeued"
    PRIORITY = "priority"


@dataclass(frozen=True)
class TimelineEntry:
    step: Step
    at: datetime
    desk: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class Ticket:
    id: str
    location: str
    service: str
    number: str
    business_day: date
    kind: TicketKind
    channel: Channel
    language: str
    status: TicketStatus
    issued_at: datetime
    queued_at: datetime
    """Where the ticket stands in line: its issue time, kept across a transfer."""
    priority: bool = False
    desk: str | None = None
    """The desk that called or serves it."""
    appointment_id: str | None = None
    appointment_at: datetime | None = None
    timeline: tuple[TimelineEntry, ...] = field(default_factory=tuple)
    case_reference: str | None = None
    """The case (``ZAAK-2026-0000000001``) the visit is about, for the clerk; never shown in public."""

    @property
    def is_waiting(self) -> bool:
        return self.status is TicketStatus.WAITING

    def first(self, step: Step) -> TimelineEntry | None:
        return next((e for e in self.timeline if e.step is step), None)

    def last(self, step: Step) -> TimelineEntry | None:
        return next((e for e in reversed(self.timeline) if e.step is step), None)


def _refuse(ticket: Ticket, doing: str) -> IllegalTransition:
    return IllegalTransition(
        f"Ticket {ticket.number} is {ticket.status.value.replace('_', ' ')}; it cannot be {doing}.",
        ticket_status=ticket.status.value,
    )


def _with(ticket: Ticket, entry: TimelineEntry, **changes: Any) -> Ticket:
    return replace(ticket, timeline=(*ticket.timeline, entry), **changes)


def call(ticket: Ticket, desk: str, now: datetime) -> Ticket:
    if ticket.status is not TicketStatus.WAITING:
        raise _refuse(ticket, "called")
    return _with(ticket, TimelineEntry(Step.CALLED, now, desk, ticket.service),
                 status=TicketStatus.CALLED, desk=desk)


def recall(ticket: Ticket, now: datetime) -> Ticket:
    if ticket.status is not TicketStatus.CALLED:
        raise _refuse(ticket, "called again (only a called ticket can be recalled)")
    return _with(ticket, TimelineEntry(Step.RECALLED, now, ticket.desk, ticket.service))


def start(ticket: Ticket, now: datetime) -> Ticket:
    if ticket.status is not TicketStatus.CALLED:
        raise _refuse(ticket, "started (call it to a desk first)")
    return _with(ticket, TimelineEntry(Step.SERVING, now, ticket.desk, ticket.service),
                 status=TicketStatus.SERVING)


def finish(ticket: Ticket, now: datetime) -> Ticket:
    if ticket.status not in AT_DESK_STATUSES:
        raise _refuse(ticket, "finished (it was never called to a desk)"
                      if ticket.status is TicketStatus.WAITING else "finished")
    return _with(ticket, TimelineEntry(Step.DONE, now, ticket.desk, ticket.service),
                 status=TicketStatus.DONE)


def no_show(ticket: Ticket, now: datetime) -> Ticket:
    if ticket.status is not TicketStatus.CALLED:
        raise _refuse(ticket, "marked as no-show (only a called ticket can be)")
    return _with(ticket, TimelineEntry(Step.NO_SHOW, now, ticket.desk, ticket.service),
                 status=TicketStatus.NO_SHOW)


def cancel(ticket: Ticket, now: datetime) -> Ticket:
    if ticket.status in FINAL_STATUSES:
        raise _refuse(ticket, "cancelled")
    return _with(ticket, TimelineEntry(Step.CANCELLED, now, ticket.desk, ticket.service),
                 status=TicketStatus.CANCELLED)


def transfer(ticket: Ticket, to_service: str, now: datetime) -> Ticket:
    """Send the visitor to another service's queue. The ticket (and its mobile link) lives on,
    keeps its number and its place in time, and waits again."""
    if ticket.status in FINAL_STATUSES:
        raise _refuse(ticket, "transferred")
    if to_service == ticket.service:
        raise IllegalTransition(f"Ticket {ticket.number} is already for {to_service}.")
    return _with(ticket, TimelineEntry(Step.TRANSFERRED, now, ticket.desk, to_service),
                 status=TicketStatus.WAITING, service=to_service, desk=None)


def requeue(ticket: Ticket, now: datetime) -> Ticket:
    """Put a called ticket back in line (the clerk called the wrong one, or must step away)."""
    if ticket.status is not TicketStatus.CALLED:
        raise _refuse(ticket, "put back in the queue")
    return _with(ticket, TimelineEntry(Step.REQUEUED, now, ticket.desk, ticket.service),
                 status=TicketStatus.WAITING, desk=None)


def mark_priority(ticket: Ticket, now: datetime) -> Ticket:
    if ticket.status is not TicketStatus.WAITING:
        raise _refuse(ticket, "given priority (only a waiting ticket can be)")
    if ticket.priority:
        return ticket
    return _with(ticket, TimelineEntry(Step.PRIORITY, now, None, ticket.service), priority=True)


ACTIONS = {
    "recall": recall,
    "start": start,
    "finish": finish,
    "no-show": no_show,
    "cancel": cancel,
    "requeue": requeue,
    "priority": mark_priority,
}
"""Actions on a ticket by their name in the API (transfer takes a service and stands apart)."""
