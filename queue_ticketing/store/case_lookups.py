"""Attempts at the kiosk's case look-up, per subject (a case number, a device), for the rate limit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, text

from .schema import case_lookup_attempts

_insert = insert(case_lookup_attempts).returning(case_lookup_attempts.c.id)
_count = select(func.count()).select_from(case_lookup_attempts).where(and_(
    case_lookup_attempts.c.subject == bindparam("subject"), case_lookup_attempts.c.at > bindparam("since")))
_forget = delete(case_lookup_attempts).where(case_lookup_attempts.c.id.in_(bindparam("ids", expanding=True)))
_expire = delete(case_lookup_attempts).where(case_lookup_attempts.c.at <= bindparam("before"))
# Two look-ups of one subject at once wait for each other (PostgreSQL; SQLite has one writer anyway).
_lock = text("SELECT pg_advisory_xact_lock(hashtext(:subject))")


class LookupAttemptStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock(self, subjects: Sequence[str]) -> None:
        if self.conn.dialect.name == "postgresql":
            for subject in sorted(subjects):
                self.conn.execute(_lock, {"subject": subject})

    def count_since(self, subject: str, since: datetime) -> int:
        return int(self.conn.execute(_count, {"subject": subject, "since": since}).scalar_one())

    def add(self, subjects: Sequence[str], at: datetime) -> list[int]:
        return [int(self.conn.execute(_insert, {"subject": s, "at": at}).scalar_one()) for s in subjects]

    def forget(self, ids: Sequence[int]) -> None:
        self.conn.execute(_forget, {"ids": list(ids)})

    def expire(self, before: datetime) -> None:
        self.conn.execute(_expire, {"before": before})
