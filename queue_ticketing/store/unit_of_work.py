"""The stores of one connection, and the unit of work: one use case's writes.

Every store is reached through ``Stores`` (a read's) or its subclass ``UnitOfWork`` (a write's), never
built on a connection by hand. A unit of work only exists inside a ``WriteBatch`` (store/write_batch.py):
it is a savepoint of the batch's transaction, and the events it emits are stored with the batch's
commit and announced to the live streams after it."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Connection

from ..domain.audit import Actor, AuditEntry
from .accounts import AccountStore
from .appointments import AppointmentStore
from .assist import AssistStore
from .audit import AuditStore
from .case_lookups import LookupAttemptStore
from .cases import CaseStore
from .desks import DeskStore
from .device_heartbeats import DeviceHeartbeatStore
from .devices import DeviceStore
from .events import EventStore
from .idempotency import IdempotencyStore
from .number_blocks import NumberBlockStore
from .push import PushStore
from .sessions import SessionStore
from .tickets import TicketStore
from .zgw_clients import ZgwClientStore

SYSTEM = Actor("system", "service", "Gastvrij", None)
"""The actor of writes no person or device asked for (housekeeping)."""

OPERATOR = Actor("system", "command-line", "operator (command line)", None)
"""The actor of what an operator does with ``python -m queue_ticketing`` on the server."""

PUBLIC = "public"
HOSTS = "host"

PendingEvents = dict[str, list[tuple[str, str, dict[str, Any]]]]
"""Per location: (type, audience, data) of the events a unit of work emitted."""


class Stores:
    """Every store on one connection; each is made when first used (a ticket issue needs three)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @cached_property
    def tickets(self) -> TicketStore:
        return TicketStore(self.conn)

    @cached_property
    def events(self) -> EventStore:
        return EventStore(self.conn)

    @cached_property
    def appointments(self) -> AppointmentStore:
        return AppointmentStore(self.conn)

    @cached_property
    def assist(self) -> AssistStore:
        return AssistStore(self.conn)

    @cached_property
    def desks(self) -> DeskStore:
        return DeskStore(self.conn)

    @cached_property
    def push(self) -> PushStore:
        return PushStore(self.conn)

    @cached_property
    def devices(self) -> DeviceStore:
        return DeviceStore(self.conn)

    @cached_property
    def device_heartbeats(self) -> DeviceHeartbeatStore:
        return DeviceHeartbeatStore(self.conn)

    @cached_property
    def idempotency(self) -> IdempotencyStore:
        return IdempotencyStore(self.conn)

    @cached_property
    def number_blocks(self) -> NumberBlockStore:
        return NumberBlockStore(self.conn)

    @cached_property
    def sessions(self) -> SessionStore:
        return SessionStore(self.conn)

    @cached_property
    def accounts(self) -> AccountStore:
        return AccountStore(self.conn)

    @cached_property
    def audit(self) -> AuditStore:
        return AuditStore(self.conn)

    @cached_property
    def cases(self) -> CaseStore:
        return CaseStore(self.conn)

    @cached_property
    def lookup_attempts(self) -> LookupAttemptStore:
        return LookupAttemptStore(self.conn)

    @cached_property
    def zgw_clients(self) -> ZgwClientStore:
        return ZgwClientStore(self.conn)


class UnitOfWork(Stores):
    """One use case's writes at ``now``, in a savepoint of a ``WriteBatch``'s transaction (made by
    ``WriteBatch.unit``): kept with its events when the use case returns, rolled back alone when
    it raises."""

    def __init__(self, conn: Connection, now: datetime, actor: Actor = SYSTEM) -> None:
        super().__init__(conn)
        self.now = now
        self.actor = actor
        self.pending: PendingEvents = defaultdict(list)
        self.recorded: list[AuditEntry] = []

    def record(self, action: str, location: str | None, **about: str | None) -> None:
        """Record ``action`` by this unit's actor in the audit trail: it is chained and stored with
        the batch's commit, or dropped with the unit when it fails. ``about``: ticket_id,
        ticket_number, appointment_id, case_id, target (never a visitor's personal data)."""
        self.recorded.append(AuditEntry(action, location, **about))

    def emit(self, location: str, type_: str, data: dict[str, Any], audience: str = PUBLIC) -> None:
        """Queue a live event; it is stored with the batch's commit and announced after it."""
        self.pending[location].append((type_, audience, data))
