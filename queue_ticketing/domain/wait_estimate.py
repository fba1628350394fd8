"""Estimated wait per service: people ahead, the desks open for it and recent service times."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from location_config.model import Desk

RECENT_SERVICES = 20
"""How many recent service times count; fewer than MIN_SAMPLES fall back to the configured time."""
MIN_SAMPLES = 3
RECENT_WINDOW = timedelta(hours=2)


@dataclass(frozen=True)
class ServiceTime:
    """One finished visit: how long it took at the desk."""

    service: str
    finished_at: datetime
    minutes: float


def typical_minutes(service: str, recent: Iterable[ServiceTime], configured: float, now: datetime) -> float:
    """Median of the service's recent visits (last two hours, at most 20); the configured time
    when there are too few to trust."""
    samples = sorted(
        (s for s in recent if s.service == service and now - s.finished_at <= RECENT_WINDOW),
        key=lambda s: s.finished_at,
    )[-RECENT_SERVICES:]
    if len(samples) < MIN_SAMPLES:
        return configured
    return statistics.median(s.minutes for s in samples)


def desk_capacity(service: str, open_desks: Sequence[Desk]) -> float:
    """How many desks' worth of attention a service gets: a desk counts fully for its first
    service and shares itself among the others."""
    capacity = 0.0
    for desk in open_desks:
        if service not in desk.services:
            continue
        capacity += 1.0 if desk.services[0] == service else 1.0 / len(desk.services)
    return capacity


def estimated_wait_minutes(people_ahead: int, minutes_per_visit: float, capacity: float) -> int:
    """Whole minutes until this visitor is called; with no desk open we assume one will be."""
    if people_ahead <= 0:
        return 0
    return math.ceil(people_ahead * minutes_per_visit / (capacity if capacity > 0 else 1.0))
