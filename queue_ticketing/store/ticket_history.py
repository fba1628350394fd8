"""Many finished tickets at once (the history simulator): one executemany per table and chunk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Connection, and_, bindparam, func, insert, select

from ..domain.appointments import Appointment
from ..domain.tickets import Ticket
from .schema import appointments, ticket_steps, tickets
from .tickets import SEPARATOR

CHUNK = 20_000
_insert_tickets = insert(tickets)
_insert_steps = insert(ticket_steps)
_insert_appointments = insert(appointments)
_count_between = select(func.count()).select_from(tickets).where(and_(
    tickets.c.location == bindparam("location"), tickets.c.business_day >= bindparam("first_day"),
    tickets.c.business_day <= bindparam("last_day")))


def _chunks(rows: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    return [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)]


def tickets_between(conn: Connection, location: str, first_day: date, last_day: date) -> int:
    return int(conn.execute(_count_between, {"location": location, "first_day": first_day,
                                             "last_day": last_day}).scalar_one())


def add_history(conn: Connection, finished: Sequence[Ticket], booked: Sequence[Appointment], now: datetime) -> None:
    ticket_rows: list[dict[str, object]] = []
    step_rows: list[dict[str, object]] = []
    for t in finished:
        ticket_rows.append({
            "id": t.id, "location": t.location, "service": t.service, "number": t.number,
            "business_day": t.business_day, "kind": t.kind.value, "channel": t.channel.value, "language": t.language,
            "status": t.status.value, "priority": t.priority, "desk": t.desk, "issued_at": t.issued_at,
            "queued_at": t.queued_at, "appointment_id": t.appointment_id, "appointment_at": t.appointment_at,
            "device_id": None, "services": SEPARATOR.join(t.services), "service_index": t.service_index})
        step_rows.extend({"ticket_id": t.id, "location": t.location, "step": e.step.value, "at": e.at,
                          "desk": e.desk, "service": e.service} for e in t.timeline)
    appointment_rows: list[dict[str, object]] = [{
        "id": a.id, "code": a.code, "location": a.location, "service": a.service, "starts_at": a.starts_at,
        "status": a.status.value, "language": a.language, "ticket_id": a.ticket_id, "external_reference": None,
        "created_at": now} for a in booked]
    for statement, rows in ((_insert_tickets, ticket_rows), (_insert_steps, step_rows),
                            (_insert_appointments, appointment_rows)):
        for chunk in _chunks(rows):
            conn.execute(statement, chunk)
