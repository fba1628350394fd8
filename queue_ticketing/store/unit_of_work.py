"""One use case, one transaction: the stores share a connection, events get ids at commit and
are announced to the live streams only after the commit succeeded."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, RootTransaction

from .appointments import AppointmentStore
from .assist import AssistStore
from .database import Database
from .desks import DeskStore
from .devices import DeviceStore
from .events import EventStore, StoredEvent
from .idempotency import IdempotencyStore
from .tickets import TicketStore

PUBLIC = "public"
HOSTS = "host"


class UnitOfWork:
    def __init__(self, db: Database, now: datetime) -> None:
        self.db = db
        self.now = now
        self._pending: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
        self._committed = False
        self._stored: list[StoredEvent] = []

    def __enter__(self) -> UnitOfWork:
        self._cm = self.db.write_connection()
        self.conn: Connection = self._cm.__enter__()
        self._tx: RootTransaction = self.conn.begin()
        self.tickets = TicketStore(self.conn)
        self.events = EventStore(self.conn)
        self.appointments = AppointmentStore(self.conn)
        self.assist = AssistStore(self.conn)
        self.desks = DeskStore(self.conn)
        self.devices = DeviceStore(self.conn)
        self.idempotency = IdempotencyStore(self.conn)
        return self

    def emit(self, location: str, type_: str, data: dict[str, Any], audience: str = PUBLIC) -> None:
        """Queue a live event; it is stored with the transaction and announced after it."""
        self._pending[location].append((type_, audience, data))

    def commit(self) -> None:
        for location, items in sorted(self._pending.items()):
            self._stored.extend(self.events.append(location, items, self.now))
        self._tx.commit()
        self._committed = True

    def rollback(self) -> None:
        if self._tx.is_active:
            self._tx.rollback()
        self._pending.clear()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if not self._committed:
                self.rollback()
        finally:
            self._cm.__exit__(exc_type, exc, tb)
        if self._committed and self._stored:
            for hook in self.db.after_commit:
                hook(self._stored)
