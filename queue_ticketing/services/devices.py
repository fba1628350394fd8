"""Devices, their tokens and roles: who may do what (DESIGN.md, "Auth")."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from ..domain.errors import DomainError
from ..store.database import Database
from ..store.device_heartbeats import DeviceHeartbeatStore, Heartbeat
from ..store.devices import Device, DeviceStore, token_hash
from ..store.unit_of_work import HOSTS, UnitOfWork
from .context import TimedCache

ROLES = ("kiosk", "robot", "display", "desk", "host", "integration", "admin")

PERMISSIONS: dict[str, frozenset[str]] = {
    "ticket.issue": frozenset({"kiosk", "robot", "host", "admin"}),
    "ticket.priority": frozenset({"host", "admin"}),
    "ticket.offline": frozenset({"kiosk", "admin"}),
    "ticket.act": frozenset({"desk", "host", "admin"}),
    "desk.call": frozenset({"desk", "admin"}),
    "desk.open": frozenset({"desk", "host", "admin"}),
    "check_in": frozenset({"kiosk", "robot", "host", "admin"}),
    "appointment.book": frozenset({"integration", "admin"}),
    "assist.request": frozenset({"kiosk", "robot", "desk", "host", "admin"}),
    "assist.read": frozenset({"host", "admin"}),
    "queue.detail": frozenset({"desk", "host", "admin"}),
    "events.hosts": frozenset({"host", "admin"}),
    "device.status": frozenset({"kiosk", "robot", "display", "desk"}),
    # host commands to a robot: pause / resume (issue 6)
    "device.command": frozenset({"host", "admin"}),
    "device.commands": frozenset({"robot"}),
    # cases (issue 7)
    "case.lookup": frozenset({"kiosk", "robot", "admin"}),
    "case.reaction": frozenset({"kiosk", "admin"}),
    "report.read": frozenset({"host", "admin"}),
}
"""Permission → roles. One table, so the matrix test and the code cannot disagree."""

CHANNEL_OF_ROLE = {"kiosk": "kiosk", "robot": "robot", "host": "host", "desk": "desk", "admin": "host"}


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


@dataclass(frozen=True)
class NewToken:
    device: Device
    token: str


def create_device(uow: UnitOfWork, role: str, location: str | None, name: str | None) -> NewToken:
    if role not in ROLES:
        raise DomainError(f"Unknown role '{role}'; choose one of {', '.join(ROLES)}.")
    if role != "admin" and not location:
        raise DomainError(f"A {role} token belongs to one location; give --location.")
    device = Device(id=secrets.token_hex(8), name=name or f"{role}-{location or 'all'}", role=role,
                    location=None if role == "admin" else location, created_at=uow.now)
    token = secrets.token_urlsafe(32)
    uow.devices.add(device, token)
    return NewToken(device, token)


class Authenticator:
    """Token → device, cached briefly so a busy kiosk costs no database read per request.
    A revoked token stops working within ``seconds``."""

    def __init__(self, db: Database, seconds: float = 30.0) -> None:
        self.db = db
        self._cache: TimedCache[Device | None] = TimedCache(seconds)

    def device(self, token: str) -> Device | None:
        def look_up() -> Device | None:
            with self.db.read() as conn:
                found = DeviceStore(conn).by_token(token)
            return found if found and found.revoked_at is None else None

        return self._cache.get(token_hash(token), look_up)

    def cached(self, token: str) -> tuple[bool, Device | None]:
        """The device from the cache alone: ``(found_in_cache, device)``; no database read."""
        return self._cache.fresh(token_hash(token))


def require(device: Device | None, permission: str, location: str | None) -> Device:
    """The device, if its role grants ``permission`` at ``location``; else Unauthorized/Forbidden."""
    if device is None:
        raise Unauthorized("This needs a device token (Authorization: Bearer <token>).")
    if device.role not in PERMISSIONS[permission]:
        raise Forbidden(f"A {device.role} device may not do this ({permission}).")
    if location is not None and device.role != "admin" and device.location != location:
        raise Forbidden(f"This device belongs to location '{device.location}', not '{location}'.")
    return device


def sees_case_references(device: Device | None) -> bool:
    """Whether a ticket's case reference goes into answers to this device: the staff who see
    tickets one by one (desk, host, admin), never a public screen, kiosk or robot."""
    return device is not None and device.role in PERMISSIONS["queue.detail"]


def report_status(uow: UnitOfWork, device: Device, status: dict[str, object]) -> None:
    """A device's heartbeat: kept as its latest status (for the alerts) and shown to the hosts live."""
    battery = status.get("battery_percent")
    DeviceHeartbeatStore(uow.conn).record(Heartbeat(
        device.id, device.location, device.name, device.role, uow.now, bool(status.get("online", True)),
        str(status["printer"]) if status.get("printer") else None, battery if isinstance(battery, int) else None))
    if device.location:
        uow.emit(device.location, "device.status",
                 {"device": device.id, "name": device.name, "role": device.role, **status}, audience=HOSTS)
