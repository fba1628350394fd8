"""Devices and their tokens; only a SHA-256 of each token is stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, insert, select, update

from .schema import devices


def token_hash(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough (no password stretching needed).
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    role: str
    location: str | None
    created_at: datetime
    revoked_at: datetime | None = None
    desk: str | None = None
    """The one desk a desk token is made for; None for any other token, and for a desk token whose
    desk is the one its holder takes on the desk page."""


def _device(row: Row) -> Device:
    return Device(row.id, row.name, row.role, row.location, row.created_at, row.revoked_at, row.desk)


class DeviceStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, device: Device, token: str) -> None:
        self.conn.execute(insert(devices).values(
            id=device.id, name=device.name, role=device.role, location=device.location,
            token_hash=token_hash(token), created_at=device.created_at, desk=device.desk,
        ))

    def by_token(self, token: str) -> Device | None:
        row = self.conn.execute(select(devices).where(devices.c.token_hash == token_hash(token))).first()
        return _device(row) if row else None

    def get(self, device_id: str) -> Device | None:
        row = self.conn.execute(select(devices).where(devices.c.id == device_id)).first()
        return _device(row) if row else None

    def named(self, id_or_name: str) -> list[Device]:
        """The device with this id, else every device with this name (names need not be unique)."""
        by_id = self.get(id_or_name)
        if by_id is not None:
            return [by_id]
        return [_device(r) for r in self.conn.execute(
            select(devices).where(devices.c.name == id_or_name).order_by(devices.c.created_at))]

    def all(self) -> list[Device]:
        return [_device(r) for r in self.conn.execute(select(devices).order_by(devices.c.created_at))]

    def revoke(self, device_id: str, now: datetime) -> bool:
        result = self.conn.execute(
            update(devices).where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return result.rowcount == 1
