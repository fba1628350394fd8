"""Engines for SQLite (default, one file, WAL) and PostgreSQL (many nodes, one database)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from .checkpointer import Checkpointer

DEFAULT_SQLITE_PATH = Path("var/gastvrij.sqlite")
WRITER_THREADS = 12
"""Threads that run database work concurrently on PostgreSQL; more only queue on row locks and
fight for the GIL."""


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _private(database: Path) -> None:
    """The SQLite file readable and writable by this user only (0600): it holds ZGW client secrets
    and e-mail addresses. SQLite gives its -wal and -shm files the database file's permissions;
    files an older version left open to others are closed too."""
    if not database.exists():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))  # an empty file is an empty database
    for path in (database, database.with_name(f"{database.name}-wal"), database.with_name(f"{database.name}-shm")):
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(0o600)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how a transaction starts (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A log emptied by a checkpoint is cut back to this size (bytes) instead of staying at its peak.
        cursor.execute("PRAGMA journal_size_limit=67108864")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers take the write lock at BEGIN, so two writers never both read then collide.
        writing = connection.get_execution_options().get("gastvrij_write", False)
        # Straight to the driver: this runs once per transaction on the hot path.
        driver = connection.connection.driver_connection
        assert driver is not None  # a connection in a transaction has its driver's connection
        driver.execute("BEGIN IMMEDIATE" if writing else "BEGIN")


class Database:
    """One database, its engine, and the hooks run after a write commits."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        self._checkpointer: Checkpointer | None = None
        if self.is_sqlite:
            database = make_url(self.url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
                _private(Path(database))
                self._checkpointer = Checkpointer(database)
            self.engine = create_engine(self.url, echo=echo, pool_size=8, max_overflow=8)
            _configure_sqlite(self.engine)
        else:
            # As many connections as request threads (see WRITER_THREADS): no thread waits for a
            # connection, and none is opened and closed per request.
            self.engine = create_engine(self.url, echo=echo, pool_size=WRITER_THREADS, max_overflow=4,
                                        pool_pre_ping=True)
        self.write_lock = threading.Lock() if self.is_sqlite else None
        """SQLite's one writer connection is lent under this lock. The rule: in a server process
        only its group commit (services/group_commit.py) writes, one batch at a time on the event
        loop, so the lock is never contended there and the loop never waits on it; nothing else
        in a server (no route, no housekeeping, no thread) opens a write. A process without a
        server (command line, set-up) writes alone (``write_alone``) and takes it in its thread."""
        self.after_commit: list[Callable[[list[Any]], None]] = []
        """Called with the events a write stored, after it committed."""
        self._writer: Connection | None = None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (concurrent with writers)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A connection for one write transaction. On SQLite it is the one writer connection,
        kept open and lent out under the write lock (a pool checkout per write costs more than
        the statements of a typical write)."""
        if self.write_lock is None:
            with self.engine.connect() as conn:
                yield conn
            return
        with self.write_lock:
            writer = self._writer
            if writer is None or writer.closed or writer.invalidated:
                writer = self._writer = self.engine.connect().execution_options(gastvrij_write=True)
                if self._checkpointer is not None:
                    # Its commits never checkpoint: the checkpointer's thread does (see there).
                    driver = writer.connection.driver_connection
                    assert driver is not None
                    driver.execute("PRAGMA wal_autocheckpoint=0")
            yield writer
            if self._checkpointer is not None:
                self._checkpointer.committed()

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        if self.write_lock is not None:
            with self.write_lock:
                if self._writer is not None:
                    self._writer.close()
                    self._writer = None
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self.engine.dispose()


def sqlite_url(path: Path | str = DEFAULT_SQLITE_PATH) -> str:
    return f"sqlite:///{Path(path)}"
