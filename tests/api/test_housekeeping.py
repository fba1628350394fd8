"""Remembered answers, live events and the number blocks of past days are forgotten after their
retention; tickets never are."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from queue_ticketing.domain.clock import Clock, FixedClock
from queue_ticketing.services.group_commit import GroupCommit
from queue_ticketing.services.housekeeping import Forgotten, forget_old
from queue_ticketing.store.database import Database
from queue_ticketing.store.events import EventStore
from queue_ticketing.store.number_blocks import NumberBlockStore
from queue_ticketing.store.tickets import TicketStore
from tests.api.test_offline_tickets import hand_in, lease
from tests.conftest import Api


def forget(db: Database, clock: Clock) -> Forgotten:
    """One housekeeping run, through a group commit of its own (as a server's housekeeper does)."""
    return asyncio.run(forget_old(GroupCommit(db, clock), clock))


def test_old_idempotency_keys_and_events_are_forgotten_but_tickets_stay(api: Api, make_token, clock: FixedClock,
                                                                        database_url: str) -> None:
    kiosk = make_token("kiosk")
    ticket = api.issue(kiosk, "paspoort").json()
    db = Database(database_url)
    later = FixedClock(clock() + timedelta(days=8))
    forgotten = forget(db, later)
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
        assert forget(db, clock).number_blocks == 0
        late = hand_in(api, kiosk, monday, monday["first_number"], "2026-11-30T16:00:00+01:00")
        assert (late.status_code, late.json()["code"]) == (409, "business_day_over")  # not "no such block"

        clock.advance(days=2)  # Thursday 09:00: more than 48 hours after Monday
        assert forget(db, clock).number_blocks == 1
        with db.read() as conn:
            blocks = NumberBlockStore(conn)
            assert blocks.get(monday["block_id"]) is None
            assert blocks.get(tuesday["block_id"]) is not None
        clock.advance(days=1)
        assert forget(db, clock).number_blocks == 1
    finally:
        db.dispose()
