"""Which desks are open, and when each last called (for double-click protection)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, select

from .schema import desk_states
from .statements import per_dialect

_states = select(desk_states).where(desk_states.c.location == bindparam("location"))
_VALUES = ("is_open", "changed_at", "last_call_at", "last_call_ticket")
_set = per_dialect(lambda insert_: insert_(desk_states).values(
    location=bindparam("location"), desk=bindparam("desk"), **{c: bindparam(c) for c in _VALUES},
).on_conflict_do_update(index_elements=["location", "desk"], set_={c: bindparam(c) for c in _VALUES}))


@dataclass(frozen=True)
class DeskState:
    desk: str
    is_open: bool
    changed_at: datetime
    last_call_at: datetime | None = None
    last_call_ticket: str | None = None


class DeskStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def states(self, location: str) -> dict[str, DeskState]:
        rows = self.conn.execute(_states, {"location": location})
        return {r.desk: DeskState(r.desk, r.is_open, r.changed_at, r.last_call_at, r.last_call_ticket)
                for r in rows}

    def get(self, location: str, desk: str) -> DeskState | None:
        return self.states(location).get(desk)

    def set(self, location: str, state: DeskState) -> None:
        self.conn.execute(_set(self.conn), {
            "location": location, "desk": state.desk, "is_open": state.is_open, "changed_at": state.changed_at,
            "last_call_at": state.last_call_at, "last_call_ticket": state.last_call_ticket,
        })
