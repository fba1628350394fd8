"""The waiting count per service is kept with every status change, so it always equals a count of
the waiting tickets, on SQLite and PostgreSQL; migration 0005 counts the tickets already waiting."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import func, select

from queue_ticketing.domain import tickets as lifecycle
from queue_ticketing.domain.tickets import Channel, Step, Ticket, TicketKind, TicketStatus, TimelineEntry
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import alembic_config, current, upgrade
from queue_ticketing.store.schema import tickets, waiting_counters
from queue_ticketing.store.tickets import TicketStore
from queue_ticketing.store.unit_of_work import UnitOfWork
from queue_ticketing.store.write_batch import write_alone

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _ticket(number: int, service: str) -> Ticket:
    return Ticket(
        id=f"t{number}", location="ijsselmonde", service=service, number=f"P{number:03d}",
        business_day=date(2026, 12, 1), kind=TicketKind.WALK_IN, channel=Channel.KIOSK, language="nl",
        status=TicketStatus.WAITING, issued_at=NOW, queued_at=NOW, priority=False,
        timeline=(TimelineEntry(Step.ISSUED, NOW, None, service),),
    )


def _counted(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    """(what the store says waits, what a count of the tickets says)."""
    with db.read() as conn:
        kept = TicketStore(conn).waiting_counts("ijsselmonde")
        rows = conn.execute(select(tickets.c.service, func.count()).where(tickets.c.status == "waiting")
                            .group_by(tickets.c.service))
        return kept, {service: int(n) for service, n in rows}


def test_waiting_counts_follow_issue_call_requeue_transfer_and_finish(database_url: str) -> None:
    db = Database(database_url)
    try:
        upgrade(db)
        later = NOW + timedelta(minutes=1)
        write_alone(db, lambda: NOW, lambda uow: [uow.tickets.add(_ticket(i, service)) for i, service in
                                                  enumerate(["paspoort", "paspoort", "paspoort", "rijbewijs"])])

        def change(uow: UnitOfWork) -> None:
            first, second, third, fourth = (uow.tickets.get(f"t{i}") for i in range(4))
            assert first and second and third and fourth
            called = lifecycle.call(first, "balie-1", later)
            uow.tickets.save(first, called)
            uow.tickets.save(called, lifecycle.finish(called, later))
            back = lifecycle.call(second, "balie-2", later)
            uow.tickets.save(second, back)
            uow.tickets.save(back, lifecycle.requeue(back, later))
            uow.tickets.save(third, lifecycle.transfer(third, "rijbewijs", later))
            uow.tickets.save(fourth, lifecycle.mark_priority(fourth, later))

        write_alone(db, lambda: later, change)
        kept, real = _counted(db)
        assert kept == real == {"paspoort": 1, "rijbewijs": 2}
    finally:
        db.dispose()


def test_a_rolled_back_issue_leaves_the_count_alone(database_url: str) -> None:
    db = Database(database_url)
    try:
        upgrade(db)
        write_alone(db, lambda: NOW, lambda uow: uow.tickets.add(_ticket(1, "paspoort")))

        def issue_then_fail(uow: UnitOfWork) -> None:
            uow.tickets.add(_ticket(2, "paspoort"))
            raise LookupError("the use case fails after its insert")

        with pytest.raises(LookupError):
            write_alone(db, lambda: NOW, issue_then_fail)
        kept, real = _counted(db)
        assert kept == real == {"paspoort": 1}
    finally:
        db.dispose()


def test_migration_0005_counts_the_tickets_already_waiting(database_url: str) -> None:
    db = Database(database_url)
    try:
        if current(db):
            config = alembic_config(db)
            with db.engine.begin() as conn:
                config.attributes["connection"] = conn
                command.downgrade(config, "base")
        upgrade(db, "0004")
        rows = [{"id": f"t{i}", "location": "ijsselmonde", "service": service, "number": f"P{i:03d}",
                 "business_day": date(2026, 12, 1), "kind": "walk_in", "channel": "kiosk", "language": "nl",
                 "status": status, "priority": False, "issued_at": NOW, "queued_at": NOW}
                for i, (service, status) in enumerate([("paspoort", "waiting"), ("paspoort", "waiting"),
                                                        ("paspoort", "done"), ("rijbewijs", "waiting")])]
        with db.engine.begin() as conn:
            conn.execute(tickets.insert(), rows)
        upgrade(db)
        with db.read() as conn:
            counted = Counter({s: n for _, s, n in conn.execute(select(waiting_counters))})
        assert counted == {"paspoort": 2, "rijbewijs": 1}
    finally:
        db.dispose()
