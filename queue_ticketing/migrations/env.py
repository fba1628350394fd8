"""Alembic environment: runs on the connection that queue_ticketing.store.migrations hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

from queue_ticketing.store.schema import metadata

config = context.config
MIGRATION_LOCK = 4_242_001  # pg_advisory_lock key: two nodes starting at once migrate one after the other


def run_migrations(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        run_migrations(conn)
