"""Migration 0003 (cases) upgrades a 0002 database, matches the tables of store/schema.py, and
downgrades cleanly, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import alembic_config, current, upgrade
from queue_ticketing.store.schema import metadata

CASE_TABLES = {"zaken", "zaak_statussen", "zaak_resultaten", "zaak_rollen", "zaak_counters", "zgw_clients",
               "zgw_autorisaties", "public_reactions", "case_lookup_attempts"}


def _downgrade(db: Database, revision: str) -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def test_0003_adds_the_case_tables_and_downgrades_cleanly(database_url: str) -> None:
    db = Database(database_url)
    try:
        if current(db) != "0002":
            upgrade(db, "0002") if current(db) is None else _downgrade(db, "0002")
        assert not CASE_TABLES & set(inspect(db.engine).get_table_names())
        upgrade(db, "0003")
        assert current(db) == "0003"
        assert set(inspect(db.engine).get_table_names()) >= CASE_TABLES
        assert "ix_ticket_steps_norms" in {ix["name"] for ix in inspect(db.engine).get_indexes("ticket_steps")}
        upgrade(db)  # later revisions add no tables; at head the tables match store/schema.py
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        _downgrade(db, "0002")
        assert not CASE_TABLES & set(inspect(db.engine).get_table_names())
        upgrade(db)
    finally:
        db.dispose()
