"""Migration 0006 (staff sessions) upgrades a 0005 database with its devices, matches
store/schema.py, and downgrades cleanly, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import alembic_config, current, upgrade
from queue_ticketing.store.schema import metadata


def _downgrade(db: Database, revision: str) -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def test_0006_adds_staff_sessions_beside_the_existing_devices_and_downgrades_cleanly(database_url: str) -> None:
    db = Database(database_url)
    try:
        if current(db) is None:
            upgrade(db, "0005")
        elif current(db) != "0005":
            _downgrade(db, "0005")
        assert "staff_sessions" not in inspect(db.engine).get_table_names()
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO devices (id, name, role, location, token_hash, created_at) "
                              "VALUES ('d1', 'gastheer', 'host', 'ijsselmonde', 'x', :at)"),
                         {"at": datetime(2026, 11, 30, 8, 0, tzinfo=UTC)})

        upgrade(db)
        assert "staff_sessions" in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM devices")).scalars().all() == ["gastheer"]
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []

        _downgrade(db, "0005")
        assert "staff_sessions" not in inspect(db.engine).get_table_names()
        upgrade(db)
    finally:
        db.dispose()
