"""When a location is open: the weekly hours, lunch breaks, late evenings and holidays."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

import pytest

from location_config import OpeningHours, TimeRange, load_location

if TYPE_CHECKING:
    from conftest import ConfigFiles

MONDAY = date(2026, 11, 30)
WEDNESDAY = date(2026, 12, 2)
THURSDAY = date(2026, 12, 3)
SATURDAY = date(2026, 12, 5)


def hours(location_id: str) -> OpeningHours:
    return load_location(location_id).opening_hours


def test_centrum_is_open_on_thursday_evening_until_eight() -> None:
    assert hours("centrum").is_open(THURSDAY, time(19, 59))
    assert not hours("centrum").is_open(THURSDAY, time(20, 0))


def test_centrum_closes_at_five_on_other_weekdays() -> None:
    assert hours("centrum").is_open(MONDAY, time(16, 59))
    assert not hours("centrum").is_open(MONDAY, time(17, 0))


def test_a_location_opens_at_half_past_eight() -> None:
    assert not hours("ijsselmonde").is_open(MONDAY, time(8, 29))
    assert hours("ijsselmonde").is_open(MONDAY, time(8, 30))


def test_hoogvliet_is_closed_on_wednesday_afternoon() -> None:
    assert hours("hoogvliet").is_open(WEDNESDAY, time(12, 0))
    assert not hours("hoogvliet").is_open(WEDNESDAY, time(14, 0))


def test_hoogvliet_is_closed_during_the_lunch_break() -> None:
    assert not hours("hoogvliet").is_open(MONDAY, time(12, 45))
    assert hours("hoogvliet").is_open(MONDAY, time(13, 0))


@pytest.mark.parametrize("location_id", ["ijsselmonde", "hoogvliet", "centrum"])
def test_every_location_is_closed_on_weekends(location_id: str) -> None:
    assert not hours(location_id).is_open(SATURDAY, time(11, 0))


@pytest.mark.parametrize("location_id", ["ijsselmonde", "hoogvliet", "centrum"])
@pytest.mark.parametrize(
    "holiday",
    [date(2026, 12, 25), date(2027, 1, 1), date(2027, 4, 27)],
    ids=["kerstmis", "nieuwjaarsdag", "koningsdag"],
)
def test_every_location_is_closed_on_public_holidays(location_id: str, holiday: date) -> None:
    assert hours(location_id).on(holiday) == ()
    assert not hours(location_id).is_open(holiday, time(11, 0))


@pytest.mark.parametrize("day", [date(2026, 12, 24), date(2026, 12, 31)], ids=["kerstavond", "oudejaarsdag"])
def test_the_last_days_of_the_year_close_at_three_even_on_late_thursday(day: date) -> None:
    assert hours("centrum").is_open(day, time(14, 59))
    assert not hours("centrum").is_open(day, time(15, 0))


def test_a_shortened_day_keeps_the_lunch_break() -> None:
    christmas_eve = hours("hoogvliet").on(date(2026, 12, 24))

    assert christmas_eve == (TimeRange(time(8, 30), time(12, 30)), TimeRange(time(13, 0), time(15, 0)))


def test_opening_ranges_are_kept_sorted_even_when_written_out_of_order(config: ConfigFiles) -> None:
    text = config.edited_location(
        'monday = ["08:30-12:30", "13:00-17:00"]', 'monday = ["13:00-17:00", "08:30-12:30"]'
    )

    monday = config.location(text).opening_hours.weekly[0]

    assert [period.opens for period in monday] == [time(8, 30), time(13, 0)]


def test_a_weekday_left_out_or_empty_is_closed(config: ConfigFiles) -> None:
    text = config.edited_location('thursday = ["08:30-20:00"]', "tuesday = []")

    weekly = config.location(text).opening_hours.weekly

    assert sorted(weekly) == [0]
