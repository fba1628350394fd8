"""A host pauses or resumes a robot from the dashboard.

The command is a host-audience ``device.command`` event in the location's event log: the hosts'
dashboards see it live, and the robot asks for its own commands after the last event id it has seen
(``GET /api/v1/devices/me/commands?after=``). The log's ids give the order, and the latest command
of a device is its wanted state, also for a robot that just started (``after`` left out). Retention
keeps ``device.command`` events (a handful a day), so a paused robot stays paused after a restart."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from location_config import Location

from ..domain.errors import DomainError, NotFound
from ..domain.identity import Principal
from ..store.unit_of_work import HOSTS, UnitOfWork
from .context import ServiceContext

EVENT_TYPE = "device.command"
COMMANDS = ("pause", "resume")
ROLES_WITH_COMMANDS = frozenset({"robot"})
"""The devices that act on a host's command (a robot pauses; kiosks and desks have their own staff)."""


class CommandNotSupported(DomainError):
    code = "command_not_supported"
    status = 422


@dataclass(frozen=True)
class DeviceCommand:
    id: int
    """The event id: increasing per location, the robot's cursor."""
    command: str
    at: datetime


@dataclass(frozen=True)
class SentCommand:
    device: str
    command: str


def send_command(uow: UnitOfWork, location: Location, device_id: str, command: str,
                 sender: Principal) -> SentCommand:
    """Queue ``command`` for the device (in the transaction; the event gets its id at commit)."""
    target = uow.devices.get(device_id)
    if target is None or target.revoked_at is not None or target.location != location.id:
        raise NotFound(f"There is no device '{device_id}' at this location.")
    if target.role not in ROLES_WITH_COMMANDS:
        raise CommandNotSupported(f"A {target.role} device does not take commands; only a robot can be paused.")
    if command not in COMMANDS:
        raise CommandNotSupported(f"Unknown command '{command}'; choose one of {', '.join(COMMANDS)}.")
    data = {"device": target.id, "name": target.name, "role": target.role, "command": command, "by": sender.role}
    uow.emit(location.id, EVENT_TYPE, data, audience=HOSTS)
    uow.record("robot.paused" if command == "pause" else "robot.resumed", location.id, target=target.name)
    return SentCommand(target.id, command)


def commands_for(ctx: ServiceContext, device: Principal, after: int | None) -> tuple[list[DeviceCommand], int]:
    """The device's commands after event id ``after`` (all of them in order), or with ``after``
    None only its latest one; and the cursor to ask with next time."""
    assert device.location is not None
    with ctx.read() as stores:
        cursor = stores.events.last_id(device.location)
        commands = stores.events.of_types(device.location, [EVENT_TYPE], after_id=after or 0)
    mine = [DeviceCommand(event.id, data["command"], event.created_at)
            for event in commands if (data := json.loads(event.data)).get("device") == device.id]
    return (mine if after is not None else mine[-1:]), cursor
