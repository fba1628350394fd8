"""The one way to write: units of work in one write transaction (a lone write is a batch of one)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType
from typing import TypeVar

from sqlalchemy import Connection, RootTransaction

from ..domain.audit import Actor, AuditEntry, chain
from .audit import AuditStore
from .database import Database
from .events import EventStore, StoredEvent
from .unit_of_work import SYSTEM, PendingEvents, UnitOfWork

T = TypeVar("T")

GROUP_COMMIT_LOCK = 0x6761737476726A  # "gastvrj": PostgreSQL's advisory lock of the batches


class WriteBatch:
    """One write transaction that units of work run in one after another, each in a savepoint of
    its own: one that fails is rolled back alone. The events of the units that were kept are
    stored once, with the next ids of their location in the units' order, and the transaction
    is committed once. Then ``announce`` hands them to the live streams (the caller does, once
    it has answered the requests: a desk's answer need not wait for 200 screens).

    In a server process the group commit (services/group_commit.py) is the only one to open a
    batch; a process without a server writes with ``write_alone``."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        self.now = clock()
        self._events: PendingEvents = defaultdict(list)
        self._recorded: list[tuple[datetime, Actor, list[AuditEntry]]] = []
        self.actor: Actor = SYSTEM
        """Who the next units of work act for (the group commit sets it per request)."""
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

    @contextmanager
    def unit(self) -> Iterator[UnitOfWork]:
        """A unit of work in a savepoint of its own, at the clock's time now: kept with its events
        when the block ends, rolled back alone when it raises."""
        self._driver.execute("SAVEPOINT unit_of_work")  # type: ignore[union-attr]
        uow = UnitOfWork(self.conn, self.clock(), self.actor)
        try:
            yield uow
        except BaseException:
            if self.alive:
                self._driver.execute("ROLLBACK TO unit_of_work")  # type: ignore[union-attr]
                self._driver.execute("RELEASE unit_of_work")  # type: ignore[union-attr]
            raise
        # The savepoint stays (a RELEASE would cost a round trip on PostgreSQL); the next unit's
        # shadows it and the commit ends them all.
        for location, items in uow.pending.items():
            self._events[location].extend(items)
        if uow.recorded:
            self._recorded.append((uow.now, uow.actor, uow.recorded))
        self.now = max(self.now, uow.now)

    def run(self, work: Callable[[UnitOfWork], T]) -> T:
        """``work`` in a unit of its own; its result."""
        with self.unit() as uow:
            return work(uow)

    def commit(self) -> None:
        events = EventStore(self.conn)
        for location, items in sorted(self._events.items()):
            self.stored.extend(events.append(location, items, self.now))
        if self._recorded:
            # The chain's head is read here, under the batch's write lock (SQLite's, or on
            # PostgreSQL the advisory lock taken at the start): no other writer appends meanwhile.
            trail = AuditStore(self.conn)
            head = trail.head()
            for at, actor, entries in self._recorded:
                records = chain(head, at, actor, entries)
                trail.append(records)
                head = (records[-1].seq, records[-1].hash)
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


def write_alone(db: Database, clock: Callable[[], datetime], work: Callable[[UnitOfWork], T],
                actor: Actor = SYSTEM) -> T:
    """``work`` as a batch of one, written at once in the calling thread, for a process that runs
    no server (the command line, setting up a demo or a test), as ``actor``. A server writes through
    its group commit only, so its event loop never waits for the writer (see ``Database.write_lock``)."""
    with WriteBatch(db, clock) as batch:
        batch.actor = actor
        result = batch.run(work)
        batch.commit()
    batch.announce()
    return result
