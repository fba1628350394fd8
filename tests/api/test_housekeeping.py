"""Remembered answers, live events and the number blocks of past days are forgotten after their
retention; tickets never are."""

from __future__ import annotations

from datetime import timedelta

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.housekeeping import forget_old
from queue_ticketing.store.database import Database
from queue_ticketing.store.events import EventStore
from queue_ticketing.store.number_blocks import NumberBlockStore
from queue_ticketing.store.tickets import TicketStore
from tests.api.test_offline_tickets import hand_in, lease
from tests.conftest import Api


def test_old_idempotency_keys_and_events_are_forgotten_but_tickets_stay(api: Api, make_token, clock: FixedClock,
                                                                        database_url: str) -> None:
    kiosk = make_token("kiosk")
    ticket = api.issue(kiosk, "paspoort").json()
    db = Database(database_url)
    later = FixedClock(clock() + timedelta(days=8))
    forgotten = forget_old(db, later)
    assert forgotten.idempotency_keys == 1
    assert forgotten.events >= 2
    with db.read() as conn:
        assert EventStore(conn).since("ijsselmonde", 0) == []
        assert EventStore(conn).last_id("ijsselmonde") >= 2  # ids keep increasing after the purge
        assert TicketStore(conn).get(ticket["id"]) is not None
    db.dispose()


def test_number_blocks_of_past_days_are_forgotten_once_no_kiosk_can_hand_in_from_them(
        api: Api, make_token, clock: FixedClock, database_url: str) -> None:
    kiosk = make_token("kiosk")
    monday = lease(api, kiosk, size=5)  # Monday 30 November
    tuesday = lease(api, kiosk, size=5, business_day="2026-12-01")
    db = Database(database_url)
    try:
        clock.advance(days=1)  # Tuesday 09:00: Monday's block is kept a while yet
        assert forget_old(db, clock).number_blocks == 0
        late = hand_in(api, kiosk, monday, monday["first_number"], "2026-11-30T16:00:00+01:00")
        assert (late.status_code, late.json()["code"]) == (409, "business_day_over")  # not "no such block"

        clock.advance(days=2)  # Thursday 09:00: more than 48 hours after Monday
        assert forget_old(db, clock).number_blocks == 1
        with db.read() as conn:
            blocks = NumberBlockStore(conn)
            assert blocks.get(monday["block_id"]) is None
            assert blocks.get(tuesday["block_id"]) is not None
        clock.advance(days=1)
        assert forget_old(db, clock).number_blocks == 1
    finally:
        db.dispose()


def test_staff_sessions_are_forgotten_a_week_after_they_ended_or_expired(make_token, clock: FixedClock,
                                                                         database_url: str) -> None:
    from queue_ticketing.services.auth import Authenticator

    db = Database(database_url)
    try:
        authenticator = Authenticator(db, clock)
        signed_out, _ = authenticator.sign_in(make_token("host"), "events.hosts", "ijsselmonde")
        authenticator.sign_in(make_token("desk"), "desk.call", "ijsselmonde")  # left to expire at 21:00
        authenticator.sign_out(signed_out)
        assert forget_old(db, FixedClock(clock() + timedelta(days=7, hours=11))).staff_sessions == 1
        assert forget_old(db, FixedClock(clock() + timedelta(days=7, hours=13))).staff_sessions == 1
        assert forget_old(db, FixedClock(clock() + timedelta(days=30))).staff_sessions == 0
    finally:
        db.dispose()
