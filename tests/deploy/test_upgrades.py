"""Upgrades without downtime: every migration only expands the schema (new tables, new columns that
may stay empty), so the processes of the release before keep working while and after a newer
release upgrades the database; and a process of this release survives the next release's schema,
while it runs and when it is restarted on it."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
import requests
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine

from queue_ticketing.store.database import Database, normalise_url
from queue_ticketing.store.migrations import MIGRATIONS, alembic_config, current, upgrade
from tests.support.live_server import wait_until

from .conftest import make_token
from .load import TicketLoad

NEXT_RELEASE = '''"""the next release: expand only

Revision ID: next
Revises: {head}
"""

import sqlalchemy as sa
from alembic import op

revision = "next"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("visit_reason", sa.String(length=64), nullable=True))
    op.add_column("desk_states", sa.Column("floor_note", sa.String(length=64), nullable=False, server_default=""))
    op.create_table("visit_feedback", sa.Column("id", sa.String(length=32), primary_key=True),
                    sa.Column("score", sa.Integer(), nullable=False))
'''


def revisions_oldest_first() -> list[str]:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def schema_of(engine: Engine) -> dict[str, dict[str, dict[str, object]]]:
    inspector = inspect(engine)
    return {table: {c["name"]: {"nullable": c["nullable"], "default": c.get("default")}
                    for c in inspector.get_columns(table)}
            for table in inspector.get_table_names() if table != "alembic_version"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gastvrij.sqlite'}"
    return str(request.getfixturevalue("new_postgres_database")())


def test_every_migration_only_expands_the_schema_the_release_before_runs_on(empty_database: str) -> None:
    db = Database(empty_database)
    config = alembic_config(db)
    engine = create_engine(normalise_url(empty_database))
    before: dict[str, dict[str, dict[str, object]]] = {}
    problems: list[str] = []
    try:
        for revision in revisions_oldest_first():
            command.upgrade(config, revision)
            after = schema_of(engine)
            for table, columns in before.items():
                if table not in after:
                    problems.append(f"{revision} drops table {table}")
                    continue
                problems += [f"{revision} drops or renames {table}.{c}" for c in columns if c not in after[table]]
                problems += [f"{revision} adds {table}.{c} NOT NULL without a server default: the release "
                             "before inserts rows without it"
                             for c, shape in after[table].items()
                             if c not in columns and not shape["nullable"] and shape["default"] is None]
                problems += [f"{revision} makes {table}.{c} NOT NULL" for c, shape in columns.items()
                             if c in after[table] and shape["nullable"] and not after[table][c]["nullable"]]
            before = after
    finally:
        engine.dispose()
        db.dispose()
    assert not problems, ("Migrations must expand only; contract (drop, rename, tighten) a release after the "
                          f"code stopped using it (docs/deploy.md, 'Upgrades'): {problems}")


def test_a_running_process_keeps_serving_through_the_next_releases_migration_and_restarts_on_it(
        empty_database: str, start_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, desk = make_token(empty_database, "kiosk"), make_token(empty_database, "desk", desk="balie-1")
    db = Database(empty_database)
    this_release = current(db)
    server = start_server(empty_database)

    # The next release's migrations: this release's and one more.
    next_release = tmp_path / "next-release-migrations"
    shutil.copytree(MIGRATIONS, next_release)
    (next_release / "versions" / "next_expand.py").write_text(NEXT_RELEASE.replace("{head}", str(this_release)))

    with TicketLoad(server.url, kiosk, clients=2) as load:
        wait_until(lambda: load.count() >= 30, 30, what="tickets before the upgrade")
        upgrade(db, script_location=next_release)  # what `db upgrade` of the next release does
        upgraded_at = load.count()
        wait_until(lambda: load.count() >= upgraded_at + 30, 30, what="tickets after the upgrade")
    assert current(db) == "next"
    assert load.report.failed_attempts == [] and load.report.given_up == 0

    server.stop()
    server.start()  # a restart (watchdog, crash, reboot) before the new release is installed
    headers = {"Authorization": f"Bearer {desk}", "Idempotency-Key": str(uuid.uuid4())}
    called = requests.post(f"{server.url}/api/v1/locations/ijsselmonde/desks/balie-1/call-next", headers=headers,
                           timeout=10)
    assert called.status_code == 200, called.text
    issued = requests.post(f"{server.url}/api/v1/locations/ijsselmonde/tickets", json={"service": "paspoort"},
                           headers={"Authorization": f"Bearer {kiosk}", "Idempotency-Key": str(uuid.uuid4())},
                           timeout=10)
    assert issued.status_code == 201, issued.text
    assert "newer than this release" in server.log_path.read_text()
    assert current(db) == "next"
    db.dispose()
