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
from ..domain.errors import CheckInRefused, IllegalTransition, NotFound, ServiceNotOffered
from ..domain.identity import Principal
from ..domain.tickets import Channel, Ticket, TicketKind
from ..store.unit_of_work import UnitOfWork
from .tickets import create_ticket


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
    if appointment is None:
        raise CheckInRefused("appointment_not_found",
                             "We cannot find an appointment with this code. Check the code, or draw a ticket.")
    if appointment.status is AppointmentStatus.CHECKED_IN and appointment.ticket_id:
        if appointment.location != location.id:
            check_in_allowed(appointment, location.id, location.check_in, uow.now)
        ticket = uow.tickets.get(appointment.ticket_id)
        assert ticket is not None
        return ticket, True
    check_in_allowed(appointment, location.id, location.check_in, judged_at(uow.now, made_at))
    ticket, _ = create_ticket(uow, location, appointment.service, kind=TicketKind.APPOINTMENT, channel=channel,
                           language=appointment.language, priority=False, device_id=device_id,
                           appointment_id=appointment.id, appointment_at=appointment.starts_at)
    uow.appointments.mark_checked_in(appointment.id, ticket.id)
    return ticket, False


def cancel(uow: UnitOfWork, appointment_id: str, by: Principal) -> Appointment:
    appointment = uow.appointments.get(appointment_id)
    if appointment is None or not by.acts_at(appointment.location):
        raise NotFound("There is no such appointment.")
    if not uow.appointments.cancel(appointment_id):
        raise IllegalTransition(f"The appointment is {appointment.status.value} and cannot be cancelled.")
    cancelled = uow.appointments.get(appointment_id)
    assert cancelled is not None
    return cancelled
