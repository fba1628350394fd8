"""Positions and wait estimates for a location, from the store and the pure domain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from location_config import Desk, Location

from ..domain.numbering import business_day
from ..domain.wait_estimate import (
    RECENT_WINDOW,
    ServiceTime,
    desk_capacity,
    estimated_wait_minutes,
    typical_minutes,
)
from ..store.desks import DeskState, DeskStore
from ..store.tickets import TicketStore
from .context import ServiceContext


def open_desks(location: Location, states: dict[str, DeskState], now: datetime) -> list[Desk]:
    """Desks opened (explicitly or by calling) today and not closed since."""
    today = business_day(now)
    result = []
    for desk in location.desks:
        state = states.get(desk.id)
        if state and state.is_open and business_day(state.changed_at) == today:
            result.append(desk)
    return result


def desks_open_now(ctx: ServiceContext, store: DeskStore, location: Location, now: datetime) -> list[Desk]:
    """Open desks, cached briefly: a desk that opens by calling shows up within seconds."""
    return ctx.open_desks.get(location.id, lambda: open_desks(location, store.states(location.id), now))  # type: ignore[return-value]


def recent_service_times(ctx: ServiceContext, store: TicketStore, location: str, now: datetime) -> list[ServiceTime]:
    def compute() -> list[ServiceTime]:
        return store.service_times(location, now - RECENT_WINDOW)

    return ctx.service_times.get(location, compute)  # type: ignore[return-value]


def wait_for(location: Location, service_id: str, people_ahead: int, recent: Sequence[ServiceTime],
             desks: Sequence[Desk], now: datetime) -> int:
    service = location.service(service_id)
    configured = service.typical_service_minutes if service else 5.0
    minutes = typical_minutes(service_id, recent, configured, now)
    return estimated_wait_minutes(people_ahead, minutes, desk_capacity(service_id, desks))


def longest_wait_minutes(waited_since: datetime | None, now: datetime) -> int:
    if waited_since is None:
        return 0
    return max(0, int((now - waited_since) / timedelta(minutes=1)))
