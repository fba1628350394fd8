"""Devices and their tokens: create, list, revoke, and a device's own status report (DESIGN.md, "Auth")."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from ..domain.errors import DomainError, NotFound
from ..domain.identity import DEVICE_ROLES, Principal, SessionEnd, SessionPolicy, Subject, SubjectKind, location_for
from ..store.device_heartbeats import Heartbeat
from ..store.devices import Device as Device  # a device's record; routes name it from here
from ..store.unit_of_work import HOSTS, Stores, UnitOfWork


@dataclass(frozen=True)
class NewToken:
    device: Device
    token: str


def principal_of(device: Device) -> Principal:
    return Principal(Subject(SubjectKind.DEVICE, device.id), device.name, device.role, device.location,
                     desk=device.desk)


def create_device(uow: UnitOfWork, role: str, location: str | None, name: str | None,
                  desk: str | None = None) -> NewToken:
    """A new device and its token. ``desk``: the one desk a desk token is made for (checked
    against the location by the caller, which knows the locations); without it, a desk token
    sits at the desk its holder takes on the desk page, and acts at no desk through the API alone."""
    if role not in DEVICE_ROLES:
        raise DomainError(f"A device token is made for one of {', '.join(DEVICE_ROLES)}, not '{role}'.")
    if desk is not None and role != "desk":
        raise DomainError(f"Only a desk token is made for one desk, not a {role} token.")
    try:
        bound = location_for(role, location)
    except ValueError as error:
        raise DomainError(str(error)) from None
    device = Device(id=secrets.token_hex(8), name=name or f"{role}-{desk or bound or 'all'}", role=role,
                    location=bound, created_at=uow.now, desk=desk)
    token = secrets.token_urlsafe(32)
    uow.devices.add(device, token)
    uow.record("token.created", bound, target=f"{device.name} ({device.id})")
    return NewToken(device, token)


class AmbiguousName(DomainError):
    code = "ambiguous_name"
    status = 409


def find_device(stores: Stores, id_or_name: str) -> Device:
    """The one device with this id or name; NotFound, or AmbiguousName naming the ids to choose from."""
    found = stores.devices.named(id_or_name)
    if not found:
        raise NotFound(f"There is no device with id or name '{id_or_name}'.")
    live = [d for d in found if d.revoked_at is None] or found
    if len(live) > 1:
        raise AmbiguousName(f"{len(live)} devices are called '{id_or_name}'; give one of their ids: "
                            + ", ".join(d.id for d in live), ids=[d.id for d in live])
    return live[0]


@dataclass(frozen=True)
class Revoked:
    device: Device
    already: bool
    sessions_ended: int


def revoke_device(uow: UnitOfWork, id_or_name: str) -> Revoked:
    """Revoke the device's token and end its staff sessions, in one transaction."""
    device = find_device(uow, id_or_name)
    revoked = uow.devices.revoke(device.id, uow.now)
    if revoked:
        uow.record("token.revoked", device.location, target=f"{device.name} ({device.id})")
    ended = uow.sessions.end_all_of(Subject(SubjectKind.DEVICE, device.id), uow.now, SessionEnd.REVOKED)
    return Revoked(device, not revoked, ended)


@dataclass(frozen=True)
class DeviceListing:
    device: Device
    open_sessions: int


def list_devices(stores: Stores, now: datetime, policy: SessionPolicy) -> list[DeviceListing]:
    """Every device, oldest first, with how many of its staff sessions are open now."""
    open_sessions = stores.sessions.open_counts(SubjectKind.DEVICE, now, now - policy.idle)
    return [DeviceListing(d, open_sessions.get(d.id, 0)) for d in stores.devices.all()]


def report_status(uow: UnitOfWork, device: Principal, status: dict[str, object]) -> None:
    """A device's heartbeat: kept as its latest status (for the alerts) and shown to the hosts live."""
    battery = status.get("battery_percent")
    uow.device_heartbeats.record(Heartbeat(
        device.id, device.location, device.name, device.role, uow.now, bool(status.get("online", True)),
        str(status["printer"]) if status.get("printer") else None, battery if isinstance(battery, int) else None))
    if device.location:
        uow.emit(device.location, "device.status",
                 {"device": device.id, "name": device.name, "role": device.role, **status}, audience=HOSTS)
