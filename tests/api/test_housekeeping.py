"""Remembered answers, live events and the number blocks of past days are forgotten after their
retention; tickets never are."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import Clock, FixedClock
from queue_ticketing.services.group_commit import GroupCommit
from queue_ticketing.services.housekeeping import Forgotten, forget_old
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.events import EventStore
from queue_ticketing.store.idempotency import RememberedAnswer
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.number_blocks import NumberBlockStore
from queue_ticketing.store.tickets import TicketStore
from queue_ticketing.store.unit_of_work import UnitOfWork
from queue_ticketing.store.write_batch import write_alone
from tests.api.test_offline_tickets import hand_in, lease
from tests.conftest import Api
from tests.support.live_server import ThreadServer, wait_until

DEADLINE = 5.0
"""Seconds an issue may take at most while housekeeping runs; it takes milliseconds, but the machine
may be busy. A writer held by housekeeping would hold the issues until the run ends."""


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


def test_ticket_issues_go_through_while_a_housekeeping_run_is_slow(settings: Settings, clock: FixedClock,
                                                                  make_token, database_url: str) -> None:
    """Housekeeping writes in rounds through the group commit like any request and holds nothing
    between rounds: here a run with a week's backlog stalls between two rounds for as long as the
    test wants, and tickets are issued (and the queue read) meanwhile, each well within a deadline."""
    db = Database(database_url)
    upgrade(db)
    week_ago = FixedClock(clock() - timedelta(days=8))

    def backlog(uow: UnitOfWork) -> None:
        for i in range(600):
            uow.emit("ijsselmonde", "queue.changed", {"waiting": {}})
            uow.idempotency.remember("kiosk-old", f"key-{i}", RememberedAnswer("x", 201, "{}"), uow.now)

    write_alone(db, week_ago, backlog)
    app = create_app(settings, clock=clock)
    housekeeper = app.state.housekeeper
    housekeeper.at_once = 100
    stalled, go_on = threading.Event(), threading.Event()

    async def slow(_: Forgotten) -> None:  # between two rounds, with more than 400 rows still to forget
        stalled.set()
        await asyncio.to_thread(go_on.wait, 30)

    housekeeper.between_rounds = slow
    live = ThreadServer(app).start()
    try:
        wait_until(stalled.is_set, what="housekeeping to stall between two rounds")
        api, kiosk = Api(live.url), make_token("kiosk")
        for _ in range(30):
            started = time.monotonic()
            issued = api.issue(kiosk, "paspoort")
            assert issued.status_code == 201
            assert time.monotonic() - started < DEADLINE
            assert api.get("/api/v1/locations/ijsselmonde/queue").status_code == 200
        assert not go_on.is_set() and _old_events(db, clock) > 0  # the run was still under way throughout
        go_on.set()
        wait_until(lambda: _old_events(db, clock) == 0, what="housekeeping to finish its run")
        with db.read() as conn:
            assert TicketStore(conn).waiting_counts("ijsselmonde") == {"paspoort": 30}
            assert len(EventStore(conn).since("ijsselmonde", 0)) == 60  # the tickets' events stay
    finally:
        go_on.set()
        live.stop()
        db.dispose()


def _old_events(db: Database, clock: FixedClock) -> int:
    with db.read() as conn:
        return sum(1 for e in EventStore(conn).since("ijsselmonde", 0, limit=5000)
                   if e.created_at < clock() - timedelta(days=7))


def test_staff_sessions_are_forgotten_a_week_after_they_ended_or_expired(make_token, clock: FixedClock,
                                                                         database_url: str) -> None:
    from queue_ticketing.services.auth import Authenticator

    db = Database(database_url)

    async def sign_in_and_out() -> None:
        authenticator = Authenticator(db, GroupCommit(db, clock), clock)
        signed_out, _ = await authenticator.sign_in(make_token("host"), "events.hosts", "ijsselmonde")
        await authenticator.sign_in(make_token("desk"), "desk.call", "ijsselmonde")  # left to expire at 21:00
        await authenticator.sign_out(signed_out)

    try:
        asyncio.run(sign_in_and_out())
        assert forget(db, FixedClock(clock() + timedelta(days=7, hours=11))).staff_sessions == 1
        assert forget(db, FixedClock(clock() + timedelta(days=7, hours=13))).staff_sessions == 1
        assert forget(db, FixedClock(clock() + timedelta(days=30))).staff_sessions == 0
    finally:
        db.dispose()
