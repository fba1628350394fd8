"""When will each waiting visitor be called? The desks' own call order, played forward.

The simple estimate (people of the same service ahead x typical minutes / desks) treats a desk as
shared evenly between its services, while a desk calls in the location's call order: a service that
every desk lists late waits far longer than its own queue suggests, and one that comes first
everywhere far shorter. Here the open desks call the waiting tickets in that very order
(:func:`~queue_ticketing.domain.call_order.next_ticket_for`), each visit taking its service's
expected minutes, and the moment each ticket is reached is its projected call.

Within one service the call order is first come, first served, except for priority tickets and
appointments (which jump ahead when due), so only the head of each service's queue and those few
special tickets are candidates at each step: a projection of ``n`` tickets costs ``n`` small choices,
not ``n`` sorts of the whole queue.

A visit of several services comes back: when the projection calls a ticket that has a next service,
the ticket joins that service's queue at the projected end of the visit, placed as the server will
place it (the domain's ``finish``); a visitor at a desk now does the same at the expected end of the
current visit (``joining``). So the projection also says when such a visit will be called for its
next services (``Projection.later``), and the queues they join grow by them in time.
"""

from __future__ import annotations

import bisect
import heapq
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from location_config.model import CallPolicy, Desk

from .call_order import next_ticket_for
from .tickets import AT_DESK_STATUSES, Channel, Ticket, TicketKind, TicketStatus, call, finish
from .wait_estimate import MIN_SAMPLES, RECENT_SERVICES, RECENT_WINDOW, ServiceTime

NEWCOMER = "\x00newcomer"
"""Id of the hypothetical ticket drawn now, in :func:`newcomer_waits`."""


CALL_GAP_MINUTES = 0.5
"""Between one visitor leaving and the desk calling the next."""


@dataclass(frozen=True)
class VisitMinutes:
    """How long a visit of each service keeps a desk, from the call to the next call."""

    expected: Mapping[str, float]
    fallback: float = 5.0

    def of(self, service: str) -> float:
        return self.expected.get(service, self.fallback)


def learned_visit_minutes(configured: Mapping[str, float], recent: Iterable[ServiceTime],
                          now: datetime) -> VisitMinutes:
    """Per service, the mean of its recent visits (the last two hours, at most 20; the mean, not the
    median, because a desk's throughput is what the long visits leave of its time), or the configured
    typical time with too few to trust; plus the gap before the next call."""
    samples: dict[str, list[ServiceTime]] = {}
    for visit in recent:
        if now - visit.finished_at <= RECENT_WINDOW:
            samples.setdefault(visit.service, []).append(visit)
    expected = {}
    for service, typical in configured.items():
        mine = sorted(samples.get(service, ()), key=lambda v: v.finished_at)[-RECENT_SERVICES:]
        minutes = statistics.fmean(v.minutes for v in mine) if len(mine) >= MIN_SAMPLES else typical
        expected[service] = minutes + CALL_GAP_MINUTES
    return VisitMinutes(expected)


Joining = Sequence[tuple[datetime, Ticket]]
"""Tickets that will enter a queue later, with the moment: visitors at a desk now whose visit has a
next service (:func:`next_queue_joiners`), in the form the ticket will then have."""


@dataclass(frozen=True)
class Projection:
    calls: dict[str, datetime]
    """Ticket id -> its projected call for the service it waits for now."""
    later: dict[str, dict[str, datetime]]
    """Ticket id -> next service of its visit -> its projected call for that one (visits of several
    services, waiting or at a desk now)."""


def next_queue_joiners(at_desks: Iterable[tuple[Ticket, datetime]],
                       policy: CallPolicy) -> list[tuple[datetime, Ticket]]:
    """Visitors at a desk whose visit has a next service, each with the moment its visit is
    expected to end: they join that service's queue then, placed as the server places them (the
    domain's own :func:`~queue_ticketing.domain.tickets.finish`, with the location's
    ``next_service_queued_by``)."""
    return [(end, finish(ticket, end, next_by_arrival=policy.next_service_by_arrival))
            for ticket, end in at_desks if ticket.next_services and ticket.status in AT_DESK_STATUSES]


def _line_key(ticket: Ticket) -> tuple[datetime, int, str]:
    """Within one service the call order is first come, first served (``call_order``'s tie-break)."""
    return ticket.queued_at, len(ticket.number), ticket.number


def projected_calls(desks: Sequence[Desk], free_at: Mapping[str, datetime], waiting: Sequence[Ticket],
                    now: datetime, policy: CallPolicy, minutes: VisitMinutes,
                    ghosts: frozenset[str] = frozenset(), joining: Joining = ()) -> dict[str, datetime]:
    """Ticket id -> when it is expected to be called, for every waiting ticket an open desk serves
    (see :func:`project`)."""
    return project(desks, free_at, waiting, now, policy, minutes, ghosts, joining).calls


def project(desks: Sequence[Desk], free_at: Mapping[str, datetime], waiting: Sequence[Ticket], now: datetime,
            policy: CallPolicy, minutes: VisitMinutes, ghosts: frozenset[str] = frozenset(),
            joining: Joining = ()) -> Projection:
    """The open desks call the waiting tickets in the location's order.

    ``desks`` are the open desks; ``free_at`` says when a desk that is busy will call again (a desk
    missing from it is free now). Tickets no open desk serves are left out. ``ghosts`` are called
    like the others but take no desk time: "when would I be called" asked without changing the
    answer for anyone else. A visit of several services joins its next service's queue when the
    projected visit for the current one ends, and so do the ``joining`` tickets at their moment:
    the queue of a service a desk is not serving yet still grows from the other desks."""
    regular: dict[str, list[Ticket]] = {}
    special: list[Ticket] = []

    def enter(ticket: Ticket) -> None:
        if ticket.priority or ticket.kind is TicketKind.APPOINTMENT:
            special.append(ticket)
        else:
            bisect.insort(regular.setdefault(ticket.service, []), ticket, key=_line_key)

    for ticket in sorted((t for t in waiting if t.is_waiting), key=_line_key):
        enter(ticket)
    pending = [(at, n, ticket) for n, (at, ticket) in enumerate(joining)]
    heapq.heapify(pending)
    sequence = len(pending)
    rejoined: set[str] = {ticket.id for _, ticket in joining}
    turns = [(max(now, free_at.get(d.id, now)), i, d) for i, d in enumerate(desks)]
    heapq.heapify(turns)
    idle: dict[int, tuple[datetime, Desk]] = {}
    """Desks with nothing to call, until a visitor joins one of their queues."""
    called: dict[str, datetime] = {}
    later: dict[str, dict[str, datetime]] = {}
    while turns and (special or pending or any(regular.values())):
        moment, i, desk = heapq.heappop(turns)
        while pending and pending[0][0] <= moment:
            enter(heapq.heappop(pending)[2])
        candidates = [queue[0] for s in desk.services if (queue := regular.get(s))]
        candidates += [t for t in special if t.service in desk.services]
        chosen = next_ticket_for(desk, candidates, moment, policy)
        if chosen is None:
            # Nothing this desk serves waits; it calls again when a visitor joins one of its queues.
            joins = [at for at, _, t in pending if t.service in desk.services]
            if joins:
                heapq.heappush(turns, (min(joins), i, desk))
            else:
                idle[i] = (moment, desk)
            continue
        if chosen.priority or chosen.kind is TicketKind.APPOINTMENT:
            special.remove(chosen)
        else:
            regular[chosen.service].pop(0)
        if chosen.id in rejoined:
            later.setdefault(chosen.id, {}).setdefault(chosen.service, moment)
        else:
            called[chosen.id] = moment
        visit = 0.0 if chosen.id in ghosts else minutes.of(chosen.service)
        heapq.heappush(turns, (moment + timedelta(minutes=visit), i, desk))
        if chosen.next_services:
            ends = moment + timedelta(minutes=max(0.0, visit - CALL_GAP_MINUTES))
            following = finish(call(chosen, desk.id, moment), ends, next_by_arrival=policy.next_service_by_arrival)
            rejoined.add(chosen.id)
            heapq.heappush(pending, (ends, sequence, following))
            sequence += 1
            for waking in [j for j, (_, d) in idle.items() if following.service in d.services]:
                since, idle_desk = idle.pop(waking)
                heapq.heappush(turns, (max(since, ends), waking, idle_desk))
    return Projection(called, later)


def projected_wait(ticket_id: str, open_desks: Sequence[Desk], every_desk: Sequence[Desk],
                   free_at: Mapping[str, datetime], waiting: Sequence[Ticket], now: datetime, policy: CallPolicy,
                   minutes: VisitMinutes, joining: Joining = ()) -> float | None:
    """Minutes until ``ticket_id`` (one of ``waiting``) is called. When no open desk serves it (all at
    lunch, say), the location's desks that offer it are assumed to open again: a visitor is never
    told "never". None only when no desk at all offers its service."""
    at = projected_calls(open_desks, free_at, waiting, now, policy, minutes, joining=joining).get(ticket_id)
    if at is None:
        at = projected_calls(every_desk, free_at, waiting, now, policy, minutes, joining=joining).get(ticket_id)
    return None if at is None else _minutes(at - now)


def newcomer_waits(open_desks: Sequence[Desk], every_desk: Sequence[Desk], free_at: Mapping[str, datetime],
                   waiting: Sequence[Ticket], services: Sequence[str], now: datetime, policy: CallPolicy,
                   minutes: VisitMinutes, joining: Joining = ()) -> dict[str, float | None]:
    """Service -> minutes a walk-in drawing a ticket now would wait (None: no desk offers it).

    One projection answers for every service: a newcomer joins the end of each service's queue at
    once, as a ghost that takes no desk time, so no newcomer delays another."""
    # Drawn just after now, so behind every ticket already there even when clocks tie.
    drawn = now + timedelta(microseconds=1)
    newcomers = {service: Ticket(id=NEWCOMER + service, location="", service=service, number="~",
                                 business_day=now.date(), kind=TicketKind.WALK_IN, channel=Channel.KIOSK,
                                 language="", status=TicketStatus.WAITING, issued_at=drawn, queued_at=drawn)
                 for service in services}
    everyone = [*waiting, *newcomers.values()]
    ghosts = frozenset(t.id for t in newcomers.values())
    at = projected_calls(open_desks, free_at, everyone, now, policy, minutes, ghosts, joining)
    if any(ticket.id not in at for ticket in newcomers.values()):
        # No open desk offers some: as if the location's desks that do will open.
        for ticket_id, moment in projected_calls(every_desk, free_at, everyone, now, policy, minutes, ghosts,
                                                 joining).items():
            at.setdefault(ticket_id, moment)
    return {service: _minutes(at[t.id] - now) if t.id in at else None for service, t in newcomers.items()}


def _minutes(delta: timedelta) -> float:
    return max(0.0, delta.total_seconds() / 60.0)


@dataclass(frozen=True)
class WaitRange:
    """An estimate a visitor can rely on: whole minutes, and a range when the data is thin."""

    low: int
    high: int

    @property
    def is_range(self) -> bool:
        return self.high > self.low


def wait_range(optimistic: float, pessimistic: float) -> WaitRange:
    """Minutes rounded outward to a range a person reads at a glance: exact under 5 minutes, to 5
    minutes up to an hour, to 15 beyond; one figure when both ends round together."""
    low, high = sorted((optimistic, pessimistic))
    step = 1 if high < 5 else 5 if high <= 60 else 15
    lo = int(math.floor(low / step) * step)
    hi = int(math.ceil(high / step) * step)
    return WaitRange(lo, max(lo, hi))


@dataclass(frozen=True)
class TimeRange:
    """When something is expected, as times of day a visitor reads at a glance: "around 10:40"
    when ``earliest`` is ``latest``, else "between 10:30 and 10:50"."""

    earliest: datetime
    latest: datetime

    @property
    def is_range(self) -> bool:
        return self.latest > self.earliest


def time_range(now: datetime, optimistic: float, pessimistic: float) -> TimeRange:
    """``now`` plus the minutes at each end, as times of day on the clock's 5-minute marks (15 when
    the later end is more than an hour away): a time like 10:37 would claim a precision no queue
    has. One time when both ends are nearest the same mark (the range is within half a step of
    it), else rounded outward. Marks are counted from the epoch: the same marks in any time zone
    whose offset is whole quarter hours."""
    low, high = sorted((max(0.0, optimistic), max(0.0, pessimistic)))
    step = 60 * (5 if high <= 60 else 15)
    start, end = now.timestamp() + low * 60, now.timestamp() + high * 60
    if round(start / step) == round(end / step):
        around = _at(now, round(start / step) * step)
        return TimeRange(around, around)
    return TimeRange(_at(now, math.floor(start / step) * step), _at(now, math.ceil(end / step) * step))


def _at(now: datetime, timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=now.tzinfo)
