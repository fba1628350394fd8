"""How many offline numbers a kiosk keeps in stock, and for which days (pure decisions).

The kiosk keeps, per walk-in service, at least ``low_water`` unused numbers leased for today, in
blocks of ``block_size``. From ``tomorrow_from`` (local time) on it also leases tomorrow's first
block, so a kiosk whose link is down when it starts in the morning can still print tickets. Every
lease moves that day's online numbering past the block (the first online ticket of a day may be
P026, not P001): keep blocks small unless kiosks are often offline for long."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..domain.numbering import BUSINESS_TIMEZONE, business_day

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
