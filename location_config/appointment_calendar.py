"""``[appointments]``: booking an appointment on the spot, at the kiosk, the robot or the hosts' desk.

    [appointments]
    slot_minutes = 15          # slots start on this grid
    book_ahead_days = 28       # the last day that can be booked
    earliest_minutes = 30      # a slot starts at least this long from now
    max_per_booking = 2        # appointments one booking may hold
    lengths = { paspoort = 15, huwelijk = 30 }   # others: their typical time, rounded up to the grid

    [[appointments.desks]]     # the desks that take appointments, and when
    desk = "balie-2"
    [appointments.desks.hours]
    monday = ["09:00-12:00", "13:00-16:30"]
    [appointments.desks.hours.exceptions]
    "2026-12-24" = []

Or, where the city books appointments on its website: ``booking_url = "https://..."`` alone.
Slots also stay within the location's opening hours, so its holidays close the desks' hours too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from location_config.model import AppointmentCalendar, AppointmentDesk, Desk, Service
from location_config.opening_hours import read_opening_hours
from location_config.toml_table import Table, suggestion


def read_appointment_calendar(root: Table, offered: Sequence[Service], desks: Sequence[Desk]
                              ) -> AppointmentCalendar | None:
    """The location's ``[appointments]``, or None when it has none."""
    table = root.table("appointments", required=False)
    if table is None:
        return None
    defaults = AppointmentCalendar()
    booking_url = table.text("booking_url", required=False)
    if booking_url is not None and not booking_url.startswith("https://"):
        table.problem("booking_url", f"must be an https:// address, got {booking_url!r}")
    slot = _whole(table, "slot_minutes", defaults.slot_minutes, 5, 120)
    ahead = _whole(table, "book_ahead_days", defaults.book_ahead_days, 1, 366)
    earliest = _whole(table, "earliest_minutes", defaults.earliest_minutes, 0, 24 * 60)
    per_booking = _whole(table, "max_per_booking", defaults.max_per_booking, 1, 6)
    bookable = [s for s in offered if s.appointment]
    lengths = _read_lengths(table, bookable, slot)
    calendar_desks = _read_desks(table, desks)
    table.finish()
    if booking_url is not None:
        if calendar_desks:
            table.problem("desks", "appointments booked elsewhere (booking_url) take no desks here")
        return AppointmentCalendar(slot, ahead, earliest, per_booking, lengths, (), booking_url)
    if not calendar_desks:
        table.problem(None, "needs at least one [[appointments.desks]], or a booking_url")
    by_id = {d.id: d for d in desks}
    for service in bookable:
        if not any(service.id in by_id[a.desk].services for a in calendar_desks if a.desk in by_id):
            table.problem(None, f"service {service.id!r} takes appointments but no appointment desk offers it")
    return AppointmentCalendar(slot, ahead, earliest, per_booking, lengths, calendar_desks, None)


def _whole(table: Table, key: str, default: int, low: int, high: int) -> int:
    value = table.integer(key, required=False)
    if value is None:
        return default
    if not low <= value <= high:
        table.problem(key, f"must be between {low} and {high}, got {value}")
        return default
    return value


def _read_lengths(table: Table, bookable: Sequence[Service], slot: int) -> Mapping[str, int]:
    """Every bookable service's length: as configured, else its typical time rounded up to the grid."""
    lengths = {s.id: max(slot, math.ceil(s.typical_service_minutes / slot) * slot) for s in bookable}
    given = table.table("lengths", required=False)
    if given is None:
        return lengths
    known = [s.id for s in bookable]
    for service, value in given.entries():
        if service not in lengths:
            given.problem(service, f"{service!r} is not a service this location books appointments for "
                                   f"(bookable: {', '.join(known)}){suggestion(service, known)}")
        elif not isinstance(value, int) or isinstance(value, bool) or not 5 <= value <= 240:
            given.problem(service, f"expected minutes from 5 to 240, got {value!r}")
        else:
            lengths[service] = value
    return lengths


def _read_desks(table: Table, desks: Sequence[Desk]) -> tuple[AppointmentDesk, ...]:
    known = [d.id for d in desks]
    result: list[AppointmentDesk] = []
    first_at: dict[str, str] = {}
    for entry in table.tables("desks", required=False):
        desk = entry.text("desk")
        if desk is not None and desk not in known:
            entry.problem("desk", f"unknown desk {desk!r} (known: {', '.join(known)}){suggestion(desk, known)}")
            desk = None
        hours = read_opening_hours(entry, "hours")
        entry.finish()
        if desk is not None:
            entry.report_duplicate("desk", desk, first_at, "appointment desk")
        if desk is not None and hours is not None:
            result.append(AppointmentDesk(desk, hours))
    return tuple(result)
