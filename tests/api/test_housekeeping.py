"""Remembered answers and live events are forgotten after their retention; tickets never are."""

from __future__ import annotations

from datetime import timedelta

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.housekeeping import forget_old
from queue_ticketing.store.database import Database
from queue_ticketing.store.events import EventStore
from queue_ticketing.store.tickets import TicketStore
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
