"""An assist request: a call for a human host, from a robot, a kiosk, a desk or a host."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AssistRequest:
    id: str
    location: str
    source: str
    reason: str
    status: str
    created_at: datetime
    place: str | None = None
    note: str | None = None
    device_id: str | None = None
    resolved_at: datetime | None = None
