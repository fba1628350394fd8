"""The kiosk's durable outbox: every state change is written here, with its Idempotency-Key,
before it is sent, and stays until the server has answered it (DESIGN.md, "Offline kiosks").

One SQLite file in WAL mode with ``synchronous=FULL``: a change is on disk when ``add`` returns,
and every operation is one ``BEGIN IMMEDIATE`` transaction, so a kill -9 (or a power cut) leaves
each entry either wholly written or not at all. The number blocks leased for offline tickets live
in the same file, so taking a number and queueing its ticket are one transaction: a number is
never given twice, and never taken without its ticket being queued.

Entry states: ``pending`` (to be sent), ``done`` (the server's answer kept), ``rejected`` (the
server refused it; its problem kept), ``abandoned`` (never to be sent: the caller was told it failed,
or an offline ticket replaced it). Settled entries are kept a week, then forgotten.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .models import NumberBlock, Outcome

PENDING, DONE, REJECTED, ABANDONED = "pending", "done", "rejected", "abandoned"
LEASE_BLOCK = "lease_block"
"""The action whose answer is a number block: settling it stores the block."""
OFFLINE_TICKET = "offline_ticket"
"""The hand-in of a ticket issued offline from a leased number (queued with the number taken)."""
PUBLIC_REACTION = "public_reaction"
PRIVATE_ACTIONS = (PUBLIC_REACTION,)
"""Actions whose body may hold personal data (a complaint's text, an e-mail address): the body is
kept only until the server has answered; the answer (a case number) is kept like any other."""
_FORGET_PRIVATE_BODY = f"body = CASE WHEN action IN ({', '.join('?' * len(PRIVATE_ACTIONS))}) THEN NULL ELSE body END"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    action TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    body TEXT,
    topic TEXT,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    status INTEGER,
    answer TEXT,
    settled_at TEXT
);
CREATE INDEX IF NOT EXISTS ix_entries_state ON entries (state, seq);
CREATE INDEX IF NOT EXISTS ix_entries_topic ON entries (topic, state);
CREATE TABLE IF NOT EXISTS blocks (
    block_id TEXT PRIMARY KEY,
    location TEXT NOT NULL,
    service TEXT NOT NULL,
    letter TEXT NOT NULL,
    business_day TEXT NOT NULL,
    first INTEGER NOT NULL,
    last INTEGER NOT NULL,
    next INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_blocks_day ON blocks (location, service, business_day, first);
"""
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Request:
    """A state change as it goes over the wire (the body exactly as it will be sent, every time)."""

    action: str
    method: str
    path: str
    body: dict[str, Any] | None = None

    def encoded(self) -> str | None:
        if self.body is None:
            return None
        return json.dumps(self.body, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Entry:
    seq: int
    key: str
    action: str
    method: str
    path: str
    body: bytes | None
    created_at: datetime
    state: str = PENDING


@dataclass(frozen=True)
class OfflineIssue:
    """A number taken from a block, and the outbox entry that hands its ticket in."""

    entry: Entry
    block: NumberBlock
    sequence: int


class OutOfNumbers(Exception):
    """No number left for this service today: ``reason`` is ``none_leased`` or ``exhausted``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Outbox:
    """Thread-safe (one connection, one lock); ``path=None`` keeps it in memory (not durable)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else ":memory:"
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self._lock = threading.RLock()
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        with self._transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"The outbox {self.path} was written by a newer client (schema {version}).")
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # ------------------------------------------------------------------------------------ entries

    def add(self, key: str, request: Request, now: datetime, *, topic: str | None = None,
            replace_pending_topic: bool = False) -> Entry:
        """Write a pending entry (durably) and return it. With ``replace_pending_topic`` the pending
        entries of the same topic are dropped first: only the latest device status is worth sending."""
        with self._transaction() as db:
            if replace_pending_topic and topic is not None:
                db.execute("DELETE FROM entries WHERE topic = ? AND state = ?", (topic, PENDING))
            return self._insert(db, key, request, now, topic)

    @staticmethod
    def _insert(db: sqlite3.Connection, key: str, request: Request, now: datetime, topic: str | None) -> Entry:
        body = request.encoded()
        cursor = db.execute(
            "INSERT INTO entries (key, action, method, path, body, topic, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, request.action, request.method, request.path, body, topic, _stamp(now)))
        assert cursor.lastrowid is not None
        return Entry(cursor.lastrowid, key, request.action, request.method, request.path,
                     body.encode() if body is not None else None, now)

    def next_pending(self, after_seq: int = 0, skip: Collection[str] = ()) -> Entry | None:
        """The oldest pending entry after ``after_seq`` whose key is not in ``skip``."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, key, action, method, path, body, created_at, state FROM entries "
                "WHERE state = ? AND seq > ? ORDER BY seq LIMIT ?", (PENDING, after_seq, len(skip) + 1)).fetchall()
        for seq, key, action, method, path, body, created_at, state in rows:
            if key not in skip:
                return Entry(seq, key, action, method, path, body.encode() if body is not None else None,
                             datetime.fromisoformat(created_at), state)
        return None

    def settle(self, entry: Entry, status: int, answer: Any, now: datetime) -> None:
        """The server carried it out: keep its answer; a leased block becomes usable at once."""
        with self._transaction() as db:
            db.execute(f"UPDATE entries SET state = ?, status = ?, answer = ?, settled_at = ?, {_FORGET_PRIVATE_BODY} "
                       "WHERE key = ?", (DONE, status, json.dumps(answer, separators=(",", ":")), _stamp(now),
                                         *PRIVATE_ACTIONS, entry.key))
            if entry.action == LEASE_BLOCK and answer is not None:
                self._add_block(db, NumberBlock.from_json(answer))

    def reject(self, key: str, status: int, code: str, detail: str, now: datetime) -> None:
        answer = json.dumps({"code": code, "detail": detail}, ensure_ascii=False)
        with self._transaction() as db:
            db.execute(f"UPDATE entries SET state = ?, status = ?, answer = ?, settled_at = ?, {_FORGET_PRIVATE_BODY} "
                       "WHERE key = ?", (REJECTED, status, answer, _stamp(now), *PRIVATE_ACTIONS, key))

    def abandon(self, key: str, now: datetime, *, may_have_arrived: bool) -> None:
        """Never send this entry: forget it when it certainly never reached the server; keep it
        (``abandoned``) for the record when it may have."""
        with self._transaction() as db:
            self._abandon(db, key, now, may_have_arrived)

    @staticmethod
    def _abandon(db: sqlite3.Connection, key: str, now: datetime, may_have_arrived: bool) -> None:
        if may_have_arrived:
            db.execute("UPDATE entries SET state = ?, settled_at = ? WHERE key = ? AND state = ?",
                       (ABANDONED, _stamp(now), key, PENDING))
        else:
            db.execute("DELETE FROM entries WHERE key = ? AND state = ?", (key, PENDING))

    def find(self, key: str) -> tuple[Entry, Outcome] | None:
        """The entry with this key, or (for an offline ticket issued under a caller's action key)
        the entry whose topic is ``action_topic(key)``, with what became of it."""
        with self._lock:
            row = self._conn.execute(
                "SELECT seq, key, action, method, path, body, created_at, state FROM entries WHERE topic = ? "
                "ORDER BY seq DESC LIMIT 1", (action_topic(key),)).fetchone()
            if row is None:
                row = self._conn.execute(
                    "SELECT seq, key, action, method, path, body, created_at, state FROM entries WHERE key = ?",
                    (key,)).fetchone()
        if row is None:
            return None
        seq, entry_key, action, method, path, body, created_at, _state = row
        outcome = self.outcome(entry_key)
        if outcome is None:
            return None  # forgotten just now
        return (Entry(seq, entry_key, action, method, path, body.encode() if body is not None else None,
                      datetime.fromisoformat(created_at), outcome.state), outcome)

    def revive(self, key: str) -> None:
        """Make an abandoned entry pending again: its caller is asking for it once more."""
        with self._transaction() as db:
            db.execute("UPDATE entries SET state = ?, settled_at = NULL WHERE key = ? AND state = ?",
                       (PENDING, key, ABANDONED))

    def pending_count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM entries WHERE state = ?", (PENDING,)).fetchone()[0])

    def pending_with_topic(self, topic: str) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM entries WHERE topic = ? AND state = ?",
                                          (topic, PENDING)).fetchone()[0])

    def outcome(self, key: str) -> Outcome | None:
        with self._lock:
            row = self._conn.execute("SELECT action, state, status, answer FROM entries WHERE key = ?",
                                     (key,)).fetchone()
        if row is None:
            return None
        action, state, status, answer = row
        data = json.loads(answer) if answer else None
        if state == REJECTED:
            problem = data or {}
            return Outcome(key, action, state, status, None, problem.get("code"), problem.get("detail"))
        return Outcome(key, action, state, status, data)

    def counts(self) -> dict[str, int]:
        """Entries per state (for the operator's status page and the logs)."""
        with self._lock:
            return dict(self._conn.execute("SELECT state, count(*) FROM entries GROUP BY state").fetchall())

    def pending_by_action(self) -> dict[str, int]:
        with self._lock:
            return dict(self._conn.execute("SELECT action, count(*) FROM entries WHERE state = ? GROUP BY action",
                                           (PENDING,)).fetchall())

    def stock(self, day: date) -> dict[tuple[str, str], int]:
        """Unused leased numbers per (location, service) on ``day``."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT location, service, coalesce(sum(max(last - next + 1, 0)), 0) FROM blocks "
                "WHERE business_day = ? GROUP BY location, service", (day.isoformat(),)).fetchall()
        return {(location, service): int(left) for location, service, left in rows}

    def forget_settled(self, before: datetime) -> int:
        with self._transaction() as db:
            return db.execute("DELETE FROM entries WHERE state != ? AND settled_at < ?",
                              (PENDING, _stamp(before))).rowcount

    # ------------------------------------------------------------------------------ number blocks

    @staticmethod
    def _add_block(db: sqlite3.Connection, block: NumberBlock) -> None:
        db.execute("INSERT OR IGNORE INTO blocks (block_id, location, service, letter, business_day, first, last, "
                   "next) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (block.block_id, block.location, block.service, block.letter, block.business_day.isoformat(),
                    block.first, block.last, block.first))

    def numbers_left(self, location: str, service: str, day: date) -> int:
        with self._lock:
            row = self._conn.execute(
                "SELECT coalesce(sum(last - next + 1), 0) FROM blocks WHERE location = ? AND service = ? "
                "AND business_day = ? AND next <= last", (location, service, day.isoformat())).fetchone()
        return int(row[0])

    def forget_blocks_before(self, day: date) -> int:
        with self._transaction() as db:
            return db.execute("DELETE FROM blocks WHERE business_day < ?", (day.isoformat(),)).rowcount

    def issue_offline(self, location: str, service: str, day: date, key: str, now: datetime,
                      request_for: Callable[[NumberBlock, int], Request], *,
                      replacing: str | None = None, replaced_may_have_arrived: bool = False,
                      topic: str | None = None) -> OfflineIssue:
        """Take the next number of this service's blocks for ``day`` and queue the entry that hands
        its ticket in, in one transaction. ``replacing``: the key of an online issue request that
        failed; it is abandoned in the same transaction (whether or not a number was left).
        Raises ``OutOfNumbers`` when no number is left."""
        with self._transaction() as db:
            if replacing is not None:
                self._abandon(db, replacing, now, replaced_may_have_arrived)
            row = db.execute(
                "SELECT block_id, letter, first, last, next FROM blocks WHERE location = ? AND service = ? "
                "AND business_day = ? AND next <= last ORDER BY first LIMIT 1",
                (location, service, day.isoformat())).fetchone()
            if row is None:
                leased = db.execute("SELECT count(*) FROM blocks WHERE location = ? AND service = ? "
                                    "AND business_day = ?", (location, service, day.isoformat())).fetchone()[0]
                failure = OutOfNumbers("exhausted" if leased else "none_leased")
            else:
                block_id, letter, first, last, sequence = row
                block = NumberBlock(block_id, location, service, letter, day, first, last)
                db.execute("UPDATE blocks SET next = next + 1 WHERE block_id = ?", (block_id,))
                entry = self._insert(db, key, request_for(block, sequence), now, topic)
                return OfflineIssue(entry, block, sequence)
        raise failure  # after the commit: the replaced request stays abandoned


def action_topic(key: str) -> str:
    """The topic of an offline ticket issued under a caller's action key (its own key differs: the
    failed online request may keep the caller's key)."""
    return f"action:{key}"


def _stamp(moment: datetime) -> str:
    """Times are kept in UTC, so that they compare as text."""
    return moment.astimezone(UTC).isoformat()
