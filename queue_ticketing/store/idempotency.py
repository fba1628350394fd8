"""Answers remembered per (device, Idempotency-Key): the same request again gets the same answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, delete, insert, select, tuple_

from .schema import idempotency_keys
from .statements import Prepared

_get = select(idempotency_keys.c.request_hash, idempotency_keys.c.status_code, idempotency_keys.c.body).where(
    and_(idempotency_keys.c.scope == bindparam("scope"), idempotency_keys.c.key == bindparam("key")))
_remember = Prepared(insert(idempotency_keys))


@dataclass(frozen=True)
class RememberedAnswer:
    request_hash: str
    status_code: int
    body: str


class IdempotencyStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, scope: str, key: str) -> RememberedAnswer | None:
        row = self.conn.execute(_get, {"scope": scope, "key": key}).first()
        return RememberedAnswer(*row) if row else None

    def remember(self, scope: str, key: str, answer: RememberedAnswer, now: datetime) -> None:
        _remember.run(self.conn, {
            "scope": scope, "key": key, "request_hash": answer.request_hash, "status_code": answer.status_code,
            "body": answer.body, "created_at": now,
        })

    def forget_before(self, before: datetime, limit: int) -> int:
        """Delete at most ``limit`` answers remembered before ``before``; returns how many."""
        oldest = (select(idempotency_keys.c.scope, idempotency_keys.c.key)
                  .where(idempotency_keys.c.created_at < before).limit(limit))
        key = tuple_(idempotency_keys.c.scope, idempotency_keys.c.key)
        return int(self.conn.execute(delete(idempotency_keys).where(key.in_(oldest))).rowcount)
