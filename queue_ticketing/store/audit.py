"""The audit trail's records, appended with a batch's commit (store/write_batch.py); never updated."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select

from ..domain.audit import AuditRecord
from .schema import audit_events


def _record(row: Row[Any]) -> AuditRecord:
    return AuditRecord(row.seq, row.at, row.actor_kind, row.actor_id, row.actor_name, row.role, row.location,
                       row.action, row.ticket_id, row.ticket_number, row.appointment_id, row.case_id, row.target,
                       row.prev_hash, row.hash)


class AuditStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def head(self) -> tuple[int, str] | None:
        """The last record's seq and hash. Read inside the writing transaction, which holds the
        write lock (SQLite) or the group commit's advisory lock (PostgreSQL), so no other writer
        appends between this read and the commit."""
        row = self.conn.execute(select(audit_events.c.seq, audit_events.c.hash)
                                .order_by(audit_events.c.seq.desc()).limit(1)).first()
        return (row.seq, row.hash) if row else None

    def append(self, records: list[AuditRecord]) -> None:
        if records:
            self.conn.execute(insert(audit_events), [asdict(r) for r in records])

    def all(self, batch: int = 1000) -> Iterator[AuditRecord]:
        """Every record in order of seq, read in pages."""
        after = 0
        while True:
            rows = self.conn.execute(select(audit_events).where(audit_events.c.seq > after)
                                     .order_by(audit_events.c.seq).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield _record(row)
            after = rows[-1].seq

    def find(self, *, location: str | None, since: datetime | None = None, until: datetime | None = None,
             actor: str | None = None, action: str | None = None, ticket_number: str | None = None,
             ticket_id: str | None = None, limit: int = 1000) -> list[AuditRecord]:
        """Records matching every filter given, newest first, at most ``limit``. ``location`` None:
        every location."""
        query = select(audit_events)
        if location is not None:
            query = query.where(audit_events.c.location == location)
        if since is not None:
            query = query.where(audit_events.c.at >= since)
        if until is not None:
            query = query.where(audit_events.c.at < until)
        if actor:
            query = query.where((audit_events.c.actor_name == actor) | (audit_events.c.actor_id == actor))
        if action:
            query = query.where(audit_events.c.action == action)
        if ticket_number:
            query = query.where(audit_events.c.ticket_number == ticket_number.upper())
        if ticket_id:
            query = query.where(audit_events.c.ticket_id == ticket_id)
        return [_record(r) for r in self.conn.execute(query.order_by(audit_events.c.seq.desc()).limit(limit))]

    def of_ticket(self, ticket_id: str) -> list[AuditRecord]:
        """The records about one ticket, oldest first (its steps' actors)."""
        query = select(audit_events).where(audit_events.c.ticket_id == ticket_id).order_by(audit_events.c.seq)
        return [_record(r) for r in self.conn.execute(query)]

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(audit_events)).scalar_one())

    def forget_before(self, cutoff: datetime, at_once: int) -> int:
        """Delete at most ``at_once`` of the oldest records from before ``cutoff`` (the retention);
        the chain goes on from the oldest record kept."""
        oldest = select(audit_events.c.seq).where(audit_events.c.at < cutoff).order_by(audit_events.c.seq) \
            .limit(at_once)
        result = self.conn.execute(delete(audit_events).where(audit_events.c.seq.in_(oldest)))
        return result.rowcount
