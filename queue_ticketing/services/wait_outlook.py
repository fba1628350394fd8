"""Estimated waits as visitors read them: the location's queue played forward, kept a moment.

The projection (``domain/wait_projection.py``) lets the open desks call the waiting tickets in the
location's own call order, each visit taking its service's recent mean. Two more, with visits a
fifth shorter and a quarter longer, give the range a visitor is shown when the estimate is
uncertain. An outlook is made at most every ``OUTLOOK_SECONDS`` per location, on a read connection
and never by the writer: a ticket issue (in the group commit) takes the latest outlook as it is,
counts the tickets drawn since on top, and has a fresh one made in the background. Reads (ticket
pages, the queue overview) make it themselves when it is stale. Beyond ``PROJECTION_LIMIT`` waiting
tickets (a hall that is not a real one: a load test) the queue-length estimate is used instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from location_config import Location

from ..domain.tickets import Ticket
from ..domain.wait_projection import (
    CALL_GAP_MINUTES,
    TimeRange,
    VisitMinutes,
    WaitRange,
    learned_visit_minutes,
    newcomer_waits,
    next_queue_joiners,
    project,
    time_range,
    wait_range,
)
from ..store.unit_of_work import Stores
from .context import ServiceContext
from .queue_insight import desks_open_now, recent_service_times

OUTLOOK_SECONDS = 2.0
TRUSTED_SECONDS = 60.0
"""How old an outlook a ticket issue still uses (with the tickets drawn since counted on top)."""
PROJECTION_LIMIT = 1000
OPTIMISTIC, PESSIMISTIC = 0.8, 1.25
"""Visit lengths scaled for the low and high end of the range."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Estimate:
    minutes: int
    range: WaitRange


@dataclass(frozen=True)
class Outlook:
    """A location's queue played forward at ``at``: minutes until each waiting ticket is called
    (expected, low, high) and what a walk-in drawing a ticket then would wait, per service."""

    at: datetime
    calls: dict[str, tuple[float, float, float]]
    newcomer: dict[str, tuple[float, float, float] | None]
    waiting: dict[str, int]
    minutes: VisitMinutes
    desks_for: dict[str, int]
    later: dict[str, dict[str, tuple[float, float, float]]] = field(default_factory=dict)
    """Ticket id -> a next service of its visit -> minutes until it is called for that one."""

    def for_ticket(self, ticket: Ticket, waiting_now: int, now: datetime) -> Estimate | None:
        """The estimate for a waiting ticket, or None when no desk offers its service."""
        elapsed = (now - self.at).total_seconds() / 60
        projected = self.calls.get(ticket.id)
        if projected is None:
            return self.for_newcomer(ticket.service, waiting_now, now)
        return _estimate(*(max(0.0, value - elapsed) for value in projected))

    def for_later_service(self, ticket: Ticket, service: str, now: datetime) -> Estimate | None:
        """When a visit of several services (waiting, or at a desk) is expected to be called for
        ``service``, one of its next services; None when the projection does not reach it."""
        projected = self.later.get(ticket.id, {}).get(service)
        if projected is None:
            return None
        elapsed = (now - self.at).total_seconds() / 60
        return _estimate(*(max(0.0, value - elapsed) for value in projected))

    def when_called_for(self, ticket: Ticket, service: str, now: datetime) -> TimeRange | None:
        """:meth:`for_later_service` as times of day a visitor reads at a glance (see
        :func:`~queue_ticketing.domain.wait_projection.time_range`), from the unrounded ends."""
        projected = self.later.get(ticket.id, {}).get(service)
        if projected is None:
            return None
        elapsed = (now - self.at).total_seconds() / 60
        _expected, low, high = projected
        return time_range(now, low - elapsed, high - elapsed)

    def for_newcomer(self, service: str, waiting_now: int, now: datetime) -> Estimate | None:
        """For a walk-in drawing a ticket now; ``waiting_now`` counts those waiting for the service
        (the newcomer not included), so tickets drawn since the projection add their visits."""
        base = self.newcomer.get(service)
        if base is None:
            return None
        elapsed = (now - self.at).total_seconds() / 60
        drawn_since = max(0, waiting_now - self.waiting.get(service, 0))
        extra = drawn_since * self.minutes.of(service) / max(1, self.desks_for.get(service, 1))
        return _estimate(*(max(0.0, value - elapsed) + extra * scale
                           for value, scale in zip(base, (1.0, OPTIMISTIC, PESSIMISTIC), strict=True)))


def _estimate(expected: float, low: float, high: float) -> Estimate:
    return Estimate(round(expected), wait_range(low, high))


class Outlooks:
    """The latest outlook of each location (None when its queue was too long to project), when it
    was made, and one background worker that renews them."""

    def __init__(self) -> None:
        self._latest: dict[str, tuple[float, datetime, Outlook | None]] = {}
        self._renewing: set[str] = set()
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="wait-outlook")

    def latest(self, location: str, now: datetime) -> tuple[float, Outlook | None] | None:
        """``(age in seconds, outlook)`` of the latest, or None when there is none. The age is the
        larger of the time passed and the business clock's move (which a test may jump)."""
        with self._lock:
            hit = self._latest.get(location)
        if hit is None:
            return None
        made, made_for, outlook = hit
        return max(time.monotonic() - made, abs((now - made_for).total_seconds())), outlook

    def put(self, location: str, now: datetime, outlook: Outlook | None) -> None:
        with self._lock:
            self._latest[location] = (time.monotonic(), now, outlook)

    def forget(self, location: str) -> None:
        """A desk opened or closed: the next read makes a new outlook."""
        with self._lock:
            self._latest.pop(location, None)

    def renew_soon(self, location: str, make: Callable[[], tuple[datetime, Outlook | None]]) -> None:
        with self._lock:
            if location in self._renewing:
                return
            self._renewing.add(location)

        def renew() -> None:
            try:
                self.put(location, *make())
            except Exception:  # the database hiccuped: the next request asks again
                log.warning("wait outlook for %s could not be made", location, exc_info=True)
            finally:
                with self._lock:
                    self._renewing.discard(location)

        self._worker.submit(renew)


def outlook_for_read(ctx: ServiceContext, stores: Stores, location: Location, now: datetime) -> Outlook | None:
    """The outlook for a read: the latest when fresh and the queue has not changed since, else
    made now on ``stores``."""
    latest = ctx.outlooks.latest(location.id, now)
    if latest is not None and latest[0] < OUTLOOK_SECONDS:
        outlook = latest[1]
        # Fresh, and nobody drawn or called since: the waiting counts are the queue's version.
        if outlook is None or outlook.waiting == _counts(stores.tickets.waiting_counts(location.id)):
            return outlook
    made = make_outlook(ctx, stores, location, now)
    ctx.outlooks.put(location.id, now, made)
    return made


def outlook_for_write(ctx: ServiceContext, location: Location, now: datetime) -> Outlook | None:
    """The latest outlook as it is (never made by the writer); a fresh one is asked for when it is
    stale. None when there is none yet or it is too old to trust: the queue-length estimate then."""
    latest = ctx.outlooks.latest(location.id, now)
    if latest is None or latest[0] >= OUTLOOK_SECONDS:
        ctx.outlooks.renew_soon(location.id, lambda: _make_on_read(ctx, location))
    if latest is None or latest[0] > TRUSTED_SECONDS:
        return None
    return latest[1]


def _make_on_read(ctx: ServiceContext, location: Location) -> tuple[datetime, Outlook | None]:
    now = ctx.now()
    with ctx.read() as stores:
        return now, make_outlook(ctx, stores, location, now)


def make_outlook(ctx: ServiceContext, stores: Stores, location: Location, now: datetime) -> Outlook | None:
    """The location's queue played forward now; None while no desk is open (nobody calls: the
    queue-length estimate assumes one desk will) or beyond ``PROJECTION_LIMIT`` waiting."""
    open_desks = desks_open_now(ctx, stores.desks, location, now)
    if not open_desks:
        return None
    waiting = stores.tickets.waiting(location.id)
    if len(waiting) > PROJECTION_LIMIT:
        return None
    recent = recent_service_times(ctx, stores.tickets, location.id, now)
    configured = {s.id: s.typical_service_minutes for s in location.services}
    expected = learned_visit_minutes(configured, recent, now)
    free_at, at_desks = _desks_free_at(stores, location, expected, now)
    every_desk = list(location.desks)
    services = [s.id for s in location.services]
    calling = open_desks
    policy = location.call_policy
    runs = []
    for scale in (1.0, OPTIMISTIC, PESSIMISTIC):
        minutes = VisitMinutes({s: m * scale for s, m in expected.expected.items()}, expected.fallback * scale)
        # A visitor at a desk with a next service joins that queue when the visit is expected to end.
        ends = [(ticket, max(now, start + timedelta(minutes=max(0.0, minutes.of(ticket.service) - CALL_GAP_MINUTES))))
                for ticket, start in at_desks]
        joining = next_queue_joiners(ends, policy)
        runs.append((project(calling, free_at, waiting, now, policy, minutes, joining=joining),
                     newcomer_waits(calling, every_desk, free_at, waiting, services, now, policy, minutes, joining)))
    (made, alone), (made_low, alone_low), (made_high, alone_high) = runs
    calls, calls_low, calls_high = made.calls, made_low.calls, made_high.calls
    projected = {ticket_id: (_minutes(at, now), _minutes(calls_low[ticket_id], now),
                             _minutes(calls_high[ticket_id], now))
                 for ticket_id, at in calls.items() if ticket_id in calls_low and ticket_id in calls_high}
    later = {ticket_id: {service: (_minutes(at, now), _minutes(soon[service], now), _minutes(slow[service], now))
                         for service, at in services_at.items() if service in soon and service in slow}
             for ticket_id, services_at in made.later.items()
             if (soon := made_low.later.get(ticket_id, {})) and (slow := made_high.later.get(ticket_id, {}))}
    newcomer: dict[str, tuple[float, float, float] | None] = {}
    for service in services:
        expected_wait, low, high = alone[service], alone_low[service], alone_high[service]
        newcomer[service] = None if expected_wait is None or low is None or high is None else (expected_wait, low, high)
    counts: dict[str, int] = {}
    for ticket in waiting:
        counts[ticket.service] = counts.get(ticket.service, 0) + 1
    counts = _counts(counts)
    desks_for = {s: sum(1 for d in calling if s in d.services) for s in services}
    return Outlook(now, projected, newcomer, counts, expected, desks_for, later)


def _desks_free_at(stores: Stores, location: Location, minutes: VisitMinutes,
                   now: datetime) -> tuple[dict[str, datetime], list[tuple[Ticket, datetime]]]:
    """When each busy desk is expected to call again: its visit's call plus the service's visit
    length; half a visit from now when the call is not among the recent ones. Also the tickets at
    the desks with when their visit started (as counted here)."""
    called_at: dict[str, datetime] = {}
    for _number, _service, desk, at, _step in stores.tickets.recent_calls(location.id, limit=50):  # newest first
        if desk is not None:
            called_at.setdefault(desk, at)
    free_at = {}
    at_desks = []
    for ticket in stores.tickets.at_desks(location.id):
        if ticket.desk is None:
            continue
        visit = timedelta(minutes=minutes.of(ticket.service))
        start = called_at.get(ticket.desk)
        if start is None:
            start = now - visit / 2
        free_at[ticket.desk] = max(now, start + visit)
        at_desks.append((ticket, start))
    return free_at, at_desks


def _counts(waiting: dict[str, int]) -> dict[str, int]:
    return {service: count for service, count in waiting.items() if count}


def _minutes(at: datetime, now: datetime) -> float:
    return max(0.0, (at - now).total_seconds() / 60)
