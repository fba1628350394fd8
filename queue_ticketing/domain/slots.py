"""Free appointment slots: the location's calendar, its opening hours, and what is already booked.

A slot for a service is a start on the calendar's grid and the service's length. It is free when
one of the appointment desks that offers the service is scheduled for appointments for the whole
slot (its own hours, within the location's opening hours of that day, so holidays close it too)
and no booked appointment holds that desk then. Booked appointments carry no desk (those from the
external booking system never did): each is placed, earliest first, on a desk that offers its
service and is free, preferring the desk that offers the fewest services so that the versatile
desks stay open for the rest. The booking itself is checked against the same computation in the
transaction that stores it, so two devices can never both get the last place.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from location_config.model import AppointmentCalendar, Location


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Booked:
    """An appointment that holds a desk: its service and its time."""

    service: str
    starts_at: datetime
    ends_at: datetime


def bookable_days(location: Location, today: date) -> list[date]:
    """The days a visitor may book at this location: today up to the calendar's horizon, open days only."""
    calendar = location.appointments
    if calendar is None or not calendar.books_locally:
        return []
    return [day for offset in range(calendar.book_ahead_days + 1)
            if location.opening_hours.on(day := today + timedelta(days=offset))]


def free_slots(location: Location, service: str, day: date, booked: Sequence[Booked], now: datetime) -> list[Slot]:
    """The free slots for ``service`` on ``day``, earliest first; [] when it cannot be booked then."""
    return list(_free(location, service, day, booked, now))


def has_free_slot(location: Location, service: str, day: date, booked: Sequence[Booked], now: datetime) -> bool:
    """Whether ``service`` has any free slot on ``day`` (stops at the first one)."""
    return next(_free(location, service, day, booked, now), None) is not None


def _free(location: Location, service: str, day: date, booked: Sequence[Booked], now: datetime) -> Iterator[Slot]:
    calendar = location.appointments
    offer = location.service(service)
    if calendar is None or not calendar.books_locally or offer is None or not offer.appointment:
        return
    zone = ZoneInfo(location.timezone)
    today = now.astimezone(zone).date()
    if not today <= day <= today + timedelta(days=calendar.book_ahead_days):
        return
    length = timedelta(minutes=calendar.lengths.get(service, calendar.slot_minutes))
    earliest = now + timedelta(minutes=calendar.earliest_minutes)
    schedules = _desk_schedules(location, calendar, day, zone)
    offers = _offers(location)
    holding = _place(offers, schedules, booked)
    desks = [(periods, holding[desk]) for desk, periods in schedules.items() if service in offers[desk]]
    for start in _grid(schedules, calendar.slot_minutes, day, zone):
        end = start + length
        if start < earliest:
            continue
        if any(_within(periods, start, end) and not held.overlaps(start, end) for periods, held in desks):
            yield Slot(start, end)


def next_free_slots(location: Location, service: str, booked_on: Mapping[date, Sequence[Booked]], now: datetime,
                    count: int, after: datetime | None = None) -> list[Slot]:
    """The first ``count`` free slots from ``after`` (default now) on, over the bookable days;
    ``booked_on`` holds each day's booked appointments (days missing from it have none)."""
    zone = ZoneInfo(location.timezone)
    start = (after or now).astimezone(zone)
    found: list[Slot] = []
    for day in bookable_days(location, now.astimezone(zone).date()):
        if day < start.date():
            continue
        for slot in free_slots(location, service, day, booked_on.get(day, ()), now):
            if slot.starts_at >= start:
                found.append(slot)
                if len(found) == count:
                    return found
    return found


def is_free(location: Location, service: str, starts_at: datetime, booked: Sequence[Booked], now: datetime) -> bool:
    """Whether a slot for ``service`` starting at ``starts_at`` is free (on the grid, on a bookable day)."""
    day = starts_at.astimezone(ZoneInfo(location.timezone)).date()
    return any(slot.starts_at == starts_at for slot in free_slots(location, service, day, booked, now))


def slot_length(location: Location, service: str) -> timedelta:
    calendar = location.appointments
    minutes = calendar.lengths.get(service, calendar.slot_minutes) if calendar else 15
    return timedelta(minutes=minutes)


def _desk_schedules(location: Location, calendar: AppointmentCalendar, day: date,
                    zone: ZoneInfo) -> dict[str, list[tuple[datetime, datetime]]]:
    """Desk -> the periods it takes appointments on ``day``, cut to the location's opening hours."""
    opening = location.opening_hours.on(day)
    schedules: dict[str, list[tuple[datetime, datetime]]] = {}
    for entry in calendar.desks:
        periods = []
        for desk_range in entry.hours.on(day):
            for open_range in opening:
                opens, closes = max(desk_range.opens, open_range.opens), min(desk_range.closes, open_range.closes)
                if opens < closes:
                    periods.append((_at(day, opens, zone), _at(day, closes, zone)))
        if periods:
            schedules[entry.desk] = sorted(periods)
    return schedules


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, zone)


def _grid(schedules: dict[str, list[tuple[datetime, datetime]]], step: int, day: date,
          zone: ZoneInfo) -> list[datetime]:
    """Every grid start within any desk's periods, in order."""
    starts: set[datetime] = set()
    midnight = _at(day, time(0), zone)
    for periods in schedules.values():
        for opens, closes in periods:
            minutes = -(-int((opens - midnight).total_seconds() // 60) // step) * step
            moment = midnight + timedelta(minutes=minutes)
            while moment < closes:
                starts.add(moment)
                moment += timedelta(minutes=step)
    return sorted(starts)


def _within(periods: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    return any(opens <= start and end <= closes for opens, closes in periods)


@dataclass
class _Held:
    """A desk's held periods: never overlapping, so sorted by start they are sorted by end too."""

    starts: list[datetime] = field(default_factory=list)
    ends: list[datetime] = field(default_factory=list)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        # The last period starting before ``end`` ends latest of all that do.
        before = bisect_left(self.starts, end)
        return before > 0 and self.ends[before - 1] > start

    def hold(self, start: datetime, end: datetime) -> None:
        at = bisect_left(self.starts, start)
        self.starts.insert(at, start)
        self.ends.insert(at, end)


def _offers(location: Location) -> dict[str, tuple[str, ...]]:
    return {desk.id: desk.services for desk in location.desks}


def _place(offers: dict[str, tuple[str, ...]], schedules: dict[str, list[tuple[datetime, datetime]]],
           booked: Sequence[Booked]) -> dict[str, _Held]:
    """Each desk's held periods once the booked appointments are placed (earliest first)."""
    holding = {desk: _Held() for desk in schedules}
    for appointment in sorted(booked, key=lambda b: (b.starts_at, b.ends_at)):
        chosen = min(
            (desk for desk, periods in schedules.items()
             if appointment.service in offers[desk]
             and _within(periods, appointment.starts_at, appointment.ends_at)
             and not holding[desk].overlaps(appointment.starts_at, appointment.ends_at)),
            key=lambda desk: (len(offers[desk]), desk), default=None)
        if chosen is not None:
            holding[chosen].hold(appointment.starts_at, appointment.ends_at)
        # An appointment no desk can hold (booked outside the calendar by the booking system) holds
        # nothing here: the desks see it at check-in like any other.
    return holding

