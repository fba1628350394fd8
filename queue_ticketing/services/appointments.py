"""Use cases of appointments: booking (by the booking system) and check-in at the location."""

from __future__ import annotations

import secrets
from datetime import datetime

from location_config import Location

from ..domain.appointments import (
    CODE_MAX_LENGTH,
    CODE_MIN_LENGTH,
    Appointment,
    AppointmentStatus,
    check_in_allowed,
    judged_at,
    new_code,
    normalise_code,
)
from ..domain.errors import CheckInRefused, DomainError, IllegalTransition, NotFound, ServiceNotOffered
from ..domain.tickets import Channel, Ticket, TicketKind
from ..store.unit_of_work import UnitOfWork
from . import tries
from .context import ServiceContext
from .tickets import create_ticket

NOT_FOUND = "We cannot find an appointment with this code. Check the code, or draw a ticket."
MAX_FAILED_CHECK_INS_PER_CODE = 5
MAX_FAILED_CHECK_INS_PER_DEVICE = 30
"""Failed check-ins (an unknown code) per hour: a visitor who mistypes tries again, a device that
guesses codes (hundreds a second without a limit) is stopped after a few dozen."""


class TooManyCheckIns(DomainError):
    code = "too_many_attempts"
    status = 429


def admit_check_in(ctx: ServiceContext, device_id: str, typed_code: str) -> list[int]:
    """Admit a check-in try by ``device_id`` with ``typed_code``, counted as failed until
    ``check_in_answered`` says otherwise; ``TooManyCheckIns`` beyond the limits."""
    return tries.admit(ctx, {tries.hashed("check-in-code", normalise_code(typed_code)): MAX_FAILED_CHECK_INS_PER_CODE,
                             f"check-in-device:{device_id}": MAX_FAILED_CHECK_INS_PER_DEVICE},
                       TooManyCheckIns("This has not worked a few times. Please ask a host, or draw a ticket."))


def check_in_answered(ctx: ServiceContext, attempt_ids: list[int], refusal: DomainError | None) -> None:
    """A check-in try was answered: only a code not found here stays counted as a failed try (too
    early, too late or cancelled are answers about a real appointment of this location)."""
    if refusal is None or refusal.code != "appointment_not_found":
        tries.forget(ctx, attempt_ids)


def book(uow: UnitOfWork, location: Location, service_id: str, starts_at: datetime, language: str,
         code: str | None, external_reference: str | None) -> Appointment:
    if location.service(service_id) is None:
        raise NotFound(f"Location '{location.id}' offers no service '{service_id}'.")
    service = location.service(service_id)
    assert service is not None
    if not service.appointment:
        raise ServiceNotOffered(f"'{service.name('en')}' cannot be booked as an appointment.")
    if code is not None:
        code = normalise_code(code)
        if not CODE_MIN_LENGTH <= len(code) <= CODE_MAX_LENGTH:
            raise IllegalTransition("An appointment code has 4 to 16 letters and digits.")
        if uow.appointments.code_taken(code):
            raise IllegalTransition(f"The code '{code}' is already in use.", code_taken=code)
    else:
        code = new_code()
        while uow.appointments.code_taken(code):
            code = new_code()
    appointment = Appointment(
        id=secrets.token_urlsafe(12), code=code, location=location.id, service=service_id,
        starts_at=starts_at, status=AppointmentStatus.BOOKED, language=language,
    )
    uow.appointments.add(appointment, external_reference, uow.now)
    return appointment


def check_in(uow: UnitOfWork, location: Location, typed_code: str, channel: Channel,
             device_id: str | None, made_at: datetime | None = None) -> tuple[Ticket, bool]:
    """Turn an appointment into an appointment ticket; ``(ticket, already_checked_in)``.
    Checking in twice gives the same ticket. ``made_at``: when the visitor checked in at the kiosk
    (a check-in that waited in an offline kiosk's outbox is judged at that time; see ``judged_at``)."""
    code = normalise_code(typed_code)
    appointment = uow.appointments.by_code(code) if code else None
    if appointment is None or appointment.location != location.id:
        # Another location's code is answered as an unknown one: no answer tells that a code exists.
        raise CheckInRefused("appointment_not_found", NOT_FOUND)
    if appointment.status is AppointmentStatus.CHECKED_IN and appointment.ticket_id:
        ticket = uow.tickets.get(appointment.ticket_id)
        assert ticket is not None
        return ticket, True
    check_in_allowed(appointment, location.id, location.check_in, judged_at(uow.now, made_at))
    ticket, _ = create_ticket(uow, location, appointment.service, kind=TicketKind.APPOINTMENT, channel=channel,
                           language=appointment.language, priority=False, device_id=device_id,
                           appointment_id=appointment.id, appointment_at=appointment.starts_at)
    uow.appointments.mark_checked_in(appointment.id, ticket.id)
    return ticket, False


def cancel(uow: UnitOfWork, appointment_id: str, location: str | None) -> Appointment:
    appointment = uow.appointments.get(appointment_id)
    if appointment is None or (location and appointment.location != location):
        raise NotFound("There is no such appointment.")
    if not uow.appointments.cancel(appointment_id):
        raise IllegalTransition(f"The appointment is {appointment.status.value} and cannot be cancelled.")
    cancelled = uow.appointments.get(appointment_id)
    assert cancelled is not None
    return cancelled
