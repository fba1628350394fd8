"""Staff sessions (a sign-in on a staff screen); only a SHA-256 of each session's secret is stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, insert, or_, select, update

from ..domain.identity import SessionEnd, StaffSession, Subject, SubjectKind
from .schema import staff_sessions


def _session(row: Row[Any]) -> StaffSession:
    return StaffSession(row.id, Subject(SubjectKind(row.subject_kind), row.subject_id), row.role, row.location,
                        row.created_at, row.last_seen_at, row.expires_at, row.ended_at, row.ended_why, row.desk)


class SessionStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, session: StaffSession) -> None:
        self.conn.execute(insert(staff_sessions).values(
            id=session.id, subject_kind=session.subject.kind.value, subject_id=session.subject.id,
            role=session.role, location=session.location, created_at=session.created_at,
            last_seen_at=session.last_seen_at, expires_at=session.expires_at, desk=session.desk,
        ))

    def get(self, session_id: str) -> StaffSession | None:
        row = self.conn.execute(select(staff_sessions).where(staff_sessions.c.id == session_id)).first()
        return _session(row) if row else None

    def touch(self, session_id: str, now: datetime) -> None:
        """Write down that the session was used at ``now`` (never moves its last use back)."""
        self.conn.execute(update(staff_sessions).where(
            staff_sessions.c.id == session_id, staff_sessions.c.ended_at.is_(None),
            staff_sessions.c.last_seen_at < now).values(last_seen_at=now))

    def take_desk(self, session_id: str, desk: str) -> bool:
        """The open session now sits at ``desk``; False when it is over (or unknown)."""
        result = self.conn.execute(update(staff_sessions).where(
            staff_sessions.c.id == session_id, staff_sessions.c.ended_at.is_(None)).values(desk=desk))
        return result.rowcount == 1

    def end(self, session_id: str, now: datetime, why: SessionEnd) -> bool:
        result = self.conn.execute(update(staff_sessions).where(
            staff_sessions.c.id == session_id, staff_sessions.c.ended_at.is_(None)
        ).values(ended_at=now, ended_why=why.value))
        return result.rowcount == 1

    def end_all_of(self, subject: Subject, now: datetime, why: SessionEnd) -> int:
        """End every open session of the subject (its token revoked; later: "sign out everywhere")."""
        result = self.conn.execute(update(staff_sessions).where(
            staff_sessions.c.subject_kind == subject.kind.value, staff_sessions.c.subject_id == subject.id,
            staff_sessions.c.ended_at.is_(None),
        ).values(ended_at=now, ended_why=why.value))
        return result.rowcount

    def open_counts(self, kind: SubjectKind, now: datetime, used_since: datetime) -> dict[str, int]:
        """Subject id → how many of its sessions are open: not ended, not past their expiry, and
        used since ``used_since`` (the idle limit)."""
        rows = self.conn.execute(
            select(staff_sessions.c.subject_id, func.count()).where(
                staff_sessions.c.subject_kind == kind.value, staff_sessions.c.ended_at.is_(None),
                staff_sessions.c.expires_at > now, staff_sessions.c.last_seen_at > used_since,
            ).group_by(staff_sessions.c.subject_id))
        return {subject_id: count for subject_id, count in rows}

    def forget_before(self, cutoff: datetime, at_once: int) -> int:
        """Delete at most ``at_once`` of the sessions that ended, or expired, before ``cutoff``."""
        over = select(staff_sessions.c.id).where(or_(
            staff_sessions.c.ended_at < cutoff,
            and_(staff_sessions.c.ended_at.is_(None), staff_sessions.c.expires_at < cutoff),
        )).limit(at_once)
        result = self.conn.execute(delete(staff_sessions).where(staff_sessions.c.id.in_(over)))
        return result.rowcount
