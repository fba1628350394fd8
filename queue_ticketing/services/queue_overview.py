"""The queue of a location as screens show it: waiting per service, recent calls, desks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from location_config import Desk, Location, Position

from ..domain.call_order import call_order
from ..domain.numbering import business_day
from ..domain.tickets import Step, Ticket
from ..domain.wait_projection import WaitRange
from .context import ServiceContext
from .queue_insight import longest_wait_minutes, open_desks, recent_service_times, wait_for
from .wait_outlook import outlook_for_read


@dataclass(frozen=True)
class ServiceQueue:
    service: str
    waiting: int
    estimated_wait_minutes: int
    longest_wait_minutes: int
    estimated_wait_range: WaitRange | None = None


@dataclass(frozen=True)
class Call:
    number: str
    service: str
    desk: str | None
    at: datetime
    recalled: bool


@dataclass(frozen=True)
class DeskStatus:
    desk: Desk
    open: bool
    current: Ticket | None


@dataclass(frozen=True)
class QueueSnapshot:
    location: Location
    at: datetime
    services: list[ServiceQueue]
    recent_calls: list[Call]
    desks: list[DeskStatus]
    waiting: list[Ticket]
    """In the order the location's desks would call them."""


def queue_overview(ctx: ServiceContext, location: Location, with_tickets: bool = False) -> QueueSnapshot:
    """The queue now; ``with_tickets`` adds the waiting tickets one by one (for desks and hosts)."""
    now = ctx.now()
    with ctx.read() as stores:
        store = stores.tickets
        summary = store.waiting_summary(location.id)
        waiting = store.waiting(location.id) if with_tickets else []
        at_desks = store.at_desks(location.id)
        calls = store.recent_calls(location.id)
        states = stores.desks.states(location.id)
        recent = recent_service_times(ctx, store, location.id, now)
        outlook = outlook_for_read(ctx, stores, location, now)
    desks_open = open_desks(location, states, now)
    services = []
    for service in location.services:
        count, oldest = summary.get(service.id, (0, None))
        # The wait for someone drawing a ticket now: everyone waiting is ahead.
        estimate = outlook.for_newcomer(service.id, count, now) if outlook else None
        services.append(ServiceQueue(
            service=service.id, waiting=count,
            estimated_wait_minutes=(estimate.minutes if estimate
                                    else wait_for(location, service.id, count, recent, desks_open, now)),
            longest_wait_minutes=longest_wait_minutes(oldest, now),
            estimated_wait_range=estimate.range if estimate else None,
        ))
    today = business_day(now)
    recent_calls = [Call(number, service, desk, at, step == Step.RECALLED.value)
                    for number, service, desk, at, step in calls if business_day(at) == today]
    by_desk = {t.desk: t for t in at_desks}
    open_ids = {d.id for d in desks_open}
    desks = [DeskStatus(d, d.id in open_ids, by_desk.get(d.id)) for d in location.desks]
    every_service = Desk(id="", number=0, services=tuple(s.id for s in location.services), floor=0,
                         wayfinding={}, position=Position(0.0, 0.0))
    ordered = call_order(every_service, waiting, now, location.call_policy)
    return QueueSnapshot(location, now, services, recent_calls, desks, ordered)


def waiting_everywhere(ctx: ServiceContext) -> dict[tuple[str, str], int]:
    """Tickets waiting per (location, service), in every location of the database."""
    with ctx.read() as stores:
        return stores.tickets.all_waiting_counts()
