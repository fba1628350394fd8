"""How many offline numbers a kiosk keeps leased, and for which days (pure), and the badge value."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from queue_ticketing.client import Observable
from queue_ticketing.client.offline_numbers import MAX_LEASES_PER_PASS, OfflineStock, blocks_to_lease, days_to_stock

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY, TOMORROW = date(2026, 11, 30), date(2026, 12, 1)
STOCK = OfflineStock("ijsselmonde", block_size=25, low_water=10, tomorrow_from=time(16, 0))


def test_in_the_morning_only_today_is_stocked() -> None:
    assert days_to_stock(STOCK, datetime(2026, 11, 30, 9, 0, tzinfo=AMSTERDAM)) == [TODAY]


def test_from_the_afternoon_tomorrow_is_stocked_too() -> None:
    assert days_to_stock(STOCK, datetime(2026, 11, 30, 16, 0, tzinfo=AMSTERDAM)) == [TODAY, TOMORROW]
    never_ahead = OfflineStock("ijsselmonde", tomorrow_from=None)
    assert days_to_stock(never_ahead, datetime(2026, 11, 30, 23, 0, tzinfo=AMSTERDAM)) == [TODAY]


def test_the_local_time_decides_not_utc() -> None:
    late_utc_early_here = datetime(2026, 11, 30, 15, 30, tzinfo=ZoneInfo("UTC"))  # 16:30 in Rotterdam
    assert days_to_stock(STOCK, late_utc_early_here) == [TODAY, TOMORROW]


@pytest.mark.parametrize(("left", "pending", "wanted"), [
    (0, 0, 1), (9, 0, 1), (10, 0, 0), (50, 0, 0), (0, 1, 0), (5, 0, 1)])
def test_today_is_topped_up_to_the_low_water_mark(left: int, pending: int, wanted: int) -> None:
    assert blocks_to_lease(STOCK, TODAY, TODAY, left, pending) == wanted


def test_a_big_low_water_mark_asks_for_several_blocks_but_boundedly() -> None:
    stock = OfflineStock("ijsselmonde", block_size=25, low_water=60)
    assert blocks_to_lease(stock, TODAY, TODAY, 0, 0) == 3
    huge = OfflineStock("ijsselmonde", block_size=1, low_water=1000)
    assert blocks_to_lease(huge, TODAY, TODAY, 0, 0) == MAX_LEASES_PER_PASS


def test_tomorrow_gets_one_block_once() -> None:
    assert blocks_to_lease(STOCK, TOMORROW, TODAY, 0, 0) == 1
    assert blocks_to_lease(STOCK, TOMORROW, TODAY, 0, 1) == 0
    assert blocks_to_lease(STOCK, TOMORROW, TODAY, 25, 0) == 0


def test_silly_stock_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        OfflineStock("ijsselmonde", block_size=0)
    with pytest.raises(ValueError):
        OfflineStock("ijsselmonde", block_size=201)


def test_the_badge_value_tells_subscribers_of_changes_only_until_they_unsubscribe() -> None:
    online = Observable(True)
    seen: list[bool] = []
    unsubscribe = online.subscribe(seen.append, now=True)
    online.set(True)
    online.set(False)
    online.set(False)
    online.set(True)
    unsubscribe()
    online.set(False)
    assert seen == [True, False, True]


def test_a_failing_subscriber_does_not_stop_the_others() -> None:
    online = Observable(True)
    seen: list[bool] = []

    def broken(_: bool) -> None:
        raise RuntimeError("the badge widget is gone")

    online.subscribe(broken)
    online.subscribe(seen.append)
    assert online.set(False)
    assert seen == [False]
