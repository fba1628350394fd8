"""The offline numbers a kiosk keeps in stock: how many, for which days (pure decisions), and the
``NumberKeeper`` that queues the leases they call for in the outbox.

The kiosk keeps, per walk-in service, at least ``low_water`` unused numbers leased for today, in
blocks of ``block_size``. From ``tomorrow_from`` (local time) on it also leases tomorrow's first
block, so a kiosk whose link is down when it starts in the morning can still print tickets. Every
lease moves that day's online numbering past the block (the first online ticket of a day may be
P026, not P001): keep blocks small unless kiosks are often offline for long."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..domain.clock import Clock
from ..domain.numbering import BUSINESS_TIMEZONE, business_day
from .errors import ClientError
from .outbox import LEASE_BLOCK, Outbox, Request
from .transport import api_path

MAX_LEASES_PER_PASS = 4
"""Per service and day, how many blocks one top-up may ask for (a bound, should settings be odd)."""


@dataclass(frozen=True)
class OfflineStock:
    """What to keep leased for one location."""

    location: str
    services: tuple[str, ...] | None = None
    """Walk-in services to keep numbers for; None: every walk-in service of the location."""
    block_size: int = 25
    low_water: int = 10
    tomorrow_from: time | None = time(16, 0)
    """Local time from which tomorrow's first block is leased too; None: never ahead."""

    def __post_init__(self) -> None:
        if not 1 <= self.block_size <= 200:
            raise ValueError("block_size is 1 to 200 numbers")
        if self.low_water < 0:
            raise ValueError("low_water cannot be negative")


def days_to_stock(stock: OfflineStock, now: datetime) -> list[date]:
    """Today, and tomorrow once it is late enough in the day."""
    today = business_day(now)
    days = [today]
    if stock.tomorrow_from is not None and now.astimezone(BUSINESS_TIMEZONE).time() >= stock.tomorrow_from:
        days.append(today + timedelta(days=1))
    return days


def blocks_to_lease(stock: OfflineStock, day: date, today: date, left: int, pending_leases: int) -> int:
    """How many more blocks to ask for now: today enough to reach ``low_water``; a later day one."""
    expected = left + pending_leases * stock.block_size
    if day > today:
        return 0 if expected > 0 else 1
    wanted = max(stock.low_water, 1)
    if expected >= wanted:
        return 0
    missing = wanted - expected
    return min(MAX_LEASES_PER_PASS, -(-missing // stock.block_size))


def lease_request(location: str, service: str, size: int, day: date) -> Request:
    """The lease of one block. The day is always in the body: a lease replayed on a later day is
    refused, not moved."""
    return Request(LEASE_BLOCK, "POST", api_path("locations", location, "number-blocks"),
                   {"service": service, "size": size, "business_day": day.isoformat()})


def lease_topic(location: str, service: str, day: date) -> str:
    """The outbox topic of the leases for one service and day (counted so as not to ask twice)."""
    return f"lease:{location}:{service}:{day.isoformat()}"


class NumberKeeper:
    """Keeps the stock of every location it was asked to: ``top_up()`` queues in the outbox the
    leases the stock needs now, and the outbox's replay sends them. ``walk_in_services`` names a
    location's walk-in services (asked of the server once per location; a ``ClientError`` means
    none known yet, and it is asked again on the next top-up)."""

    def __init__(self, outbox: Outbox, clock: Clock, walk_in_services: Callable[[str], tuple[str, ...]],
                 new_key: Callable[[], str]) -> None:
        self._outbox = outbox
        self._clock = clock
        self._walk_in_services = walk_in_services
        self._new_key = new_key
        self._stock: dict[str, OfflineStock] = {}
        self._walk_in: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def keep(self, stock: OfflineStock) -> None:
        with self._lock:
            self._stock[stock.location] = stock

    def keeps(self, location: str) -> bool:
        """Whether this kiosk issues offline tickets at ``location`` at all."""
        with self._lock:
            return location in self._stock

    def numbers_left(self, location: str, service: str) -> int:
        """Unused leased numbers for this service today."""
        return self._outbox.numbers_left(location, service, business_day(self._clock()))

    def top_up(self) -> bool:
        """Queue the leases the stock needs now; True when it queued any."""
        now = self._clock()
        today = business_day(now)
        with self._lock:
            stocks = list(self._stock.values())
        queued = False
        for stock in stocks:
            services = stock.services or self._services_of(stock.location)
            for day in days_to_stock(stock, now):
                for service in services:
                    topic = lease_topic(stock.location, service, day)
                    wanted = blocks_to_lease(stock, day, today, self._outbox.numbers_left(stock.location, service, day),
                                             self._outbox.pending_with_topic(topic))
                    request = lease_request(stock.location, service, stock.block_size, day)
                    for _ in range(wanted):
                        self._outbox.add(self._new_key(), request, now, topic=topic)
                        queued = True
        return queued

    def _services_of(self, location: str) -> tuple[str, ...]:
        known = self._walk_in.get(location)
        if known is None:
            try:
                known = self._walk_in_services(location)
            except ClientError:
                return ()
            self._walk_in[location] = known
        return known
