"""Migration 0004 (a ticket's case reference) upgrades a 0003 database with its tickets, matches
store/schema.py, and downgrades cleanly, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import alembic_config, current, upgrade
from queue_ticketing.store.schema import metadata


def _downgrade(db: Database, revision: str) -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _ticket_columns(db: Database) -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("tickets")}


def test_0004_adds_the_case_reference_to_existing_tickets_and_downgrades_cleanly(database_url: str) -> None:
    db = Database(database_url)
    try:
        if current(db) is None:
            upgrade(db, "0003")
        elif current(db) != "0003":
            _downgrade(db, "0003")
        assert "case_reference" not in _ticket_columns(db)
        issued = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO tickets (id, location, service, number, business_day, kind, channel, language, status, "
                "priority, issued_at, queued_at) VALUES ('t1', 'ijsselmonde', 'paspoort', 'P001', :day, 'walk_in', "
                "'kiosk', 'nl', 'waiting', false, :at, :at)"), {"day": date(2026, 11, 30), "at": issued})

        upgrade(db)  # 0004 and whatever follows it
        assert current(db) == ScriptDirectory.from_config(alembic_config(db)).get_current_head()
        assert "case_reference" in _ticket_columns(db)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT number, case_reference FROM tickets")).all() == [("P001", None)]
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []

        _downgrade(db, "0003")
        assert "case_reference" not in _ticket_columns(db)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT number FROM tickets")).scalars().all() == ["P001"]
        indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("tickets")}
        assert "ix_tickets_queue" in indexes
        upgrade(db)
    finally:
        db.dispose()
