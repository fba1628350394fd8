"""The location's event log: every live event gets a per-location, increasing id at commit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, tuple_

from .schema import event_counters, events
from .statements import Prepared

NOTIFY_CHANNEL = "gastvrij_events"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_reserve_ids = Prepared(upsert=lambda insert_: insert_(event_counters).values(
    location=bindparam("location"), last_id=bindparam("count"),
).on_conflict_do_update(
    index_elements=["location"], set_={"last_id": event_counters.c.last_id + bindparam("count")},
).returning(event_counters.c.last_id))
_insert = Prepared(insert(events))
_notify = Prepared(select(func.pg_notify(NOTIFY_CHANNEL, bindparam("location"))))
_since = (select(events).where(and_(events.c.location == bindparam("location"), events.c.id > bindparam("after")))
          .order_by(events.c.id).limit(bindparam("limit")))
_last_id = select(event_counters.c.last_id).where(event_counters.c.location == bindparam("location"))
_of_types_since = (select(events).where(and_(events.c.location == bindparam("location"),
                                             events.c.type.in_(bindparam("types", expanding=True)),
                                             events.c.id > bindparam("after"),
                                             events.c.created_at >= bindparam("since")))
                   .order_by(events.c.id))


@dataclass(frozen=True, eq=False)
class StoredEvent:
    location: str
    id: int
    type: str
    audience: str
    """``public`` (a waiting room may see it) or ``host``."""
    data: str
    """JSON text, sent to clients as it is."""
    created_at: datetime

    @cached_property
    def frame(self) -> str:
        """The event as a Server-Sent Events frame, made once however many streams send it."""
        return f"id: {self.id}\nevent: {self.type}\ndata: {self.data}\n\n"


class EventStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def append(self, location: str, items: list[tuple[str, str, dict[str, object]]],
               now: datetime) -> list[StoredEvent]:
        """Append (type, audience, data) events with the next ids; returns them as stored. Take
        this lock last in a transaction: it serialises writers per location only for the insert
        and the commit."""
        reserved = _reserve_ids.one(self.conn, {"location": location, "count": len(items)})
        assert reserved is not None
        last = int(reserved[0])
        first = last - len(items) + 1
        stored = [StoredEvent(location, first + i, type_, audience,
                              json.dumps(data, separators=(",", ":"), ensure_ascii=False), now)
                  for i, (type_, audience, data) in enumerate(items)]
        _insert.run_many(self.conn, [{"location": e.location, "id": e.id, "type": e.type, "audience": e.audience,
                                     "data": e.data, "created_at": e.created_at} for e in stored])
        if self.conn.dialect.name == "postgresql":
            # Delivered only on commit, in commit order, to every node listening.
            _notify.one(self.conn, {"location": location})
        return stored

    def since(self, location: str, after_id: int, limit: int = 1000) -> list[StoredEvent]:
        rows = self.conn.execute(_since, {"location": location, "after": after_id, "limit": limit})
        return [StoredEvent(r.location, r.id, r.type, r.audience, r.data, r.created_at) for r in rows]

    def of_types(self, location: str, types: Sequence[str], *, after_id: int = 0,
                 since: datetime = EPOCH) -> list[StoredEvent]:
        """The location's events of these types after event id ``after_id`` and made at or after
        ``since``, oldest first."""
        rows = self.conn.execute(_of_types_since, {"location": location, "types": list(types), "after": after_id,
                                                   "since": since})
        return [StoredEvent(r.location, r.id, r.type, r.audience, r.data, r.created_at) for r in rows]

    def last_id(self, location: str) -> int:
        value = self.conn.execute(_last_id, {"location": location}).scalar()
        return int(value or 0)

    def forget_before(self, before: datetime, limit: int) -> int:
        """Retention: delete at most ``limit`` events made before ``before``; returns how many.
        Events serve live screens and resuming streams; the tickets' timelines keep the history.
        The counters stay, so ids keep increasing. ``device.command`` events stay: a host's
        pause/resume command (a few a day) is a robot's wanted state."""
        oldest = (select(events.c.location, events.c.id)
                  .where(events.c.created_at < before, events.c.type != "device.command").limit(limit))
        key = tuple_(events.c.location, events.c.id)
        return int(self.conn.execute(delete(events).where(key.in_(oldest))).rowcount)
