"""The desks' recent service times, read for wait estimates: a visit of several services is done
once per service, each timed from its own last call (never from a later one), on both databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from queue_ticketing.domain import tickets as lifecycle
from queue_ticketing.domain.tickets import Channel, Step, Ticket, TicketKind, TicketStatus, TimelineEntry
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.tickets import TicketStore

NINE = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_each_service_of_a_visit_is_timed_from_its_own_call(database_url: str) -> None:
    db = Database(database_url)
    upgrade(db)
    try:
        ticket = Ticket(id="visit-1", location="ijsselmonde", service="paspoort", number="P001",
                        business_day=NINE.date(), kind=TicketKind.WALK_IN, channel=Channel.KIOSK, language="nl",
                        status=TicketStatus.WAITING, issued_at=NINE, queued_at=NINE,
                        timeline=(TimelineEntry(Step.ISSUED, NINE, None, "paspoort"),),
                        services=("paspoort", "verhuizing"))
        steps = [lambda t: lifecycle.call(t, "balie-1", NINE + timedelta(minutes=2)),
                 lambda t: lifecycle.finish(t, NINE + timedelta(minutes=12)),
                 lambda t: lifecycle.call(t, "balie-4", NINE + timedelta(minutes=20)),
                 lambda t: lifecycle.finish(t, NINE + timedelta(minutes=26))]
        with db.write_connection() as conn, conn.begin():
            store = TicketStore(conn)
            store.add(ticket)
            for step in steps:
                changed = step(ticket)
                store.save(ticket, changed)
                ticket = changed
        with db.read() as conn:
            store = TicketStore(conn)
            times = sorted((t.service, t.minutes) for t in store.service_times("ijsselmonde", NINE))
            stored = store.get("visit-1")
        assert times == [("paspoort", 10.0), ("verhuizing", 6.0)]
        assert stored is not None
        assert (stored.status, stored.services, stored.service_index) == (
            TicketStatus.DONE, ("paspoort", "verhuizing"), 1)
        assert replace(stored, timeline=()) == replace(ticket, timeline=())
    finally:
        db.dispose()
