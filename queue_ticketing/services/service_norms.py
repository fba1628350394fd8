"""The service-norm report of a location over a period of business days: JSON-ready and CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from location_config import Location

from ..domain.errors import DomainError
from ..domain.numbering import BUSINESS_TIMEZONE
from ..domain.service_norms import (
    Figures,
    Norm,
    ServiceFigures,
    VisitTimeFigures,
    service_norm_report,
    visit_time_figures,
)
from ..store import service_norms as store
from .context import ServiceContext

MAX_DAYS = 400


class BadPeriod(DomainError):
    code = "bad_period"
    status = 422


@dataclass(frozen=True)
class NormReport:
    location: str
    first_day: date
    last_day: date
    made_at: datetime
    services: list[ServiceFigures]
    visit_time: VisitTimeFigures
    """Tickets of several services, from issue to the end of their last service."""
    visit_time_by_hour: tuple[tuple[int, VisitTimeFigures], ...] = ()


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=BUSINESS_TIMEZONE)


def make_report(ctx: ServiceContext, location: Location, first_day: date, last_day: date) -> NormReport:
    """Figures per service and per hour for business days ``first_day`` to ``last_day`` (inclusive)."""
    if last_day < first_day:
        raise BadPeriod("'to' lies before 'from'.")
    if (last_day - first_day).days >= MAX_DAYS:
        raise BadPeriod(f"A report covers at most {MAX_DAYS} days.")
    norms = {s.id: Norm(s.norm_minutes, s.norm_share) for s in location.services}
    with ctx.db.read() as conn:
        visits, whole = store.visits(conn, location.id, _day_start(first_day),
                                     _day_start(last_day + timedelta(days=1)), first_day, last_day)
    now = ctx.now()
    visit_time, by_hour = visit_time_figures(whole)
    return NormReport(location.id, first_day, last_day, now, service_norm_report(visits, norms, now), visit_time,
                      by_hour)


def month_period(month: str) -> tuple[date, date]:
    """``2026-11`` → (1 Nov 2026, 30 Nov 2026)."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise BadPeriod(f"'{month}' is not a month like 2026-11.") from None
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def figures_document(f: Figures) -> dict[str, Any]:
    return {"visitors": f.visitors, "walk_ins": f.walk_ins, "appointments": f.appointments, "no_shows": f.no_shows,
            "waits_measured": f.waits_measured, "median_wait_minutes": _minutes(f.median_wait_minutes),
            "p80_wait_minutes": _minutes(f.p80_wait_minutes), "p95_wait_minutes": _minutes(f.p95_wait_minutes),
            "judged": f.judged, "within_norm": f.within_norm, "within_norm_share": _share(f.within_norm_share),
            "service_times_measured": f.service_times_measured,
            "median_service_minutes": _minutes(f.median_service_minutes),
            "p80_service_minutes": _minutes(f.p80_service_minutes)}


def visit_time_document(f: VisitTimeFigures) -> dict[str, Any]:
    return {"multi_service_visits": f.visits, "multi_service_visits_ended": f.ended,
            "median_visit_minutes": _minutes(f.median_visit_minutes),
            "p80_visit_minutes": _minutes(f.p80_visit_minutes),
            "p95_visit_minutes": _minutes(f.p95_visit_minutes)}


def report_document(report: NormReport) -> dict[str, Any]:
    services = []
    for s in report.services:
        entry: dict[str, Any] = {"service": s.service or "all"}
        if s.norm is not None:
            entry |= {"norm_minutes": s.norm.minutes, "norm_share": s.norm.share, "norm_met": s.norm_met}
        entry |= figures_document(s.total)
        entry["by_hour"] = [{"hour": hour, **figures_document(f)} for hour, f in s.by_hour]
        services.append(entry)
    return {"location": report.location, "from": report.first_day.isoformat(), "to": report.last_day.isoformat(),
            "timezone": str(BUSINESS_TIMEZONE), "made_at": report.made_at.isoformat(),
            "definitions": DEFINITIONS, "services": services,
            "visit_time": {**visit_time_document(report.visit_time),
                           "by_hour": [{"hour": hour, **visit_time_document(f)}
                                       for hour, f in report.visit_time_by_hour]}}


DEFINITIONS = ("A visit to a service: a ticket in that service's queue; a ticket of several services is one for "
               "each. Wait: from entering the service's queue (issue, or the end of the previous service) to the "
               "first call for it, walk-ins only, judged against that service's norm. Within the norm: called "
               "within the service's norm_minutes; walk-ins never called count as not within, unless their ticket "
               "ended within norm_minutes. Service time: last call to done. Hours: hour of entering the queue, "
               "Europe/Amsterdam. Visit time: tickets of several services, issue to the end of the last service.")


CSV_COLUMNS = ("service", "hour", "visitors", "walk_ins", "appointments", "no_shows", "waits_measured",
               "median_wait_minutes", "p80_wait_minutes", "p95_wait_minutes", "judged", "within_norm",
               "within_norm_share", "norm_minutes", "norm_share", "service_times_measured",
               "median_service_minutes", "p80_service_minutes", "multi_service_visits", "multi_service_visits_ended",
               "median_visit_minutes", "p80_visit_minutes", "p95_visit_minutes")


def report_csv(report: NormReport) -> str:
    """One row per service and hour, and per service one row with hour ``all``; the visit-time
    columns are filled in the rows of all services (``service`` = ``all``) only."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    visit_hours = dict(report.visit_time_by_hour)
    for s in report.services:
        norm = {"norm_minutes": s.norm.minutes, "norm_share": s.norm.share} if s.norm else {}
        rows: list[tuple[int | str, Figures]] = [("all", s.total), *s.by_hour]
        for hour, f in rows:
            visit_time: dict[str, Any] = {}
            if s.service is None:
                whole = report.visit_time if isinstance(hour, str) else visit_hours.get(hour)
                visit_time = visit_time_document(whole) if whole is not None else {}
            writer.writerow({"service": s.service or "all", "hour": hour, **figures_document(f), **norm, **visit_time})
    return out.getvalue()


def report_text(report: NormReport) -> str:
    """A table for the terminal."""
    lines = [f"Service norms at {report.location}, {report.first_day} to {report.last_day} (Europe/Amsterdam)",
             "", f"{'service':<22}{'visitors':>9}{'no-shows':>9}{'median':>8}{'p80':>8}{'p95':>8}"
                 f"{'within norm':>13}{'norm':>14}"]
    for s in report.services:
        f = s.total
        norm = f"{s.norm.share:.0%} ≤ {s.norm.minutes} min" if s.norm else ""
        share = "-" if f.within_norm_share is None else f"{f.within_norm_share:.1%}"
        mark = {True: " met", False: " MISSED", None: ""}[s.norm_met]

        def m(value: float | None) -> str:
            return "-" if value is None else f"{value:.1f}"

        lines.append(f"{s.service or 'all services':<22}{f.visitors:>9}{f.no_shows:>9}{m(f.median_wait_minutes):>8}"
                     f"{m(f.p80_wait_minutes):>8}{m(f.p95_wait_minutes):>8}{share:>13}{norm:>14}{mark}")
    lines.append("")
    lines.append("Waits in minutes from entering a service's queue to the first call for it, walk-ins only.")
    v = report.visit_time
    if v.visits:
        median = "-" if v.median_visit_minutes is None else f"{v.median_visit_minutes:.1f}"
        lines.append(f"Visits of several services: {v.visits} ({v.ended} ended), median visit time {median} min.")
    return "\n".join(lines)
