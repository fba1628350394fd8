"""One use case, one transaction: the stores share a connection, events get ids at commit and
are announced to the live streams only after the commit succeeded. In a ``WriteBatch`` (group
commit) the unit is a savepoint of the batch's transaction, and its events are stored and
announced with the batch."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, RootTransaction

from .appointments import AppointmentStore
from .assist import AssistStore
from .database import Database
from .desks import DeskStore
from .devices import DeviceStore
from .events import EventStore, StoredEvent
from .idempotency import IdempotencyStore
from .sessions import SessionStore
from .tickets import TicketStore

if TYPE_CHECKING:
    from .write_batch import WriteBatch

PUBLIC = "public"
HOSTS = "host"


class UnitOfWork:
    def __init__(self, db: Database, now: datetime, batch: WriteBatch | None = None) -> None:
        self.db = db
        self.now = now
        self._batch = batch
        self._pending: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
        self._committed = False
        self._stored: list[StoredEvent] = []

    def __enter__(self) -> UnitOfWork:
        if self._batch is None:
            self._cm = self.db.write_connection()
            self.conn: Connection = self._cm.__enter__()
            self._tx: RootTransaction = self.conn.begin()
        else:
            self.conn = self._batch.conn
            self._batch.begin_unit()
            self._open = True
        self.tickets = TicketStore(self.conn)
        self.events = EventStore(self.conn)
        self.appointments = AppointmentStore(self.conn)
        self.assist = AssistStore(self.conn)
        self.desks = DeskStore(self.conn)
        self.devices = DeviceStore(self.conn)
        self.idempotency = IdempotencyStore(self.conn)
        self.sessions = SessionStore(self.conn)
        return self

    def emit(self, location: str, type_: str, data: dict[str, Any], audience: str = PUBLIC) -> None:
        """Queue a live event; it is stored with the transaction and announced after it."""
        self._pending[location].append((type_, audience, data))

    def commit(self) -> None:
        if self._batch is not None:
            self._batch.commit_unit(self._pending, self.now)
            self._open = False
            self._committed = True
            return
        for location, items in sorted(self._pending.items()):
            self._stored.extend(self.events.append(location, items, self.now))
        self._tx.commit()
        self._committed = True

    def rollback(self) -> None:
        if self._batch is not None:
            if self._open:
                self._batch.rollback_unit()
                self._open = False
        elif self._tx.is_active:
            self._tx.rollback()
        self._pending.clear()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._batch is not None:
            if not self._committed:
                self.rollback()
            return
        try:
            if not self._committed:
                self.rollback()
        finally:
            self._cm.__exit__(exc_type, exc, tb)
        if self._committed and self._stored:
            for hook in self.db.after_commit:
                hook(self._stored)
