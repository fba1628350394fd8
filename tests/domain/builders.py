"""Small builders for the pure domain's data: a ticket, a desk, an appointment, at a fixed morning."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from location_config.model import Desk, Position
from queue_ticketing.domain.appointments import Appointment, AppointmentStatus
from queue_ticketing.domain.tickets import Channel, Ticket, TicketKind, TicketStatus

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=AMSTERDAM)
"""Monday 30 November 2026, 09:00 in Rotterdam: the moment every domain test starts from."""

LETTERS = {"paspoort": "P", "rijbewijs": "R", "uittreksel": "U", "informatie": "I"}
_sequence = itertools.count(1)


def a_ticket(
    service: str = "paspoort",
    *,
    waited_minutes: float = 0,
    status: TicketStatus = TicketStatus.WAITING,
    priority: bool = False,
    appointment_in_minutes: float | None = None,
    desk: str | None = None,
    number: str | None = None,
) -> Ticket:
    """A ticket queued ``waited_minutes`` before NOW; an appointment ticket when it has a slot."""
    sequence = next(_sequence)
    queued_at = NOW - timedelta(minutes=waited_minutes)
    is_appointment = appointment_in_minutes is not None
    return Ticket(
        id=f"ticket-{sequence}",
        location="ijsselmonde",
        service=service,
        number=number or f"{LETTERS.get(service, 'X')}{sequence:03d}",
        business_day=NOW.date(),
        kind=TicketKind.APPOINTMENT if is_appointment else TicketKind.WALK_IN,
        channel=Channel.KIOSK,
        language="nl",
        status=status,
        issued_at=queued_at,
        queued_at=queued_at,
        priority=priority,
        desk=desk,
        appointment_id=f"appointment-{sequence}" if is_appointment else None,
        appointment_at=NOW + timedelta(minutes=appointment_in_minutes) if is_appointment else None,
    )


def a_desk(*services: str, desk_id: str = "balie-1", number: int = 1) -> Desk:
    """A desk serving ``services`` in that priority order."""
    return Desk(id=desk_id, number=number, services=services, floor=0,
                wayfinding={"nl": "Rechtdoor", "en": "Straight ahead"}, position=Position(1.0, 2.0))


def an_appointment(
    *,
    starts_at: datetime = NOW,
    location: str = "ijsselmonde",
    status: AppointmentStatus = AppointmentStatus.BOOKED,
) -> Appointment:
    return Appointment(id="appointment-1", code="K7M2XP", location=location, service="paspoort",
                       starts_at=starts_at, status=status)
