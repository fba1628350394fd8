"""Tickets and their life: one visit in a queue, with its whole timeline.

Transitions are pure functions of (ticket, action, now): they return the changed ticket or raise
``IllegalTransition`` with a sentence a clerk understands.

A visit may hold up to ``MAX_SERVICES`` services one after another (a passport and a change of
address): ``services`` lists them in order, ``service_index`` points at the current one, and
``service`` is always ``services[service_index]``. Finishing a service that has a next one sends
the ticket back to the waiting room for that next service (``Step.NEXT_SERVICE``); its id, number
and mobile page stay. A no-show or a cancel ends the whole visit.
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
    NEXT_SERVICE = "next_service"
    """The ticket entered the queue of its visit's next service (``service``: that one)."""


MAX_SERVICES = 3
"""Services one visit may hold."""


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
    services: tuple[str, ...] = ()
    """The visit's services in order: done, current and next (left out: just ``service``)."""
    service_index: int = 0
    """Where in ``services`` the visit is: ``services[service_index] == service``."""

    def __post_init__(self) -> None:
        if not self.services:
            object.__setattr__(self, "services", (self.service,))
        if not 0 <= self.service_index < len(self.services) or self.services[self.service_index] != self.service:
            raise ValueError(f"ticket {self.number}: service {self.service!r} is not entry {self.service_index} "
                             f"of {self.services!r}")

    @property
    def next_services(self) -> tuple[str, ...]:
        """The services still to come after the current one."""
        return self.services[self.service_index + 1:]

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


def finish(ticket: Ticket, now: datetime, *, next_by_arrival: bool = False) -> Ticket:
    """The current service is done. When the visit has a next service the ticket waits again, for
    that one: queued by ``now`` (the end of this service), or by its issue time with
    ``next_by_arrival`` (the location's ``next_service_queued_by = "arrival"``)."""
    if ticket.status not in AT_DESK_STATUSES:
        raise _refuse(ticket, "finished (it was never called to a desk)"
                      if ticket.status is TicketStatus.WAITING else "finished")
    done = _with(ticket, TimelineEntry(Step.DONE, now, ticket.desk, ticket.service), status=TicketStatus.DONE)
    if not ticket.next_services:
        return done
    following = ticket.next_services[0]
    return _with(done, TimelineEntry(Step.NEXT_SERVICE, now, None, following), status=TicketStatus.WAITING,
                 service=following, service_index=ticket.service_index + 1, desk=None,
                 queued_at=ticket.issued_at if next_by_arrival else now)


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
    if to_service in ticket.next_services:
        raise IllegalTransition(f"Ticket {ticket.number} already has {to_service} next in this visit.")
    services = list(ticket.services)
    services[ticket.service_index] = to_service  # the transfer replaces the current service
    return _with(ticket, TimelineEntry(Step.TRANSFERRED, now, ticket.desk, to_service),
                 status=TicketStatus.WAITING, service=to_service, services=tuple(services), desk=None)


def add_service(ticket: Ticket, service: str, now: datetime) -> Ticket:
    """Add ``service`` at the end of the visit (a desk learns the visitor also needs it). The
    ticket stays where it is; the service comes after the ones already planned. No timeline entry:
    the visit reaches it with ``Step.NEXT_SERVICE``."""
    if ticket.status in FINAL_STATUSES:
        raise _refuse(ticket, "given another service")
    if service == ticket.service or service in ticket.next_services:
        raise IllegalTransition(f"Ticket {ticket.number} already has {service} in this visit.",
                                services=list(ticket.services))
    if len(ticket.services) >= MAX_SERVICES:
        raise IllegalTransition(f"Ticket {ticket.number} already has {MAX_SERVICES} services in this visit; "
                                f"draw a new ticket for more.", services=list(ticket.services))
    return replace(ticket, services=(*ticket.services, service))


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
"""Actions on a ticket by their name in the API (transfer and add-service take a service, and
finish the location's setting for the next service; they stand apart)."""
