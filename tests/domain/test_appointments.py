"""Appointment codes and the check-in window: not too early, not too late, at the right place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from location_config.model import CheckInWindow
from queue_ticketing.domain.appointments import (
    CODE_ALPHABET,
    AppointmentStatus,
    check_in_allowed,
    judged_at,
    new_code,
    normalise_code,
)
from queue_ticketing.domain.errors import CheckInRefused

from .builders import AMSTERDAM, an_appointment

SLOT = datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM)
WINDOW = CheckInWindow(early_minutes=30, late_minutes=15)


def test_check_in_during_the_window_is_allowed() -> None:
    assert check_in_allowed(an_appointment(starts_at=SLOT), "ijsselmonde", WINDOW, SLOT) is None


def test_check_in_exactly_when_the_window_opens_is_allowed() -> None:
    check_in_allowed(an_appointment(starts_at=SLOT), "ijsselmonde", WINDOW, SLOT - timedelta(minutes=30))


def test_check_in_exactly_when_the_window_closes_is_allowed() -> None:
    check_in_allowed(an_appointment(starts_at=SLOT), "ijsselmonde", WINDOW, SLOT + timedelta(minutes=15))


def test_checking_in_too_early_says_when_check_in_opens() -> None:
    with pytest.raises(CheckInRefused) as refused:
        check_in_allowed(an_appointment(starts_at=SLOT), "ijsselmonde", WINDOW,
                         SLOT - timedelta(minutes=30, seconds=1))
    assert refused.value.code == "too_early"
    assert refused.value.extra["check_in_opens_at"] == "2026-11-30T09:30:00+01:00"
    assert "30 minutes before" in refused.value.detail


def test_checking_in_too_late_is_refused_with_what_to_do_next() -> None:
    with pytest.raises(CheckInRefused) as refused:
        check_in_allowed(an_appointment(starts_at=SLOT), "ijsselmonde", WINDOW,
                         SLOT + timedelta(minutes=15, seconds=1))
    assert refused.value.code == "too_late"
    assert "walk-in ticket" in refused.value.detail


def test_checking_in_at_another_location_names_the_right_one() -> None:
    with pytest.raises(CheckInRefused) as refused:
        check_in_allowed(an_appointment(starts_at=SLOT, location="hoogvliet"), "ijsselmonde", WINDOW, SLOT)
    assert refused.value.code == "wrong_location"
    assert refused.value.extra["appointment_location"] == "hoogvliet"


def test_a_cancelled_appointment_cannot_be_checked_in() -> None:
    cancelled = an_appointment(starts_at=SLOT, status=AppointmentStatus.CANCELLED)
    with pytest.raises(CheckInRefused) as refused:
        check_in_allowed(cancelled, "ijsselmonde", WINDOW, SLOT)
    assert refused.value.code == "appointment_cancelled"


def test_the_locations_own_window_is_used() -> None:
    narrow = CheckInWindow(early_minutes=10, late_minutes=5)
    with pytest.raises(CheckInRefused, match="10 minutes before"):
        check_in_allowed(an_appointment(starts_at=SLOT), "ijsselmonde", narrow, SLOT - timedelta(minutes=11))


def test_the_window_is_the_same_moment_whatever_timezone_now_is_given_in() -> None:
    window_opens_in_utc = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)  # 09:30 in Rotterdam
    check_in_allowed(an_appointment(starts_at=SLOT), "ijsselmonde", WINDOW, window_opens_in_utc)




# --- codes ------------------------------------------------------------------------------------


def test_the_code_alphabet_has_no_characters_that_look_alike() -> None:
    assert not set("0O1I") & set(CODE_ALPHABET)


def test_a_new_code_has_six_characters_from_the_unambiguous_alphabet() -> None:
    for _ in range(200):
        code = new_code()
        assert len(code) == 6
        assert set(code) <= set(CODE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [("k7m2xp", "K7M2XP"), ("K7M-2XP", "K7M2XP"), (" k7m 2xp ", "K7M2XP"), ("K7M2XP", "K7M2XP")],
)
def test_a_typed_code_is_normalised_without_spaces_or_dashes_in_upper_case(typed: str, normal: str) -> None:
    assert normalise_code(typed) == normal


def test_a_check_in_that_waited_in_an_offline_kiosk_is_judged_at_the_time_it_was_made() -> None:
    now = SLOT + timedelta(minutes=40)
    assert judged_at(now, SLOT) == SLOT


def test_a_check_in_that_arrives_at_once_is_judged_now_whatever_the_kiosks_clock_says() -> None:
    now = SLOT
    assert judged_at(now, SLOT - timedelta(seconds=90)) == now
    assert judged_at(now, SLOT + timedelta(minutes=10)) == now  # a time in the future is not trusted
    assert judged_at(now, None) == now


def test_a_check_in_older_than_twelve_hours_is_judged_now() -> None:
    assert judged_at(SLOT, SLOT - timedelta(hours=13)) == SLOT
