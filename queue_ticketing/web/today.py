"""What the hosts' dashboard shows of today before its live stream takes over: the number of
waiting visitors through the day and each device's last report, read back from the location's
event log (``queue.changed`` carries the waiting counts, ``device.status`` a device's report, and a
robot's latest ``device.command`` whether a host paused it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from location_config import Location

from ..services.context import ServiceContext

MAX_POINTS = 600
"""Enough for a small chart; a busy day's changes are thinned to the last one per minute."""


@dataclass(frozen=True)
class Today:
    now: datetime
    opens: datetime
    closes: datetime
    waiting: list[tuple[datetime, int]]
    """(moment, visitors waiting then), oldest first."""
    devices: list[dict[str, Any]]
    """Each device's last ``device.status`` report of today, with its time as ``at`` (a robot also
    with ``paused``, from the hosts' latest command to it)."""


def day_bounds(location: Location, now: datetime) -> tuple[datetime, datetime, datetime]:
    """Midnight, opening and closing time of ``now``'s business day (8:00–18:00 on a closed day)."""
    zone = ZoneInfo(location.timezone)
    day = now.astimezone(zone).date()
    hours = location.opening_hours.on(day)
    opens = min((r.opens for r in hours), default=time(8))
    closes = max((r.closes for r in hours), default=time(18))
    return (datetime.combine(day, time(0), zone), datetime.combine(day, opens, zone),
            datetime.combine(day, closes, zone))


def today(ctx: ServiceContext, location: Location) -> Today:
    now = ctx.now()
    midnight, opens, closes = day_bounds(location, now)
    waiting: list[tuple[datetime, int]] = []
    devices: dict[str, dict[str, Any]] = {}
    with ctx.read() as stores:
        for event in stores.events.of_types(location.id, ["queue.changed", "device.status"], since=midnight):
            payload = json.loads(event.data)
            if event.type == "queue.changed":
                waiting.append((event.created_at, sum(payload.get("waiting", {}).values())))
            else:
                devices[payload["device"]] = {**payload, "at": event.created_at.isoformat()}
        for event in stores.events.of_types(location.id, ["device.command"]):
            payload = json.loads(event.data)
            if payload["device"] in devices:
                devices[payload["device"]]["paused"] = payload["command"] == "pause"
    return Today(now, opens, closes, _thinned(waiting), sorted(devices.values(), key=lambda d: d["name"]))


def _thinned(points: list[tuple[datetime, int]]) -> list[tuple[datetime, int]]:
    if len(points) <= MAX_POINTS:
        return points
    per_minute: dict[datetime, tuple[datetime, int]] = {}
    for at, count in points:
        per_minute[at.replace(second=0, microsecond=0)] = (at, count)
    kept = list(per_minute.values())
    step = max(1, len(kept) // MAX_POINTS + 1)
    return kept[::step] + ([kept[-1]] if (len(kept) - 1) % step else [])


def as_json(today_: Today) -> dict[str, Any]:
    return {"now": today_.now.isoformat(), "opens": today_.opens.isoformat(), "closes": today_.closes.isoformat(),
            "waiting": [[at.isoformat(), count] for at, count in today_.waiting], "devices": today_.devices}

