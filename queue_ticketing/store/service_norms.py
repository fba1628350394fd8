"""What the service-norm report reads: per ticket of a period, its issue, first call and end.

A year of one location is some 100,000 tickets and 400,000 steps, so this reads only the steps it
needs from one covering index (``ix_ticket_steps_norms``) and skips the per-row type conversion of
the ORM layer; the report over a year stays well under a second on SQLite."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Connection, String, and_, bindparam, select, type_coerce

from ..domain.service_norms import Visit
from ..domain.tickets import Step, TicketKind
from .schema import ticket_steps, tickets

_steps = select(ticket_steps.c.step, ticket_steps.c.ticket_id, type_coerce(ticket_steps.c.at, String),
                ticket_steps.c.service).where(and_(
                    ticket_steps.c.location == bindparam("location"),
                    ticket_steps.c.step.in_([Step.ISSUED.value, Step.CALLED.value, Step.NO_SHOW.value,
                                             Step.CANCELLED.value]),
                    ticket_steps.c.at >= bindparam("start"), ticket_steps.c.at < bindparam("end")))
"""Typed as text: SQLite hands back its stored UTC text without a per-row conversion."""
_appointments = select(tickets.c.id).where(and_(
    tickets.c.location == bindparam("location"), tickets.c.business_day >= bindparam("first_day"),
    tickets.c.business_day <= bindparam("last_day"), tickets.c.kind == TicketKind.APPOINTMENT.value))


def _moment(value: str | datetime) -> datetime:
    # SQLite hands back the stored text (UTC), PostgreSQL an aware datetime.
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")  # several times faster than .replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def visits(conn: Connection, location: str, start: datetime, end: datetime, first_day: date,
           last_day: date) -> list[Visit]:
    """The visits of tickets issued in [start, end) at ``location`` (business days first_day..last_day)."""
    appointments = {row[0] for row in conn.execute(_appointments, {
        "location": location, "first_day": first_day, "last_day": last_day})}
    issued: dict[str, tuple[str, str]] = {}
    called: dict[str, str] = {}
    cancelled: dict[str, str] = {}
    no_shows: set[str] = set()
    for step, ticket_id, at, service in conn.execute(_steps, {"location": location, "start": start, "end": end}):
        if step == "called":
            first = called.get(ticket_id)
            if first is None or at < first:
                called[ticket_id] = at
        elif step == "issued":
            issued.setdefault(ticket_id, (service, at))
        elif step == "no_show":
            no_shows.add(ticket_id)
        else:
            cancelled[ticket_id] = at
    result = []
    for ticket_id, (service, issued_at) in issued.items():
        first_call = called.get(ticket_id)
        ended = None if first_call else cancelled.get(ticket_id)
        result.append(Visit(service, ticket_id not in appointments, _moment(issued_at),
                            _moment(first_call) if first_call else None, _moment(ended) if ended else None,
                            ticket_id in no_shows))
    return result
