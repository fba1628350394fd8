"""Appointments and the rules of check-in (too early, too late, elsewhere)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from location_config.model import CheckInWindow

from .errors import CheckInRefused

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I: the code is read from paper and typed on a keypad."""
CODE_LENGTH = 6
"""The length of the codes this service makes."""
CODE_MIN_LENGTH, CODE_MAX_LENGTH = 4, 16
"""A booking system may bring its own code: 4 to 16 letters and digits after ``normalise_code``."""


OFFLINE_CHECK_IN_MAX_DELAY = timedelta(hours=12)
"""How long after the fact a check-in made at an offline kiosk is still judged at its own time."""
CLOCK_TOLERANCE = timedelta(minutes=2)
"""A check-in that arrives within this of the time the kiosk recorded is judged now (clocks differ)."""


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Appointment:
    id: str
    code: str
    location: str
    service: str
    starts_at: datetime
    status: AppointmentStatus
    ticket_id: str | None = None
    language: str = "nl"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a visitor typed or a QR held, made comparable: letters and digits only, upper case."""
    return "".join(ch for ch in typed.upper() if ch.isascii() and ch.isalnum())


def check_in_allowed(appointment: Appointment, location: str, window: CheckInWindow, now: datetime) -> None:
    """Raise ``CheckInRefused`` with the reason when this appointment cannot be checked in here now."""
    if appointment.status is AppointmentStatus.CANCELLED:
        raise CheckInRefused("appointment_cancelled", "This appointment was cancelled.")
    if appointment.location != location:
        raise CheckInRefused(
            "wrong_location",
            "This appointment is at another location.",
            appointment_location=appointment.location,
        )
    opens = appointment.starts_at - timedelta(minutes=window.early_minutes)
    closes = appointment.starts_at + timedelta(minutes=window.late_minutes)
    if now < opens:
        raise CheckInRefused(
            "too_early",
            f"Check-in opens {window.early_minutes} minutes before the appointment.",
            check_in_opens_at=opens.isoformat(),
            starts_at=appointment.starts_at.isoformat(),
        )
    if now > closes:
        raise CheckInRefused(
            "too_late",
            f"Check-in closed {window.late_minutes} minutes after the appointment started; "
            "please draw a walk-in ticket or ask a host.",
            starts_at=appointment.starts_at.isoformat(),
        )


def judged_at(now: datetime, made_at: datetime | None) -> datetime:
    """The moment a check-in's window is judged at. A kiosk that could not reach the service keeps
    the visitor's check-in in its outbox with the time it was made: when it arrives later (by more
    than ``CLOCK_TOLERANCE``, at most ``OFFLINE_CHECK_IN_MAX_DELAY``), it is judged at that time, so a
    visitor who checked in on time is not refused as late because the network was down. A time in
    the future, or older than that, is not trusted: judged now."""
    if made_at is None:
        return now
    delay = now - made_at
    if CLOCK_TOLERANCE < delay <= OFFLINE_CHECK_IN_MAX_DELAY:
        return made_at
    return now
