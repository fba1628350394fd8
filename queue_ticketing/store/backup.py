"""Backups of the whole database while the service runs, and their restore into an empty database.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page in one step under a
read transaction, so the copy is the database as one commit left it; writers wait a moment, readers
not at all. PostgreSQL: ``pg_dump --format=custom`` reads everything in one repeatable-read snapshot
(writers are not blocked) and ``pg_restore`` loads it in one transaction. Either way a backup holds
the day's number counters with the tickets they numbered, so numbering goes on after a restore
without a duplicate.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from .database import normalise_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size_bytes: int
    kind: str
    """``sqlite`` or ``postgresql``."""


def backup(database_url: str, target: Path) -> BackupReport:
    """Write a consistent copy of the database to ``target`` (mode 0600; written beside it first and
    renamed, so ``target`` is never a half-written file)."""
    url = make_url(normalise_url(database_url))
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_path(url), partial)
            kind = "sqlite"
        else:
            _pg_dump(url, partial)
            kind = "postgresql"
        partial.chmod(0o600)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(target, target.stat().st_size, kind)


def restore(database_url: str, source: Path) -> str:
    """Load the backup ``source`` into the database at ``database_url``, which must be empty (a new
    SQLite file, or a newly created PostgreSQL database). Returns the kind of backup restored."""
    url = make_url(normalise_url(database_url))
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    sqlite_target = url.get_backend_name() == "sqlite"
    if head.startswith(SQLITE_MAGIC) != sqlite_target or (not sqlite_target and not head.startswith(PG_DUMP_MAGIC)):
        made_by = "SQLite" if head.startswith(SQLITE_MAGIC) else "pg_dump" if head.startswith(PG_DUMP_MAGIC) \
            else "neither SQLite nor pg_dump"
        raise BackupError(f"{source} is a {made_by} backup; it cannot be restored into "
                          f"{'SQLite' if sqlite_target else 'PostgreSQL'}. Restore a backup of the same kind.")
    _require_empty(url)
    if sqlite_target:
        _sqlite_restore(source, _sqlite_path(url))
        return "sqlite"
    _pg_restore(url, source)
    return "postgresql"


# ------------------------------------------------------------------------------------------- SQLite

def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database has nothing to back up or restore into.")
    return Path(url.database)


def _sqlite_backup(database: Path, target: Path) -> None:
    if not database.is_file():
        raise BackupError(f"No SQLite database at {database}.")
    source = sqlite3.connect(database)
    copy = sqlite3.connect(target)
    try:
        source.execute("PRAGMA busy_timeout=10000")
        source.backup(copy)  # all pages in one step: one consistent snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        copy.close()
        source.close()


def _sqlite_restore(source: Path, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    backup_copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(database)
    try:
        backup_copy.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        backup_copy.close()


# --------------------------------------------------------------------------------------- PostgreSQL

def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore, with the password in the environment (never in
    the process list)."""
    args = ["--dbname", str(url.database)]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed; on Debian: apt-get install postgresql-client")
    return path


def _major(version_text: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if found is None:
        raise BackupError(f"Cannot read a version from {version_text!r}.")
    return int(found.group(1))


def _check_client_version(url: URL, tool: str) -> None:
    """pg_dump refuses a server newer than itself: say so before starting, with the fix."""
    client = _major(subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout)
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            server = int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    finally:
        engine.dispose()
    if client < server:
        raise BackupError(f"{Path(tool).name} is version {client} but the server is PostgreSQL {server}; install "
                          f"the client of version {server} or newer (apt-get install postgresql-client-{server}).")


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-1000:]}")


def _pg_dump(url: URL, target: Path) -> None:
    tool = _tool("pg_dump")
    _check_client_version(url, tool)
    args, env = _libpq(url)
    # --no-owner/--no-privileges: the copy restores under whichever role runs the service there.
    _run([tool, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args], env)


def _pg_restore(url: URL, source: Path) -> None:
    tool = _tool("pg_restore")
    args, env = _libpq(url)
    _run([tool, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args, str(source)],
         env)


def _require_empty(url: URL) -> None:
    if url.get_backend_name() == "sqlite":
        path = _sqlite_path(url)
        if not path.exists() or path.stat().st_size == 0:
            return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(f"The database at {url.render_as_string(hide_password=True)} is not empty "
                          f"({len(tables)} tables). Restore into a new, empty database and point the service "
                          "at it (see docs/deploy.md, 'Restore').")
