"""Migration 0002 (number blocks) upgrades an existing 0001 database and downgrades cleanly,
on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import alembic_config, current, upgrade


def _tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def _downgrade(db: Database, revision: str) -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def test_0002_adds_number_blocks_to_a_0001_database_and_downgrades_cleanly(database_url: str) -> None:
    db = Database(database_url)
    try:
        if current(db):  # the session's PostgreSQL database is already at head
            _downgrade(db, "base")
        upgrade(db, "0001")
        assert "number_blocks" not in _tables(db)
        upgrade(db, "0002")
        assert current(db) == "0002"
        assert "number_blocks" in _tables(db)
        indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("number_blocks")}
        assert "ix_number_blocks_device" in indexes
        _downgrade(db, "0001")
        assert current(db) == "0001"
        assert "number_blocks" not in _tables(db)
        assert "tickets" in _tables(db)
        upgrade(db)  # and on to the latest revision, as a server does at start
        assert "number_blocks" in _tables(db)
    finally:
        db.dispose()
