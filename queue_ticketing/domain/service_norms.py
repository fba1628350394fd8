"""Service norms (servicenormen): how long walk-in visitors waited, against the promise
"``share`` of walk-in visitors helped within ``minutes``", per service and per hour of the day.

Definitions (the report says what it measures, so the figures can be checked by hand):
- A visit is one ticket, counted for the service it was issued for and the hour (Europe/Amsterdam)
  it was issued in. ``visitors`` counts every ticket; walk-ins and appointments separately.
- Wait: from issue to the first call, for walk-ins that were called (a no-show was called too).
  Appointments are left out of the wait figures: their visitors come early on purpose.
- Percentiles interpolate linearly between the two nearest ranks (the median of 2, 4 is 3).
- Within the norm: called after at most ``minutes``. A walk-in never called counts as not helped
  within the norm, unless the ticket ended (cancelled) or the report was made within ``minutes``
  of its issue: that visitor left of their own accord, or may still be helped in time, and is not
  judged.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from .numbering import BUSINESS_TIMEZONE


@dataclass(frozen=True)
class Norm:
    minutes: int
    share: float
    """0.8: 80% of walk-in visitors helped within ``minutes``."""


class Visit(NamedTuple):
    """One ticket as the report sees it (a tuple: a year of them is built in a blink)."""

    service: str
    walk_in: bool
    issued_at: datetime
    first_called_at: datetime | None
    ended_uncalled_at: datetime | None = None
    """When a ticket that was never called ended (cancelled)."""
    no_show: bool = False


@dataclass(frozen=True)
class Figures:
    visitors: int
    walk_ins: int
    appointments: int
    no_shows: int
    waits_measured: int
    median_wait_minutes: float | None
    p80_wait_minutes: float | None
    p95_wait_minutes: float | None
    judged: int
    """Walk-ins judged against the norm (see the module's definitions)."""
    within_norm: int
    within_norm_share: float | None


@dataclass(frozen=True)
class ServiceFigures:
    service: str | None
    """None: all services together (each visit judged by its own service's norm)."""
    norm: Norm | None
    total: Figures
    by_hour: tuple[tuple[int, Figures], ...]
    """Hour of the day of issue (0-23) → figures; only hours with visitors."""

    @property
    def norm_met(self) -> bool | None:
        share = self.total.within_norm_share
        if self.norm is None or share is None:
            return None
        return share >= self.norm.share


def percentile(sorted_values: Sequence[float], fraction: float) -> float | None:
    """The value at ``fraction`` (0.5 = median) of sorted values, interpolated between ranks."""
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


class _Scored(NamedTuple):
    """A visit measured once: its hour, wait and verdict against its service's norm."""

    service: str
    hour: int
    walk_in: bool
    no_show: bool
    wait: float | None
    within: bool | None
    """True/False: helped within the norm or not; None: not judged."""


def _score(visit: Visit, norm: Norm | None, now: datetime, timezone: ZoneInfo) -> _Scored:
    wait = within = None
    if visit.walk_in:
        if visit.first_called_at is not None:
            wait = (visit.first_called_at - visit.issued_at).total_seconds() / 60
        if norm is not None:
            if wait is not None:
                within = wait <= norm.minutes
            elif ((visit.ended_uncalled_at or now) - visit.issued_at).total_seconds() / 60 > norm.minutes:
                within = False
    return _Scored(visit.service, visit.issued_at.astimezone(timezone).hour, visit.walk_in, visit.no_show, wait,
                   within)


def _figures(visits: Sequence[_Scored]) -> Figures:
    walk_ins = sum(v.walk_in for v in visits)
    waits = sorted(v.wait for v in visits if v.wait is not None)
    verdicts = [v.within for v in visits if v.within is not None]
    within = sum(verdicts)
    return Figures(
        visitors=len(visits), walk_ins=walk_ins, appointments=len(visits) - walk_ins,
        no_shows=sum(v.no_show for v in visits), waits_measured=len(waits),
        median_wait_minutes=percentile(waits, 0.5), p80_wait_minutes=percentile(waits, 0.8),
        p95_wait_minutes=percentile(waits, 0.95), judged=len(verdicts), within_norm=within,
        within_norm_share=within / len(verdicts) if verdicts else None,
    )


def service_norm_report(visits: Iterable[Visit], norms: Mapping[str, Norm], now: datetime,
                        timezone: ZoneInfo = BUSINESS_TIMEZONE) -> list[ServiceFigures]:
    """Figures per service (in the order of ``norms``, then any other service seen), each with its
    hours, and last the figures of all services together."""
    by_service: dict[str, list[_Scored]] = defaultdict(list)
    everything: list[_Scored] = []
    for visit in visits:
        scored = _score(visit, norms.get(visit.service), now, timezone)
        by_service[visit.service].append(scored)
        everything.append(scored)
    order = [s for s in norms if s in by_service] + sorted(s for s in by_service if s not in norms)
    report = [_service_figures(service, norms.get(service), by_service[service]) for service in order]
    report.append(_service_figures(None, None, everything))
    return report


def _service_figures(service: str | None, norm: Norm | None, visits: list[_Scored]) -> ServiceFigures:
    hours: dict[int, list[_Scored]] = defaultdict(list)
    for visit in visits:
        hours[visit.hour].append(visit)
    return ServiceFigures(service=service, norm=norm, total=_figures(visits),
                          by_hour=tuple((hour, _figures(hours[hour])) for hour in sorted(hours)))
