"""Use cases of appointments: booking (by the booking system at any time, or on the spot by a kiosk,
robot or host in a free slot), free slots, and check-in at the location."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

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
from ..domain.errors import (
    BookedElsewhere,
    CheckInRefused,
    DomainError,
    IllegalTransition,
    NotFound,
    ServiceNotOffered,
    SlotTaken,
)
from ..domain.identity import Principal
from ..domain.slots import (
    Booked,
    Slot,
    bookable_days,
    free_slots,
    has_free_slot,
    is_free,
    next_free_slots,
    slot_length,
)
from ..domain.tickets import Channel, Ticket, TicketKind
from ..store.unit_of_work import Stores, UnitOfWork
from . import tries
from .context import ServiceContext
from .tickets import create_ticket

NEXT_FREE = 3
"""Free slots offered with a ``slot_taken`` refusal, and asked for by "the next free ones"."""
NOT_FOUND = "We cannot find an appointment with this code. Check the code, or draw a ticket."
MAX_FAILED_CHECK_INS_PER_CODE = 5
MAX_FAILED_CHECK_INS_PER_DEVICE = 30
"""Failed check-ins (an unknown code) per hour: a visitor who mistypes tries again, a device that
guesses codes (hundreds a second without a limit) is stopped after a few dozen."""


class TooManyCheckIns(DomainError):
    code = "too_many_attempts"
    status = 429


async def admit_check_in(ctx: ServiceContext, device_id: str, typed_code: str) -> list[int]:
    """Admit a check-in try by ``device_id`` with ``typed_code``, counted as failed until
    ``check_in_answered`` says otherwise; ``TooManyCheckIns`` beyond the limits."""
    limits = {tries.hashed("check-in-code", normalise_code(typed_code)): MAX_FAILED_CHECK_INS_PER_CODE,
              f"check-in-device:{device_id}": MAX_FAILED_CHECK_INS_PER_DEVICE}
    refusal = TooManyCheckIns("This has not worked a few times. Please ask a host, or draw a ticket.")
    return await ctx.write(lambda uow: tries.admit(uow, limits, refusal))


async def check_in_answered(ctx: ServiceContext, attempt_ids: list[int], refusal: DomainError | None) -> None:
    """A check-in try was answered: only a code not found here stays counted as a failed try (too
    early, too late or cancelled are answers about a real appointment of this location)."""
    if refusal is None or refusal.code != "appointment_not_found":
        await ctx.write(lambda uow: tries.forget(uow, attempt_ids))


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


def cancel(uow: UnitOfWork, appointment_id: str, by: Principal) -> Appointment:
    appointment = uow.appointments.get(appointment_id)
    if appointment is None or not by.acts_at(appointment.location):
        raise NotFound("There is no such appointment.")
    if not uow.appointments.cancel(appointment_id):
        raise IllegalTransition(f"The appointment is {appointment.status.value} and cannot be cancelled.")
    cancelled = uow.appointments.get(appointment_id)
    assert cancelled is not None
    return cancelled


def _booked(stores: Stores, location: Location, start: datetime, end: datetime) -> list[Booked]:
    """The appointments that hold a desk between ``start`` and ``end``, with their lengths."""
    return [Booked(service, starts_at, starts_at + slot_length(location, service))
            for service, starts_at in stores.appointments.held_between(location.id, start, end)]


def _day_bounds(location: Location, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time(), ZoneInfo(location.timezone))
    return start, start + timedelta(days=1)


def _bookable_service(location: Location, service_id: str) -> None:
    calendar = location.appointments
    if calendar is None or not calendar.books_locally:
        raise BookedElsewhere("Appointments for this location are not booked here.",
                              booking_url=calendar.booking_url if calendar else None)
    service = location.service(service_id)
    if service is None:
        raise NotFound(f"Location '{location.id}' offers no service '{service_id}'.",
                       services=[s.id for s in location.services])
    if not service.appointment:
        raise ServiceNotOffered(f"'{service.name('en')}' cannot be booked as an appointment.")


def slots_on(stores: Stores, location: Location, service_id: str, day: date, now: datetime) -> list[Slot]:
    """The free slots for a service on a day (public: times only)."""
    _bookable_service(location, service_id)
    start, end = _day_bounds(location, day)
    return free_slots(location, service_id, day, _booked(stores, location, start, end), now)


def next_slots(stores: Stores, location: Location, service_id: str, now: datetime, after: datetime | None = None,
               count: int = NEXT_FREE) -> list[Slot]:
    """The first free slots for a service from ``after`` (default now) on."""
    _bookable_service(location, service_id)
    calendar = location.appointments
    assert calendar is not None
    zone = ZoneInfo(location.timezone)
    first_day = (after or now).astimezone(zone).date()
    last_day = now.astimezone(zone).date() + timedelta(days=calendar.book_ahead_days)
    start, _ = _day_bounds(location, first_day)
    _, end = _day_bounds(location, last_day)
    by_day: dict[date, list[Booked]] = {}
    for booked in _booked(stores, location, start, end):
        by_day.setdefault(booked.starts_at.astimezone(zone).date(), []).append(booked)
    return next_free_slots(location, service_id, by_day, now, count, after)


def days_with_slots(stores: Stores, location: Location, service_id: str, now: datetime) -> list[date]:
    """The bookable days with at least one free slot for the service."""
    _bookable_service(location, service_id)
    zone = ZoneInfo(location.timezone)
    days = bookable_days(location, now.astimezone(zone).date())
    if not days:
        return []
    start, _ = _day_bounds(location, days[0])
    _, end = _day_bounds(location, days[-1])
    by_day: dict[date, list[Booked]] = {}
    for booked in _booked(stores, location, start, end):
        by_day.setdefault(booked.starts_at.astimezone(zone).date(), []).append(booked)
    return [day for day in days if has_free_slot(location, service_id, day, by_day.get(day, []), now)]


def book_slot(uow: UnitOfWork, location: Location, service_id: str, starts_at: datetime, language: str,
              count: int = 1) -> list[Appointment]:
    """Book ``count`` appointments of a service one after another from ``starts_at``, which must be
    free slots (on the spot: kiosk, robot, hosts' desk). Run in the one writer, so two devices that
    want the last place get it once: the second finds it taken and is offered the next free ones."""
    _bookable_service(location, service_id)
    calendar = location.appointments
    assert calendar is not None
    if not 1 <= count <= calendar.max_per_booking:
        raise IllegalTransition(f"One booking holds 1 to {calendar.max_per_booking} appointments.",
                                max_per_booking=calendar.max_per_booking)
    day = starts_at.astimezone(ZoneInfo(location.timezone)).date()
    start, end = _day_bounds(location, day)
    booked = _booked(uow, location, start, end)
    length = slot_length(location, service_id)
    made: list[Appointment] = []
    for n in range(count):
        at = starts_at + n * length
        if not is_free(location, service_id, at, booked, uow.now):
            free = next_slots(uow, location, service_id, uow.now, after=starts_at)
            raise SlotTaken("This time is no longer free. Please choose another.",
                            next_free=[slot.starts_at.isoformat() for slot in free])
        made.append(book(uow, location, service_id, at, language, None, None))
        booked.append(Booked(service_id, at, at + length))
    return made


def appointment_for_visitor(stores: Stores, appointment_id: str) -> Appointment:
    """The appointment behind a visitor's page (the unguessable id is the key)."""
    appointment = stores.appointments.get(appointment_id)
    if appointment is None:
        raise NotFound("There is no such appointment.")
    return appointment


def cancel_by_visitor(uow: UnitOfWork, appointment_id: str) -> Appointment:
    """The visitor cancels on their own page: the slot is free again at once."""
    appointment = uow.appointments.get(appointment_id)
    if appointment is None:
        raise NotFound("There is no such appointment.")
    if appointment.status is AppointmentStatus.CANCELLED:
        return appointment
    if not uow.appointments.cancel(appointment_id):
        raise IllegalTransition(f"The appointment is {appointment.status.value} and cannot be cancelled.")
    cancelled = uow.appointments.get(appointment_id)
    assert cancelled is not None
    return cancelled
