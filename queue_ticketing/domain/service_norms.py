"""Service norms (servicenormen): how long walk-in visitors waited, against the promise
"``share`` of walk-in visitors helped within ``minutes``", per service and per hour of the day.

Definitions (the report says what it measures, so the figures can be checked by hand):
- A visit to a service is one ticket in that service's queue. A ticket of one service is one such
  visit; a ticket of several services in one visit (a passport, then a change of address) is one
  for each service it reached, counted for that service and the hour (Europe/Amsterdam) it entered
  that queue: its issue for the first service, the end of the previous service for a next one
  (``Step.NEXT_SERVICE``). A transfer does not start a new visit: it stays counted for the service
  whose queue it entered. ``visitors`` counts these visits; walk-ins and appointments separately.
- Wait: from entering the service's queue to the first call for it, for walk-ins that were
  called (a no-show was called too). Appointments are left out of the wait figures: their
  visitors come early on purpose. Each service's wait is judged against that service's own norm.
- Service time: from the last call for the service to its end (done), for every visit served.
- Percentiles interpolate linearly between the two nearest ranks (the median of 2, 4 is 3).
- Within the norm: called after at most ``minutes``. A walk-in never called counts as not helped
  within the norm, unless the ticket ended (cancelled) or the report was made within ``minutes``
  of its entering the queue: that visitor left of their own accord, or may still be helped in
  time, and is not judged.
- Visit time (visits of several services only): from the ticket's issue to the end of its last
  service (done, no-show or cancelled), for the visits that have ended; by the hour of issue.
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
    """One ticket in one service's queue as the report sees it (a tuple: a year of them is built in
    a blink)."""

    service: str
    walk_in: bool
    queued_at: datetime
    """When it entered this service's queue: the ticket's issue, or the end of the previous service."""
    first_called_at: datetime | None
    ended_uncalled_at: datetime | None = None
    """When a ticket that was never called for this service ended (cancelled)."""
    no_show: bool = False
    service_minutes: float | None = None
    """From the last call for this service to its end (done); None when it was not served."""


class WholeVisit(NamedTuple):
    """A ticket of several services, from its issue to the end of its last one (None: not ended)."""

    issued_at: datetime
    ended_at: datetime | None


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
    service_times_measured: int = 0
    median_service_minutes: float | None = None
    p80_service_minutes: float | None = None


@dataclass(frozen=True)
class VisitTimeFigures:
    """How long visits of several services took as a whole (see the module's definitions)."""

    visits: int
    """Tickets of several services issued in the period."""
    ended: int
    median_visit_minutes: float | None
    p80_visit_minutes: float | None
    p95_visit_minutes: float | None


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
    service_minutes: float | None


def _score(visit: Visit, norm: Norm | None, now: datetime, timezone: ZoneInfo) -> _Scored:
    wait = within = None
    if visit.walk_in:
        if visit.first_called_at is not None:
            wait = (visit.first_called_at - visit.queued_at).total_seconds() / 60
        if norm is not None:
            if wait is not None:
                within = wait <= norm.minutes
            elif ((visit.ended_uncalled_at or now) - visit.queued_at).total_seconds() / 60 > norm.minutes:
                within = False
    return _Scored(visit.service, visit.queued_at.astimezone(timezone).hour, visit.walk_in, visit.no_show, wait,
                   within, visit.service_minutes)


def _figures(visits: Sequence[_Scored]) -> Figures:
    walk_ins = sum(v.walk_in for v in visits)
    waits = sorted(v.wait for v in visits if v.wait is not None)
    verdicts = [v.within for v in visits if v.within is not None]
    within = sum(verdicts)
    served = sorted(v.service_minutes for v in visits if v.service_minutes is not None)
    return Figures(
        visitors=len(visits), walk_ins=walk_ins, appointments=len(visits) - walk_ins,
        no_shows=sum(v.no_show for v in visits), waits_measured=len(waits),
        median_wait_minutes=percentile(waits, 0.5), p80_wait_minutes=percentile(waits, 0.8),
        p95_wait_minutes=percentile(waits, 0.95), judged=len(verdicts), within_norm=within,
        within_norm_share=within / len(verdicts) if verdicts else None,
        service_times_measured=len(served), median_service_minutes=percentile(served, 0.5),
        p80_service_minutes=percentile(served, 0.8),
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


def visit_time_figures(visits: Iterable[WholeVisit], timezone: ZoneInfo = BUSINESS_TIMEZONE
                       ) -> tuple[VisitTimeFigures, tuple[tuple[int, VisitTimeFigures], ...]]:
    """The visit time of tickets of several services: all together, and by hour of issue."""
    hours: dict[int, list[WholeVisit]] = defaultdict(list)
    everything = list(visits)
    for visit in everything:
        hours[visit.issued_at.astimezone(timezone).hour].append(visit)
    return _visit_figures(everything), tuple((hour, _visit_figures(hours[hour])) for hour in sorted(hours))


def _visit_figures(visits: Sequence[WholeVisit]) -> VisitTimeFigures:
    times = sorted((v.ended_at - v.issued_at).total_seconds() / 60 for v in visits if v.ended_at is not None)
    return VisitTimeFigures(visits=len(visits), ended=len(times), median_visit_minutes=percentile(times, 0.5),
                            p80_visit_minutes=percentile(times, 0.8), p95_visit_minutes=percentile(times, 0.95))
