"""Free appointment slots from the calendar, the opening hours and what is already booked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from location_config.model import (
    AppointmentCalendar,
    AppointmentDesk,
    Location,
    OpeningHours,
    TimeRange,
)
from queue_ticketing.domain.slots import (
    Booked,
    Slot,
    bookable_days,
    free_slots,
    has_free_slot,
    is_free,
    next_free_slots,
)

from .builders import AMSTERDAM, a_desk

MONDAY = date(2026, 11, 30)
TUESDAY = MONDAY + timedelta(days=1)
WEEKDAYS = {d: (TimeRange(time(8, 30), time(17, 0)),) for d in range(5)}


def hours(*ranges: tuple[str, str], weekdays: range = range(5)) -> OpeningHours:
    parsed = tuple(TimeRange(time.fromisoformat(a), time.fromisoformat(b)) for a, b in ranges)
    return OpeningHours({d: parsed for d in weekdays})


def at(day: date, hh_mm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hh_mm), AMSTERDAM)


def starts(slots: list[Slot]) -> list[str]:
    return [s.starts_at.strftime("%H:%M") for s in slots]


@pytest.fixture
def location(locations: dict[str, Location]) -> Location:
    """IJsselmonde with a small calendar: balie-2 (passports, identity cards, licences) 9-10,
    balie-4 (extracts, moves, births) 9-10 on Mondays."""
    base = locations["ijsselmonde"]
    calendar = AppointmentCalendar(
        slot_minutes=15, book_ahead_days=14, earliest_minutes=30, max_per_booking=2,
        lengths={"paspoort": 15, "identiteitskaart": 15, "rijbewijs": 30, "uittreksel_brp": 15,
                 "verhuizing": 15, "geboorteaangifte": 15, "afhalen_reisdocument": 15},
        desks=(AppointmentDesk("balie-2", hours(("09:00", "10:00"))),
               AppointmentDesk("balie-4", hours(("09:00", "10:00"), weekdays=range(1)))))
    return replace(base, appointments=calendar)


EARLY = at(MONDAY, "07:00")
"""Long before the first slot, so ``earliest_minutes`` does not cut the day."""


def test_a_free_desk_gives_a_slot_on_every_step_of_the_grid_that_fits(location: Location) -> None:
    assert starts(free_slots(location, "paspoort", MONDAY, [], EARLY)) == ["09:00", "09:15", "09:30", "09:45"]


def test_a_longer_appointment_needs_the_whole_length_within_the_desks_hours(location: Location) -> None:
    slots = free_slots(location, "rijbewijs", MONDAY, [], EARLY)
    assert starts(slots) == ["09:00", "09:15", "09:30"]
    assert slots[0].ends_at - slots[0].starts_at == timedelta(minutes=30)


def test_a_booked_appointment_takes_its_slot(location: Location) -> None:
    booked = [Booked("paspoort", at(MONDAY, "09:15"), at(MONDAY, "09:30"))]
    assert starts(free_slots(location, "paspoort", MONDAY, booked, EARLY)) == ["09:00", "09:30", "09:45"]


def test_a_booking_elsewhere_on_the_day_blocks_the_slots_it_overlaps_for_longer_services(location: Location) -> None:
    booked = [Booked("paspoort", at(MONDAY, "09:15"), at(MONDAY, "09:30"))]
    assert starts(free_slots(location, "rijbewijs", MONDAY, booked, EARLY)) == ["09:30"]


def test_a_desk_that_does_not_offer_the_service_gives_no_slots_for_it(location: Location) -> None:
    # Only balie-4 takes appointments for moves; balie-2 does not offer them.
    booked = [Booked("verhuizing", at(MONDAY, "09:00"), at(MONDAY, "09:15"))]
    assert starts(free_slots(location, "verhuizing", MONDAY, booked, EARLY)) == ["09:15", "09:30", "09:45"]
    assert starts(free_slots(location, "paspoort", MONDAY, booked, EARLY)) == ["09:00", "09:15", "09:30", "09:45"]


def test_an_appointment_goes_to_the_desk_with_fewest_services_so_the_versatile_one_stays_free(
        location: Location) -> None:
    specialist = a_desk("uittreksel_brp", desk_id="balie-x", number=7)
    versatile = a_desk("uittreksel_brp", "paspoort", desk_id="balie-y", number=8)
    two = replace(location, desks=(*location.desks, specialist, versatile), appointments=replace(
        location.appointments,  # type: ignore[arg-type]
        desks=(AppointmentDesk("balie-y", hours(("09:00", "10:00"))),
               AppointmentDesk("balie-x", hours(("09:00", "10:00"))))))
    booked = [Booked("uittreksel_brp", at(MONDAY, "09:00"), at(MONDAY, "09:15"))]
    assert "09:00" in starts(free_slots(two, "paspoort", MONDAY, booked, EARLY))


def test_two_desks_give_two_places_in_the_same_slot(location: Location) -> None:
    two = replace(location, appointments=replace(
        location.appointments,  # type: ignore[arg-type]
        desks=(AppointmentDesk("balie-2", hours(("09:00", "10:00"))),
               AppointmentDesk("balie-3", hours(("09:00", "10:00"))))))
    one_booked = [Booked("paspoort", at(MONDAY, "09:00"), at(MONDAY, "09:15"))]
    both_booked = one_booked * 2
    assert "09:00" in starts(free_slots(two, "paspoort", MONDAY, one_booked, EARLY))
    assert "09:00" not in starts(free_slots(two, "paspoort", MONDAY, both_booked, EARLY))


def test_slots_stay_within_the_location_s_opening_hours_so_a_holiday_has_none(location: Location) -> None:
    holiday = replace(location, opening_hours=OpeningHours(WEEKDAYS, {MONDAY: ()}))
    assert free_slots(holiday, "paspoort", MONDAY, [], EARLY) == []
    closes_early = {MONDAY: (TimeRange(time(8, 30), time(9, 30)),)}
    short_day = replace(location, opening_hours=OpeningHours(WEEKDAYS, closes_early))
    assert starts(free_slots(short_day, "paspoort", MONDAY, [], EARLY)) == ["09:00", "09:15"]


def test_a_slot_starts_at_least_the_earliest_minutes_from_now(location: Location) -> None:
    assert starts(free_slots(location, "paspoort", MONDAY, [], at(MONDAY, "08:50"))) == ["09:30", "09:45"]


def test_days_beyond_the_horizon_or_in_the_past_have_no_slots(location: Location) -> None:
    assert free_slots(location, "paspoort", MONDAY + timedelta(days=15), [], EARLY) == []
    assert free_slots(location, "paspoort", MONDAY - timedelta(days=1), [], EARLY) == []
    assert free_slots(location, "paspoort", MONDAY + timedelta(days=14), [], EARLY) != []


def test_a_service_that_takes_no_appointments_has_no_slots(location: Location) -> None:
    assert free_slots(location, "informatie", MONDAY, [], EARLY) == []


def test_a_location_that_books_elsewhere_has_no_slots_and_no_bookable_days(location: Location) -> None:
    elsewhere = replace(location, appointments=AppointmentCalendar(booking_url="https://www.rotterdam.nl/afspraak"))
    assert free_slots(elsewhere, "paspoort", MONDAY, [], EARLY) == []
    assert bookable_days(elsewhere, MONDAY) == []


def test_bookable_days_are_the_open_days_up_to_the_horizon(location: Location) -> None:
    days = bookable_days(location, MONDAY)
    assert days[0] == MONDAY and days[-1] == MONDAY + timedelta(days=14)
    assert all(d.weekday() < 5 for d in days)


def test_the_next_free_slots_run_over_into_the_next_days(location: Location) -> None:
    full_monday = [Booked("paspoort", at(MONDAY, f"09:{m:02d}"), at(MONDAY, f"09:{m:02d}") + timedelta(minutes=15))
                   for m in (0, 15, 30, 45)]
    found = next_free_slots(location, "paspoort", {MONDAY: full_monday}, EARLY, count=3)
    assert [s.starts_at for s in found] == [at(TUESDAY, "09:00"), at(TUESDAY, "09:15"), at(TUESDAY, "09:30")]


def test_is_free_accepts_only_a_start_on_the_grid_that_is_still_free(location: Location) -> None:
    booked = [Booked("paspoort", at(MONDAY, "09:15"), at(MONDAY, "09:30"))]
    assert is_free(location, "paspoort", at(MONDAY, "09:00"), booked, EARLY)
    assert not is_free(location, "paspoort", at(MONDAY, "09:15"), booked, EARLY)
    assert not is_free(location, "paspoort", at(MONDAY, "09:05"), booked, EARLY)


def test_a_long_appointment_booked_earlier_still_blocks_a_slot_after_a_short_one_that_starts_later(
        location: Location) -> None:
    # The 30-minute licence holds balie-2 from 09:00 to 09:30; a slot at 09:15 overlaps it even though
    # it starts after the licence's start, whichever way the held periods are searched.
    booked = [Booked("rijbewijs", at(MONDAY, "09:00"), at(MONDAY, "09:30")),
              Booked("paspoort", at(MONDAY, "09:45"), at(MONDAY, "10:00"))]
    assert starts(free_slots(location, "paspoort", MONDAY, booked, EARLY)) == ["09:30"]


def test_has_free_slot_agrees_with_the_slots_on_a_free_a_full_and_a_closed_day(location: Location) -> None:
    full = [Booked("paspoort", at(MONDAY, f"09:{m:02d}"), at(MONDAY, f"09:{m:02d}") + timedelta(minutes=15))
            for m in (0, 15, 30, 45)]
    saturday = MONDAY + timedelta(days=5)
    for day, booked in ((MONDAY, []), (MONDAY, full), (TUESDAY, []), (saturday, [])):
        assert has_free_slot(location, "paspoort", day, booked, EARLY) == bool(
            free_slots(location, "paspoort", day, booked, EARLY))
    assert has_free_slot(location, "paspoort", MONDAY, [], EARLY)
    assert not has_free_slot(location, "paspoort", MONDAY, full, EARLY)
