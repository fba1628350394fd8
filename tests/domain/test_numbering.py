"""Business days follow the Amsterdam calendar; ticket numbers are a letter and a 3+ digit sequence."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from queue_ticketing.domain.numbering import business_day, ticket_number


def test_23_30_utc_in_winter_is_already_the_next_business_day() -> None:
    assert business_day(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == date(2026, 12, 1)


def test_22_59_utc_in_winter_is_still_the_same_business_day() -> None:
    assert business_day(datetime(2026, 11, 30, 22, 59, tzinfo=UTC)) == date(2026, 11, 30)


def test_22_00_utc_in_summer_is_already_the_next_business_day() -> None:
    assert business_day(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == date(2026, 7, 2)




@pytest.mark.parametrize(
    ("utc_moment", "expected"),
    [
        # Sunday 29 March 2026: clocks jump from 02:00 CET to 03:00 CEST, so midnight is 22:00 UTC.
        (datetime(2026, 3, 29, 21, 59, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 22, 0, tzinfo=UTC), date(2026, 3, 30)),
        # The day starts at 23:00 UTC the evening before (still winter time then).
        (datetime(2026, 3, 28, 23, 0, tzinfo=UTC), date(2026, 3, 29)),
    ],
)
def test_the_business_day_changes_at_amsterdam_midnight_on_the_spring_clock_change(
    utc_moment: datetime, expected: date
) -> None:
    assert business_day(utc_moment) == expected


@pytest.mark.parametrize(
    ("utc_moment", "expected"),
    [
        # Sunday 25 October 2026: clocks go back from 03:00 CEST to 02:00 CET, so midnight is 23:00 UTC.
        (datetime(2026, 10, 25, 22, 59, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 23, 0, tzinfo=UTC), date(2026, 10, 26)),
        # The day started at 22:00 UTC the evening before (still summer time then).
        (datetime(2026, 10, 24, 22, 0, tzinfo=UTC), date(2026, 10, 25)),
    ],
)
def test_the_business_day_changes_at_amsterdam_midnight_on_the_autumn_clock_change(
    utc_moment: datetime, expected: date
) -> None:
    assert business_day(utc_moment) == expected


def test_both_passes_through_the_repeated_hour_in_autumn_are_the_same_business_day() -> None:
    first_0230 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second_0230 = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    assert business_day(first_0230) == business_day(second_0230) == date(2026, 10, 25)


def test_a_location_in_another_timezone_uses_its_own_midnight() -> None:
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert business_day(moment, ZoneInfo("Atlantic/Reykjavik")) == date(2026, 11, 30)


def test_business_day_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        business_day(datetime(2026, 11, 30, 23, 30))


@pytest.mark.parametrize(
    ("sequence", "number"),
    [(1, "P001"), (12, "P012"), (999, "P999"), (1000, "P1000")],
)
def test_a_ticket_number_is_the_letter_and_at_least_three_digits(sequence: int, number: str) -> None:
    assert ticket_number("P", sequence) == number


@pytest.mark.parametrize("sequence", [0, -1])
def test_a_sequence_below_one_is_refused(sequence: int) -> None:
    with pytest.raises(ValueError, match="start at 1"):
        ticket_number("P", sequence)
