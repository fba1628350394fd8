"""Migration 0015 (a desk's credentials name their desk) upgrades a 0014 database with its devices
and staff sessions (none sits at a desk), matches store/schema.py, and downgrades cleanly, on SQLite
and PostgreSQL. A device and a session the release before writes afterwards read as at no desk."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from queue_ticketing.store.database import Database
from queue_ticketing.store.devices import DeviceStore
from queue_ticketing.store.migrations import alembic_config, current, upgrade
from queue_ticketing.store.schema import metadata
from queue_ticketing.store.sessions import SessionStore

AT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _downgrade(db: Database, revision: str) -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _desk_columns(db: Database) -> set[str]:
    found = inspect(db.engine)
    return {f"{table}.{c['name']}" for table in ("devices", "staff_sessions") for c in found.get_columns(table)
            if c["name"] == "desk"}


def _insert(db: Database, n: int) -> None:
    """A desk device and its session as the release before 0015 writes them."""
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO devices (id, name, role, location, token_hash, created_at) "
            "VALUES (:id, :name, 'desk', 'ijsselmonde', :hash, :at)"),
            {"id": f"d{n}", "name": f"balie-pc-{n}", "hash": f"{n}" * 64, "at": AT})
        conn.execute(text(
            "INSERT INTO staff_sessions (id, subject_kind, subject_id, role, location, created_at, last_seen_at, "
            "expires_at) VALUES (:id, 'device', :device, 'desk', 'ijsselmonde', :at, :at, :at)"),
            {"id": f"s{n}", "device": f"d{n}", "at": AT})


def test_0015_gives_devices_and_sessions_a_desk_column_reading_old_rows_as_at_no_desk(database_url: str) -> None:
    db = Database(database_url)
    try:
        if current(db) is None:
            upgrade(db, "0014")
        elif current(db) != "0014":
            _downgrade(db, "0014")
        assert _desk_columns(db) == set()
        _insert(db, 1)

        upgrade(db, "0015")
        assert _desk_columns(db) == {"devices.desk", "staff_sessions.desk"}
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        _insert(db, 2)  # the release before, still running during the upgrade
        with db.engine.connect() as conn:
            devices, sessions = DeviceStore(conn), SessionStore(conn)
            found = [(devices.get(f"d{n}"), sessions.get(f"s{n}")) for n in (1, 2)]
        assert all(device is not None and device.desk is None for device, _ in found)
        assert all(session is not None and session.desk is None for _, session in found)

        _downgrade(db, "0014")
        assert _desk_columns(db) == set()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM devices ORDER BY name")).scalars().all() == [
                "balie-pc-1", "balie-pc-2"]
        upgrade(db)
    finally:
        db.dispose()
