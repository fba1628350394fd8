"""Use cases of the queue: issue a ticket, call the next one, act on a ticket."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from location_config import Location

from ..domain import tickets as lifecycle
from ..domain.call_order import next_ticket_for, position_in_line
from ..domain.cases import case_reference as parse_case_reference
from ..domain.errors import IllegalTransition, InvalidServices, NotFound, ServiceNotOffered
from ..domain.identity import Principal
from ..domain.numbering import business_day, ticket_number
from ..domain.permissions import authorize_at_desk
from ..domain.tickets import (
    AT_DESK_STATUSES,
    MAX_SERVICES,
    Channel,
    Step,
    Ticket,
    TicketKind,
    TicketStatus,
    TimelineEntry,
)
from ..domain.wait_projection import TimeRange, WaitRange
from ..store.desks import DeskState
from ..store.tickets import ConcurrentChange
from ..store.unit_of_work import Stores, UnitOfWork
from .context import ServiceContext
from .queue_insight import desks_open_now, recent_service_times, wait_for
from .wait_outlook import outlook_for_read, outlook_for_write

CALL_RETRIES = 20


@dataclass(frozen=True)
class TicketView:
    """A ticket with where it stands now."""

    ticket: Ticket
    position: int
    estimated_wait_minutes: int
    estimated_wait_range: WaitRange | None = None
    """Shown instead of the one figure when it is a range (the estimate is uncertain)."""
    next_service_expected: TimeRange | None = None
    """For a visit of several services: when it is expected to be called for the next one
    (``ticket.next_services[0]``). Only in :func:`ticket_view`, the read; None when the location's
    queue played forward does not reach it (no desk open for it)."""


def new_ticket_id() -> str:
    # 128 random bits: a ticket id is the key to its mobile page, so it must not be guessable.
    return secrets.token_urlsafe(16)


def _service_or_fail(location: Location, service_id: str, *, walk_in: bool) -> None:
    service = location.service(service_id)
    if service is None:
        raise NotFound(f"Location '{location.id}' offers no service '{service_id}'.",
                       services=[s.id for s in location.services])
    if walk_in and not service.walk_in:
        raise ServiceNotOffered(f"'{service.name('en')}' is by appointment only; no walk-in ticket.")


def checked_visit(location: Location, services: Sequence[str]) -> tuple[str, ...]:
    """A visit's walk-in services: one to ``MAX_SERVICES``, distinct, each offered here for walk-ins."""
    if not 1 <= len(services) <= MAX_SERVICES:
        raise InvalidServices(f"A visit holds 1 to {MAX_SERVICES} services; {len(services)} were given.")
    repeated = sorted({s for s in services if services.count(s) > 1})
    if repeated:
        raise InvalidServices(f"A visit holds each service once; {', '.join(repeated)} is given twice.")
    for service_id in services:
        _service_or_fail(location, service_id, walk_in=True)
    return tuple(services)


def _desk_number(location: Location, desk_id: str | None) -> int | None:
    desk = location.desk(desk_id) if desk_id else None
    return desk.number if desk else None


def emit_queue_changed(uow: UnitOfWork, location: str) -> dict[str, int]:
    counts = uow.tickets.waiting_counts(location)
    uow.emit(location, "queue.changed", {"waiting": counts})
    return counts


def _emit_ticket(uow: UnitOfWork, location: Location, type_: str, ticket: Ticket) -> None:
    data: dict[str, Any] = {"number": ticket.number, "service": ticket.service, "status": ticket.status.value}
    if ticket.desk:
        data |= {"desk": ticket.desk, "desk_number": _desk_number(location, ticket.desk),
                 "language": ticket.language}
    uow.emit(location.id, type_, data)


def create_ticket(uow: UnitOfWork, location: Location, service_id: str, *, kind: TicketKind, channel: Channel,
                  language: str, priority: bool, device_id: str | None,
                  appointment_id: str | None = None, appointment_at: Any = None,
                  number: str | None = None, issued_at: Any = None,
                  case_reference: str | None = None,
                  next_services: Sequence[str] = ()) -> tuple[Ticket, dict[str, int]]:
    """A new waiting ticket, and the waiting counts per service with it included. An offline ticket
    comes with its ``number`` (from a leased block) and ``issued_at``, and is queued by that time.
    ``case_reference`` is validated here (``InvalidCaseReference``) and stays out of every event.
    ``next_services``: the visit's services after ``service_id`` (checked by the caller); the
    number comes from ``service_id``, the first."""
    now = issued_at or uow.now
    day = business_day(now)
    service = location.service(service_id)
    assert service is not None
    if case_reference is not None:
        case_reference = parse_case_reference(case_reference)
    if number is None:
        number = ticket_number(service.letter, uow.tickets.next_sequence(location.id, service.letter, day))
    ticket = Ticket(
        id=new_ticket_id(), location=location.id, service=service_id,
        number=number, business_day=day, kind=kind, channel=channel,
        language=language, status=TicketStatus.WAITING, issued_at=now, queued_at=now, priority=priority,
        appointment_id=appointment_id, appointment_at=appointment_at,
        timeline=(TimelineEntry(Step.ISSUED, now, None, service_id),), case_reference=case_reference,
        services=(service_id, *next_services),
    )
    uow.tickets.add(ticket, device_id)
    uow.record("ticket.issued", location.id, ticket_id=ticket.id, ticket_number=ticket.number,
               appointment_id=appointment_id)
    uow.emit(location.id, "ticket.issued", {"number": ticket.number, "service": service_id, "kind": kind.value})
    return ticket, emit_queue_changed(uow, location.id)


def issue_ticket(ctx: ServiceContext, uow: UnitOfWork, location: Location, services: str | Sequence[str], *,
                 language: str, channel: Channel, priority: bool, device_id: str | None,
                 case_reference: str | None = None) -> TicketView:
    """Draw a walk-in ticket for one service or a visit of several (in order; the number comes
    from the first), about a case if ``case_reference`` is given. Its position counts everyone of
    the first service ahead of it."""
    visit = checked_visit(location, [services] if isinstance(services, str) else services)
    service_id = visit[0]
    ticket, waiting = create_ticket(uow, location, service_id, kind=TicketKind.WALK_IN, channel=channel,
                                    language=language, priority=priority, device_id=device_id,
                                    case_reference=case_reference, next_services=visit[1:])
    # A new walk-in stands behind everyone waiting (a priority one behind the other priority ones).
    position = (uow.tickets.count_waiting(location.id, service_id, priority_only=True) if priority
                else waiting.get(service_id, 1))
    # The writer never plays the queue forward itself: it takes the latest outlook as it is.
    outlook = None if priority else outlook_for_write(ctx, location, uow.now)
    estimate = outlook.for_newcomer(service_id, waiting.get(service_id, 1) - 1, uow.now) if outlook else None
    if estimate is not None:
        return TicketView(ticket, position, estimate.minutes, estimate.range)
    minutes = wait_for(location, service_id, position - 1, recent_service_times(ctx, uow.tickets, location.id, uow.now),
                       desks_open_now(ctx, uow.desks, location, uow.now), uow.now)
    return TicketView(ticket, position, minutes)


def view_of(ctx: ServiceContext, stores: Stores, ticket: Ticket) -> TicketView:
    """The ticket with its position and estimated wait, read through ``stores`` (a unit of work's
    or a read's)."""
    if not ticket.is_waiting:
        return TicketView(ticket, 0, 0)
    location = ctx.location(ticket.location)
    now = ctx.now()
    waiting = stores.tickets.waiting(ticket.location, [ticket.service])
    position = position_in_line(ticket, waiting, now, location.call_policy)
    outlook = outlook_for_read(ctx, stores, location, now)
    estimate = outlook.for_ticket(ticket, len(waiting) - 1, now) if outlook else None
    if estimate is not None:
        return TicketView(ticket, position, estimate.minutes, estimate.range)
    minutes = wait_for(location, ticket.service, position - 1,
                       recent_service_times(ctx, stores.tickets, location.id, now),
                       desks_open_now(ctx, stores.desks, location, now), now)
    return TicketView(ticket, position, minutes)


def ticket_view(ctx: ServiceContext, ticket_id: str) -> TicketView:
    """The ticket as its visitor follows it: where it stands and, for a visit of several services,
    when it is expected to be called for the next one."""
    with ctx.read() as stores:
        ticket = stores.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound("There is no such ticket.")
        return replace(view_of(ctx, stores, ticket), next_service_expected=_next_service_expected(ctx, stores, ticket))


def _next_service_expected(ctx: ServiceContext, stores: Stores, ticket: Ticket) -> TimeRange | None:
    # Only a read plays the queue forward for this: a write's answer goes without.
    if not ticket.next_services or not (ticket.is_waiting or ticket.status in AT_DESK_STATUSES):
        return None
    now = ctx.now()
    outlook = outlook_for_read(ctx, stores, ctx.location(ticket.location), now)
    return outlook.when_called_for(ticket, ticket.next_services[0], now) if outlook else None


def call_next(ctx: ServiceContext, uow: UnitOfWork, location: Location, desk_id: str) -> Ticket | None:
    """The next ticket for this desk, called; None when nobody waits for its services.

    Exactly once: the ticket moves from waiting to called with a compare-and-set, so two desks
    calling at once never get the same ticket. A second click within the debounce window returns
    the ticket the first click called instead of calling another."""
    desk = location.desk(desk_id)
    if desk is None:
        raise NotFound(f"Location '{location.id}' has no desk '{desk_id}'.", desks=[d.id for d in location.desks])
    now = uow.now
    state = uow.desks.get(location.id, desk_id)
    current = uow.tickets.at_desk(location.id, desk_id)
    if state and state.last_call_at and state.last_call_ticket and now - state.last_call_at < ctx.call_debounce:
        repeated = next((t for t in current if t.id == state.last_call_ticket and t.status is TicketStatus.CALLED),
                        None)
        if repeated is not None:
            return repeated
    moved_on = False
    for ticket in current:  # calling the next visitor ends the current visitor's service at this desk
        finished = lifecycle.finish(ticket, now, next_by_arrival=location.call_policy.next_service_by_arrival)
        uow.tickets.save(ticket, finished)
        uow.record("ticket.finished", location.id, ticket_id=finished.id, ticket_number=finished.number,
                   target=desk_id)
        _emit_ticket(uow, location, "ticket.updated", finished)
        moved_on = moved_on or finished.is_waiting
    for _ in range(CALL_RETRIES):
        candidate = next_ticket_for(desk, uow.tickets.waiting(location.id, desk.services), now, location.call_policy)
        if candidate is None:
            uow.desks.set(location.id, DeskState(desk_id, True, _opened_at(state, now), now, None))
            if moved_on:  # the visitor now waits for their next service
                emit_queue_changed(uow, location.id)
            return None
        called = lifecycle.call(candidate, desk_id, now)
        try:
            uow.tickets.save(candidate, called)
        except ConcurrentChange:
            continue  # another desk took it first; choose again
        uow.desks.set(location.id, DeskState(desk_id, True, _opened_at(state, now), now, called.id))
        if not (state and state.is_open):
            ctx.open_desks.forget(location.id)
            ctx.outlooks.forget(location.id)
        _emit_ticket(uow, location, "ticket.called", called)
        uow.record("ticket.called", location.id, ticket_id=called.id, ticket_number=called.number, target=desk_id)
        emit_queue_changed(uow, location.id)
        return called
    raise IllegalTransition("The queue is too busy to call a ticket right now; please try again.")


def _opened_at(state: DeskState | None, now: Any) -> Any:
    if state and state.is_open and business_day(state.changed_at) == business_day(now):
        return state.changed_at
    return now


def set_desk_open(ctx: ServiceContext, uow: UnitOfWork, location: Location, desk_id: str, is_open: bool) -> DeskState:
    if location.desk(desk_id) is None:
        raise NotFound(f"Location '{location.id}' has no desk '{desk_id}'.")
    state = uow.desks.get(location.id, desk_id)
    new = DeskState(desk_id, is_open, uow.now, state.last_call_at if state else None,
                    state.last_call_ticket if state else None)
    uow.desks.set(location.id, new)
    uow.record("desk.opened" if is_open else "desk.closed", location.id, target=desk_id)
    ctx.open_desks.forget(location.id)
    ctx.outlooks.forget(location.id)
    uow.emit(location.id, "queue.changed", {"desk": desk_id, "desk_open": is_open,
                                            "waiting": uow.tickets.waiting_counts(location.id)})
    return new


TICKET_RECORDS = {"recall": "ticket.recalled", "start": "ticket.started", "finish": "ticket.finished",
                  "no-show": "ticket.no_show", "cancel": "ticket.cancelled", "requeue": "ticket.requeued",
                  "priority": "ticket.priority", "transfer": "ticket.transferred",
                  "add-service": "ticket.service_added"}
"""The audit trail's action of each action on a ticket."""

WITH_SERVICE = ("transfer", "add-service")
"""The actions that name a service (``to_service``)."""


def act_on_ticket(ctx: ServiceContext, uow: UnitOfWork, ticket_id: str, action: str, by: Principal,
                  to_service: str | None = None) -> Ticket:
    """recall, start, finish, no-show, cancel, requeue, priority, transfer or add-service (both
    with ``to_service``), by ``by``; a ticket of a location it does not act at is not there for it,
    and a desk acts only on the ticket at its own desk (else ``WrongDesk``).
    Finishing a service of a visit with a next one puts the ticket in that service's queue."""
    ticket = uow.tickets.get(ticket_id)
    if ticket is None or not by.acts_at(ticket.location):
        raise NotFound("There is no such ticket at this location.")
    authorize_at_desk(by, "ticket.act", ticket.desk, ticket=ticket.number)
    location = ctx.location(ticket.location)
    if action in WITH_SERVICE:
        if not to_service:
            raise InvalidServices("Say which service: the body is {\"service\": \"...\"}.")
        _service_or_fail(location, to_service, walk_in=False)
        if action == "transfer":
            changed = lifecycle.transfer(ticket, to_service, uow.now)
        else:
            changed = lifecycle.add_service(ticket, to_service, uow.now)
    elif action == "finish":
        changed = lifecycle.finish(ticket, uow.now, next_by_arrival=location.call_policy.next_service_by_arrival)
    elif action in lifecycle.ACTIONS:
        changed = lifecycle.ACTIONS[action](ticket, uow.now)
    else:
        raise NotFound(f"Unknown action '{action}'.", actions=[*lifecycle.ACTIONS, *WITH_SERVICE])
    if changed is ticket:
        return ticket
    try:
        uow.tickets.save(ticket, changed)
    except ConcurrentChange:
        raise IllegalTransition(f"Ticket {ticket.number} was changed at the same moment; look again.") from None
    uow.record(TICKET_RECORDS[action], location.id, ticket_id=changed.id, ticket_number=changed.number,
               target=to_service if action in WITH_SERVICE else changed.desk)
    if action == "recall":
        _emit_ticket(uow, location, "ticket.recalled", changed)
    else:
        _emit_ticket(uow, location, "ticket.updated", changed)
    if ticket.status is TicketStatus.WAITING or changed.status is TicketStatus.WAITING:
        emit_queue_changed(uow, location.id)
    return changed
