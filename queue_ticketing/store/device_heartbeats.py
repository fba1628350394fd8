"""The latest status each device reported: when it was last heard, its printer and battery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, func, select

from .schema import device_heartbeats
from .statements import per_dialect


def _upsert(insert_):
    values = ("location", "name", "role", "seen_at", "online", "printer", "battery_percent")
    statement = insert_(device_heartbeats).values(device_id=bindparam("device_id"),
                                                  **{c: bindparam(c) for c in values})
    # A report without a printer or battery (a robot has no printer) keeps what was known.
    kept = {c: func.coalesce(statement.excluded[c], device_heartbeats.c[c]) for c in ("printer", "battery_percent")}
    return statement.on_conflict_do_update(
        index_elements=["device_id"],
        set_={**{c: statement.excluded[c] for c in ("location", "name", "role", "seen_at", "online")}, **kept})


_record = per_dialect(_upsert)


@dataclass(frozen=True)
class Heartbeat:
    device_id: str
    location: str | None
    name: str
    role: str
    seen_at: datetime
    online: bool
    printer: str | None
    battery_percent: int | None


class DeviceHeartbeatStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def record(self, heartbeat: Heartbeat) -> None:
        self.conn.execute(_record(self.conn), {
            "device_id": heartbeat.device_id, "location": heartbeat.location, "name": heartbeat.name,
            "role": heartbeat.role, "seen_at": heartbeat.seen_at, "online": heartbeat.online,
            "printer": heartbeat.printer, "battery_percent": heartbeat.battery_percent})

    def all(self) -> list[Heartbeat]:
        rows = self.conn.execute(select(device_heartbeats).order_by(device_heartbeats.c.device_id))
        return [Heartbeat(r.device_id, r.location, r.name, r.role, r.seen_at, r.online, r.printer,
                          r.battery_percent) for r in rows]
