"""Migration 0014 (several services in one visit) upgrades a 0013 database with its tickets (each
gets its one service as its visit), matches store/schema.py, and downgrades cleanly, on SQLite and
PostgreSQL. A ticket the release before writes afterwards (no services) still reads as one service."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import alembic_config, current, upgrade
from queue_ticketing.store.schema import metadata
from queue_ticketing.store.tickets import TicketStore

ISSUED = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _downgrade(db: Database, revision: str) -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _ticket_columns(db: Database) -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("tickets")}


def _insert(db: Database, ticket_id: str, number: str, service: str) -> None:
    """A ticket as the release before 0014 writes it."""
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO tickets (id, location, service, number, business_day, kind, channel, language, status, "
            "priority, issued_at, queued_at) VALUES (:id, 'ijsselmonde', :service, :number, :day, 'walk_in', "
            "'kiosk', 'nl', 'waiting', false, :at, :at)"),
            {"id": ticket_id, "service": service, "number": number, "day": date(2026, 11, 30), "at": ISSUED})


def test_0014_gives_every_ticket_its_one_service_as_its_visit_and_downgrades_cleanly(database_url: str) -> None:
    db = Database(database_url)
    try:
        if current(db) is None:
            upgrade(db, "0013")
        elif current(db) != "0013":
            _downgrade(db, "0013")
        assert "services" not in _ticket_columns(db)
        _insert(db, "t1", "P001", "paspoort")

        upgrade(db, "0014")
        assert {"services", "service_index"} <= _ticket_columns(db)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT number, services, service_index FROM tickets")).all() == [
                ("P001", "paspoort", 0)]
            later = {("devices", "desk"), ("staff_sessions", "desk")}  # migration 0015's
            differences = [d for d in compare_metadata(MigrationContext.configure(conn), metadata)
                           if not (d[0] == "add_column" and (d[2], d[3].name) in later)]
            assert differences == []
        _insert(db, "t2", "R001", "rijbewijs")  # the release before, still running during the upgrade
        with db.engine.connect() as conn:
            store = TicketStore(conn)
            old, new = store.get("t1"), store.get("t2")
        assert old is not None and new is not None
        assert (old.services, old.service_index) == (("paspoort",), 0)
        assert (new.services, new.service_index, new.next_services) == (("rijbewijs",), 0, ())

        _downgrade(db, "0013")
        assert not {"services", "service_index"} & _ticket_columns(db)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT number FROM tickets ORDER BY number")).scalars().all() == [
                "P001", "R001"]
        upgrade(db)
    finally:
        db.dispose()
