"""The one clock abstraction: a fixed clock for tests, the system clock for real."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from queue_ticketing.domain.clock import FixedClock, system_clock

from .builders import NOW


def test_a_fixed_clock_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2026, 11, 30, 9, 0))


def test_a_fixed_clock_stands_still_until_moved() -> None:
    clock = FixedClock(NOW)
    assert clock() == clock() == NOW


def test_advancing_a_fixed_clock_moves_it_and_returns_the_new_time() -> None:
    clock = FixedClock(NOW)
    moved = clock.advance(minutes=5, seconds=30)
    assert moved == NOW + timedelta(minutes=5, seconds=30)
    assert clock() == moved


def test_the_system_clock_is_timezone_aware() -> None:
    assert system_clock().utcoffset() == timedelta(0)
