"""Several units of work in one write transaction (group commit on SQLite's one writer)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, RootTransaction

from .database import Database
from .events import EventStore, StoredEvent

GROUP_COMMIT_LOCK = 0x6761737476726A  # "gastvrj": PostgreSQL's advisory lock of the batches
PendingEvents = dict[str, list[tuple[str, str, dict[str, Any]]]]
"""Per location: (type, audience, data) of the events a unit of work emitted."""


class WriteBatch:
    """One write transaction that units of work run in one after another, each in a savepoint of
    its own: one that fails is rolled back alone. The events of the units that committed are
    stored once, with the next ids of their location in the units' order, and the transaction
    is committed once. Then ``announce`` hands them to the live streams (the caller does, once
    it has answered the requests: a desk's answer need not wait for 200 screens)."""

    def __init__(self, db: Database, now: datetime) -> None:
        self.db = db
        self.now = now
        self._events: PendingEvents = defaultdict(list)
        self.stored: list[StoredEvent] = []
        self._committed = False

    def __enter__(self) -> WriteBatch:
        self._cm = self.db.write_connection()
        self.conn: Connection = self._cm.__enter__()
        self._tx: RootTransaction = self.conn.begin()
        # Savepoints straight on the driver: two of them per unit of work, on the hot path.
        self._driver = self.conn.connection.driver_connection
        if not self.db.is_sqlite:
            # One batch at a time across server processes: their units would otherwise take the
            # same counter rows in different orders and deadlock.
            self._driver.execute("SELECT pg_advisory_xact_lock(%s)", (GROUP_COMMIT_LOCK,))  # type: ignore[union-attr]
        return self

    @property
    def alive(self) -> bool:
        """False once the transaction is lost (SQLite ends it itself on a full disk or an I/O
        error; a PostgreSQL connection may break): what the units before did is gone too, and the
        batch must fail whole."""
        if self.db.is_sqlite:
            return bool(self._driver.in_transaction)  # type: ignore[union-attr]
        from psycopg.pq import TransactionStatus

        status = self._driver.info.transaction_status  # type: ignore[union-attr]
        return status in (TransactionStatus.INTRANS, TransactionStatus.INERROR)

    def begin_unit(self) -> None:
        self._driver.execute("SAVEPOINT unit_of_work")  # type: ignore[union-attr]

    def commit_unit(self, events: PendingEvents, now: datetime) -> None:
        # The savepoint stays (a RELEASE would cost a round trip on PostgreSQL); the next unit's
        # shadows it and the commit ends them all.
        for location, items in events.items():
            self._events[location].extend(items)
        self.now = max(self.now, now)

    def rollback_unit(self) -> None:
        if self.alive:
            self._driver.execute("ROLLBACK TO unit_of_work")  # type: ignore[union-attr]
            self._driver.execute("RELEASE unit_of_work")  # type: ignore[union-attr]

    def commit(self) -> None:
        events = EventStore(self.conn)
        for location, items in sorted(self._events.items()):
            self.stored.extend(events.append(location, items, self.now))
        self._tx.commit()
        self._committed = True

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if not self._committed and self._tx.is_active:
                self._tx.rollback()
        finally:
            self._cm.__exit__(exc_type, exc, tb)

    def announce(self) -> None:
        """Hand the committed events to the after-commit hooks (the live streams)."""
        if self._committed and self.stored:
            for hook in self.db.after_commit:
                hook(self.stored)
