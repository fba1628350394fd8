"""Recent service times (for wait estimates) measure each service of a visit from its own call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial

from queue_ticketing.domain import tickets as lifecycle
from queue_ticketing.domain.tickets import Channel, Step, Ticket, TicketKind, TicketStatus, TimelineEntry
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.tickets import TicketStore
from queue_ticketing.store.unit_of_work import UnitOfWork
from queue_ticketing.store.write_batch import write_alone

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def minutes(m: float) -> datetime:
    return NOW + timedelta(minutes=m)


def _apply(step: Callable[[Ticket, datetime], Ticket], at: datetime, uow: UnitOfWork) -> None:
    before = uow.tickets.get("t1")
    assert before is not None
    uow.tickets.save(before, step(before, at))


def test_each_service_of_a_visit_counts_from_its_own_call_to_its_end(database_url: str) -> None:
    db = Database(database_url)
    visit = Ticket(id="t1", location="ijsselmonde", service="paspoort", number="P001", business_day=date(2026, 12, 1),
                   kind=TicketKind.WALK_IN, channel=Channel.KIOSK, language="nl", status=TicketStatus.WAITING,
                   issued_at=NOW, queued_at=NOW, timeline=(TimelineEntry(Step.ISSUED, NOW, None, "paspoort"),),
                   services=("paspoort", "verhuizing"))
    try:
        upgrade(db)
        write_alone(db, lambda: NOW, lambda uow: uow.tickets.add(visit))
        steps: list[tuple[float, Callable[[Ticket, datetime], Ticket]]] = [
            (2, lambda t, at: lifecycle.call(t, "balie-1", at)),
            (12, lifecycle.finish),  # passport: 10 minutes; then the move waits
            (20, lambda t, at: lifecycle.call(t, "balie-4", at)),
            (26, lifecycle.finish)]  # move: 6 minutes
        for at, step in steps:
            write_alone(db, partial(minutes, at), partial(_apply, step, minutes(at)))
        with db.read() as conn:
            times = TicketStore(conn).service_times("ijsselmonde", NOW)
        assert sorted((t.service, t.minutes) for t in times) == [("paspoort", 10.0), ("verhuizing", 6.0)]
    finally:
        db.dispose()
