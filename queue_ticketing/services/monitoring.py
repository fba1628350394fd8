"""What the alerts watch that lives in the database: the queues with their longest wait, and each
device's latest heartbeat. Read at scrape time, so every server process reports the same truth."""

from __future__ import annotations

from dataclasses import dataclass

from ..store.device_heartbeats import Heartbeat
from .context import ServiceContext


@dataclass(frozen=True)
class WatchedFigures:
    waiting: dict[tuple[str, str], int]
    """Tickets waiting per (location, service)."""
    longest_wait_seconds: dict[tuple[str, str], float]
    """How long the longest-waiting ticket of each queue with anyone in it has waited."""
    heartbeats: list[Heartbeat]


def watched_figures(ctx: ServiceContext) -> WatchedFigures:
    """One read transaction; raises when the database cannot be reached."""
    now = ctx.now()
    with ctx.read() as stores:
        waiting = stores.tickets.all_waiting_counts()
        longest = {(location, service): max(0.0, (now - since).total_seconds())
                   for location in sorted(ctx.locations)
                   for service, (_count, since) in stores.tickets.waiting_summary(location).items()}
        heartbeats = stores.device_heartbeats.all()
    return WatchedFigures(waiting, longest, heartbeats)
