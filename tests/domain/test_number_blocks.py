"""The rules of number blocks and offline tickets (pure)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from queue_ticketing.domain.number_blocks import (
    MAX_BLOCK_SIZE,
    MAX_NUMBERS_PER_DAY,
    BlockRefused,
    NumberBlock,
    check_lease_size,
    check_offline_ticket,
    lease_day,
    sequence_of,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOON = datetime(2026, 11, 30, 12, 0, tzinfo=AMSTERDAM)
BLOCK = NumberBlock(id="b1", location="ijsselmonde", service="paspoort", letter="P", business_day=date(2026, 11, 30),
                    first=26, last=50, device_id="kiosk-1", leased_at=NOON - timedelta(hours=3))


def refused(call, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(BlockRefused) as caught:
        call(*args)
    return caught.value.code


def test_a_block_knows_its_numbers() -> None:
    assert (BLOCK.size, BLOCK.first_number, BLOCK.last_number) == (25, "P026", "P050")
    assert BLOCK.contains(26) and BLOCK.contains(50)
    assert not BLOCK.contains(25) and not BLOCK.contains(51)


@pytest.mark.parametrize(("number", "sequence"), [("P001", 1), ("P012", 12), ("P999", 999), ("P1000", 1000)])
def test_a_printed_number_gives_its_sequence(number: str, sequence: int) -> None:
    assert sequence_of(number, "P") == sequence


@pytest.mark.parametrize("number", ["P000", "P12", "P0012", "I012", "p012", "P01a", "", "012", "PP012"])
def test_what_is_not_a_printed_number_of_the_letter_has_no_sequence(number: str) -> None:
    assert sequence_of(number, "P") is None


def test_leases_are_for_today_by_default_or_tomorrow() -> None:
    assert lease_day(None, NOON) == date(2026, 11, 30)
    assert lease_day(date(2026, 12, 1), NOON) == date(2026, 12, 1)


def test_the_business_day_of_a_lease_is_the_amsterdam_date() -> None:
    just_after_midnight_here = datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on 1 December
    assert lease_day(None, just_after_midnight_here) == date(2026, 12, 1)


@pytest.mark.parametrize("day", [date(2026, 11, 29), date(2026, 12, 2)])
def test_no_lease_for_a_past_day_or_further_ahead(day: date) -> None:
    assert refused(lease_day, day, NOON) == "business_day_out_of_range"


def test_a_lease_size_is_within_bounds_and_the_daily_share() -> None:
    check_lease_size(MAX_BLOCK_SIZE, MAX_NUMBERS_PER_DAY - MAX_BLOCK_SIZE)
    assert refused(check_lease_size, 0, 0) == "invalid_block_size"
    assert refused(check_lease_size, MAX_BLOCK_SIZE + 1, 0) == "invalid_block_size"
    assert refused(check_lease_size, 1, MAX_NUMBERS_PER_DAY) == "block_limit_reached"


def test_an_offline_ticket_from_the_block_on_its_day_queues_from_its_issue_time() -> None:
    assert check_offline_ticket(BLOCK, "P026", NOON - timedelta(hours=1), NOON) == (26, NOON - timedelta(hours=1))


@pytest.mark.parametrize("number", ["P025", "P051", "I030", "P0030"])
def test_a_number_outside_the_block_is_refused(number: str) -> None:
    assert refused(check_offline_ticket, BLOCK, number, NOON, NOON) == "number_outside_block"


def test_a_ticket_from_a_kiosk_whose_clock_runs_ahead_queues_from_now() -> None:
    assert check_offline_ticket(BLOCK, "P050", NOON + timedelta(minutes=20), NOON) == (50, NOON)


def test_a_block_for_a_day_that_has_not_begun_takes_no_tickets_yet() -> None:
    tomorrows = NumberBlock(id="b2", location="ijsselmonde", service="paspoort", letter="P",
                            business_day=date(2026, 12, 1), first=1, last=25, device_id="kiosk-1", leased_at=NOON)
    clock_ahead = datetime(2026, 12, 1, 0, 5, tzinfo=AMSTERDAM)
    late_evening = datetime(2026, 11, 30, 23, 55, tzinfo=AMSTERDAM)
    assert refused(check_offline_ticket, tomorrows, "P001", clock_ahead, late_evening) == "business_day_not_started"


def test_an_issue_time_on_another_day_than_the_blocks_is_refused() -> None:
    day_before = datetime(2026, 11, 29, 23, 59, tzinfo=AMSTERDAM)
    assert refused(check_offline_ticket, BLOCK, "P030", day_before, NOON) == "issued_outside_block_day"


def test_tickets_of_a_day_that_is_over_are_refused() -> None:
    next_morning = datetime(2026, 12, 1, 8, 0, tzinfo=AMSTERDAM)
    error_code = refused(check_offline_ticket, BLOCK, "P030", NOON, next_morning)
    assert error_code == "business_day_over"
