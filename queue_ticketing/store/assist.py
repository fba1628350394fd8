"""Assist requests: a call for a human host."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Row, and_, insert, select, update

from ..domain.assist import AssistRequest
from .schema import assist_requests


def _request(row: Row) -> AssistRequest:
    return AssistRequest(
        id=row.id, location=row.location, source=row.source, reason=row.reason, status=row.status,
        created_at=row.created_at, place=row.place, note=row.note, device_id=row.device_id,
        resolved_at=row.resolved_at,
    )


class AssistStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, request: AssistRequest) -> None:
        self.conn.execute(insert(assist_requests).values(
            id=request.id, location=request.location, source=request.source, reason=request.reason,
            status=request.status, created_at=request.created_at, place=request.place, note=request.note,
            device_id=request.device_id,
        ))

    def get(self, request_id: str) -> AssistRequest | None:
        row = self.conn.execute(select(assist_requests).where(assist_requests.c.id == request_id)).first()
        return _request(row) if row else None

    def open(self, location: str) -> list[AssistRequest]:
        rows = self.conn.execute(
            select(assist_requests)
            .where(and_(assist_requests.c.location == location, assist_requests.c.status == "open"))
            .order_by(assist_requests.c.created_at)
        )
        return [_request(r) for r in rows]

    def resolve(self, request_id: str, by_device: str | None, now: datetime) -> bool:
        result = self.conn.execute(
            update(assist_requests)
            .where(and_(assist_requests.c.id == request_id, assist_requests.c.status == "open"))
            .values(status="resolved", resolved_at=now, resolved_by=by_device)
        )
        return result.rowcount == 1
