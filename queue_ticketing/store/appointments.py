"""Appointments: booked by the booking system or on the spot (kiosk, robot, hosts' desk)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Row, insert, select, update

from ..domain.appointments import Appointment, AppointmentStatus
from .schema import appointments


def _appointment(row: Row) -> Appointment:
    return Appointment(
        id=row.id, code=row.code, location=row.location, service=row.service, starts_at=row.starts_at,
        status=AppointmentStatus(row.status), ticket_id=row.ticket_id, language=row.language,
    )


class AppointmentStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, appointment: Appointment, external_reference: str | None, now: datetime) -> None:
        self.conn.execute(insert(appointments).values(
            id=appointment.id, code=appointment.code, location=appointment.location,
            service=appointment.service, starts_at=appointment.starts_at, status=appointment.status.value,
            language=appointment.language, ticket_id=appointment.ticket_id,
            external_reference=external_reference, created_at=now,
        ))

    def by_code(self, code: str) -> Appointment | None:
        row = self.conn.execute(select(appointments).where(appointments.c.code == code)).first()
        return _appointment(row) if row else None

    def get(self, appointment_id: str) -> Appointment | None:
        row = self.conn.execute(select(appointments).where(appointments.c.id == appointment_id)).first()
        return _appointment(row) if row else None

    def held_between(self, location: str, start: datetime, end: datetime) -> list[tuple[str, datetime]]:
        """(service, start) of the location's appointments (booked or checked in, not cancelled) that
        start in [start, end): all a free-slot computation needs."""
        rows = self.conn.execute(
            select(appointments.c.service, appointments.c.starts_at)
            .where(appointments.c.location == location, appointments.c.starts_at >= start,
                   appointments.c.starts_at < end, appointments.c.status != AppointmentStatus.CANCELLED.value)
            .order_by(appointments.c.starts_at)
        )
        return [(row.service, row.starts_at) for row in rows]

    def code_taken(self, code: str) -> bool:
        return self.conn.execute(select(appointments.c.id).where(appointments.c.code == code)).first() is not None

    def mark_checked_in(self, appointment_id: str, ticket_id: str) -> bool:
        result = self.conn.execute(
            update(appointments)
            .where(appointments.c.id == appointment_id, appointments.c.status == AppointmentStatus.BOOKED.value)
            .values(status=AppointmentStatus.CHECKED_IN.value, ticket_id=ticket_id)
        )
        return result.rowcount == 1

    def cancel(self, appointment_id: str) -> bool:
        result = self.conn.execute(
            update(appointments)
            .where(appointments.c.id == appointment_id, appointments.c.status == AppointmentStatus.BOOKED.value)
            .values(status=AppointmentStatus.CANCELLED.value)
        )
        return result.rowcount == 1
