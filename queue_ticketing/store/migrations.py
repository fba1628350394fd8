"""Create or upgrade the schema with Alembic (on start, and ``python -m queue_ticketing db upgrade``).

Migrations expand, then contract a release later (docs/deploy.md, "Upgrades"): a schema a newer
release has upgraded still serves this release's queries. So a process of this release that starts
on a database whose revision it does not know (upgraded by a newer release during a rolling upgrade)
runs on it as it is, instead of refusing to start."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from .database import Database

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(db: Database, script_location: Path = MIGRATIONS) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def upgrade(db: Database, revision: str = "head", script_location: Path = MIGRATIONS) -> None:
    """Bring the schema to ``revision`` of the migrations in ``script_location``; nothing when the
    database is at a revision those migrations do not know (a newer release's)."""
    config = alembic_config(db, script_location)
    found = current(db)
    script = _script(script_location)
    if found is not None and not _known(script, found):
        log.warning("database schema is newer than this release; running on it as it is",
                    extra={"fields": {"database_revision": found}})
        return
    if revision == "head" and found is not None and found == script.get_current_head():
        return  # nothing to do; alembic would first read every migration again to find that out (~20 ms)
    # On SQLite a writer's transaction (BEGIN IMMEDIATE): a running service may be writing.
    with db.engine.connect() as plain, plain.execution_options(gastvrij_write=True).begin() as transaction:
        config.attributes["connection"] = transaction.connection
        command.upgrade(config, revision)


@functools.cache
def _script(script_location: Path) -> ScriptDirectory:
    """The migrations in ``script_location``, read once per process (they do not change under it)."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return ScriptDirectory.from_config(config)


def current(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False
