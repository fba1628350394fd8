"""What the service-norm report reads: per ticket of a period, its issue, calls and end, and per
ticket of several services the visit to each of them.

A year of one location is some 100,000 tickets and 400,000 steps, so this reads only the steps it
needs from one covering index (``ix_ticket_steps_norms``) and skips the per-row type conversion of
the ORM layer. The few tickets of several services are read again step by step, in the order the
steps were written, to split them into one visit per service (see ``domain/service_norms.py``).
The ``done`` steps (service times) are about a fifth more rows: the report costs about a third
more CPU than before visits of several services (bench/README.md)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import Connection, String, and_, bindparam, or_, select, type_coerce

from ..domain.service_norms import Visit, WholeVisit
from ..domain.tickets import Step, TicketKind
from .schema import ticket_steps, tickets
from .tickets import SEPARATOR

_steps = select(ticket_steps.c.step, ticket_steps.c.ticket_id, type_coerce(ticket_steps.c.at, String),
                ticket_steps.c.service).where(and_(
                    ticket_steps.c.location == bindparam("location"),
                    ticket_steps.c.step.in_([Step.ISSUED.value, Step.CALLED.value, Step.NO_SHOW.value,
                                             Step.CANCELLED.value, Step.DONE.value]),
                    ticket_steps.c.at >= bindparam("start"), ticket_steps.c.at < bindparam("end")))
"""Typed as text: SQLite hands back its stored UTC text without a per-row conversion."""
_special = select(tickets.c.id, tickets.c.kind, tickets.c.services).where(and_(
    tickets.c.location == bindparam("location"), tickets.c.business_day >= bindparam("first_day"),
    tickets.c.business_day <= bindparam("last_day"),
    or_(tickets.c.kind == TicketKind.APPOINTMENT.value, tickets.c.services.like(f"%{SEPARATOR}%"))))
"""Appointment tickets, and tickets of several services."""
_steps_of = (select(ticket_steps.c.ticket_id, ticket_steps.c.step, type_coerce(ticket_steps.c.at, String),
                    ticket_steps.c.service)
             .where(ticket_steps.c.ticket_id.in_(bindparam("tickets", expanding=True)))
             .order_by(ticket_steps.c.ticket_id, ticket_steps.c.id))
CHUNK = 500


def _moment(value: str | datetime) -> datetime:
    # SQLite hands back the stored text (UTC), PostgreSQL an aware datetime.
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")  # several times faster than .replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else (end - start).total_seconds() / 60


def _span(start: str | datetime, end: str | datetime) -> float:
    """Minutes between two stored times; SQLite's are both UTC text, read without a timezone."""
    if isinstance(start, str) and isinstance(end, str):
        return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60
    return (_moment(end) - _moment(start)).total_seconds() / 60


def visits(conn: Connection, location: str, start: datetime, end: datetime, first_day: date,
           last_day: date) -> tuple[list[Visit], list[WholeVisit]]:
    """The visits of tickets issued in [start, end) at ``location`` (business days first_day..last_day):
    one per ticket and service it reached, and the whole visit of each ticket of several services."""
    appointments: set[str] = set()
    several: set[str] = set()
    for ticket_id, kind, services in conn.execute(_special, {
            "location": location, "first_day": first_day, "last_day": last_day}):
        if kind == TicketKind.APPOINTMENT.value:
            appointments.add(ticket_id)
        if services and SEPARATOR in services:
            several.add(ticket_id)
    issued: dict[str, tuple[str, str]] = {}
    called: dict[str, str] = {}
    last_called: dict[str, str] = {}
    done: dict[str, str] = {}
    cancelled: dict[str, str] = {}
    no_shows: set[str] = set()
    for step, ticket_id, at, service in conn.execute(_steps, {"location": location, "start": start, "end": end}):
        if step == "called":
            first = called.get(ticket_id)
            if first is None or at < first:
                called[ticket_id] = at
            latest = last_called.get(ticket_id)
            if latest is None or at > latest:
                last_called[ticket_id] = at
        elif step == "issued":
            issued.setdefault(ticket_id, (service, at))
        elif step == "done":
            done[ticket_id] = at
        elif step == "no_show":
            no_shows.add(ticket_id)
        else:
            cancelled[ticket_id] = at
    result = []
    for ticket_id, (service, issued_at) in issued.items():
        if ticket_id in several:
            continue
        first_call = called.get(ticket_id)
        ended = None if first_call else cancelled.get(ticket_id)
        finished = done.get(ticket_id)
        last_call = last_called.get(ticket_id)
        result.append(Visit(service, ticket_id not in appointments, _moment(issued_at),
                            _moment(first_call) if first_call else None, _moment(ended) if ended else None,
                            ticket_id in no_shows,
                            _span(last_call, finished) if finished and last_call else None))
    whole = []
    for ticket_id, steps in _steps_of_tickets(conn, [t for t in several if t in issued]):
        parts, visit = _split(steps, ticket_id not in appointments)
        result.extend(parts)
        whole.append(visit)
    return result, whole


def _steps_of_tickets(conn: Connection, ticket_ids: list[str]) -> Iterable[tuple[str, list[tuple[str, datetime,
                                                                                                   str]]]]:
    """Each ticket's steps in the order they were written."""
    for i in range(0, len(ticket_ids), CHUNK):
        current: str | None = None
        steps: list[tuple[str, datetime, str]] = []
        for ticket_id, step, at, service in conn.execute(_steps_of, {"tickets": ticket_ids[i:i + CHUNK]}):
            if ticket_id != current:
                if current is not None:
                    yield current, steps
                current, steps = ticket_id, []
            steps.append((step, _moment(at), service))
        if current is not None:
            yield current, steps


def _split(steps: list[tuple[str, datetime, str]], walk_in: bool) -> tuple[list[Visit], WholeVisit]:
    """One ticket's steps → a visit per service (each from its ISSUED or NEXT_SERVICE entry) and
    the whole visit, from issue to the end of the last service."""
    parts: list[Visit] = []
    service: str | None = None
    entered = first_call = last_call = uncalled_end = done_at = ended = None
    no_show = False
    issued_at = steps[0][1]

    def close() -> None:
        if service is not None and entered is not None:
            parts.append(Visit(service, walk_in, entered, first_call, None if first_call else uncalled_end, no_show,
                               _minutes(last_call, done_at)))

    for step, at, step_service in steps:
        if step in (Step.ISSUED.value, Step.NEXT_SERVICE.value):
            close()
            service, entered = step_service, at
            first_call = last_call = uncalled_end = done_at = ended = None
            no_show = False
            if step == Step.ISSUED.value:
                issued_at = at
        elif step == Step.CALLED.value:
            first_call = first_call or at
            last_call = at
        elif step == Step.DONE.value:
            done_at = ended = at
        elif step == Step.NO_SHOW.value:
            no_show, ended = True, at
        elif step == Step.CANCELLED.value:
            uncalled_end = ended = at
    close()
    return parts, WholeVisit(issued_at, ended)
