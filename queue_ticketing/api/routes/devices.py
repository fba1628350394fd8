"""A device reports its own status (online, battery, printer) for the hosts' dashboard."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response

from ...services import device_commands
from ...services.devices import Unauthorized, report_status, require
from ..dependencies import Caller, Ctx, IdempotencyKey, LocationDep
from ..idempotency import request_hash, run_once
from ..schemas import DeviceCommandIn, DeviceCommandOut, DeviceCommandsOut, DeviceStatusIn

router = APIRouter(tags=["devices"])


@router.get("/devices/me", responses={401: {}})
def whoami_route(device: Caller) -> dict[str, str | None]:
    """Which device this token belongs to (id, name, role, location)."""
    if device is None:
        raise Unauthorized("This needs a device token (Authorization: Bearer <token>).")
    return {"id": device.id, "name": device.name, "role": device.role, "location": device.location}


@router.post("/devices/me/status", status_code=202, responses={401: {}, 403: {}, 422: {}})
def status_route(body: DeviceStatusIn, ctx: Ctx, device: Caller) -> dict[str, bool]:
    """Heartbeat with the device's state; hosts see it live (``device.status`` events)."""
    actor = require(device, "device.status", None)
    with ctx.unit_of_work() as uow:
        report_status(uow, actor, body.model_dump(exclude_none=True))
        uow.commit()
    return {"accepted": True}


# ------------------------------------------------------------------------ host commands to a robot

@router.post("/locations/{location}/devices/{device_id}/commands", status_code=202, response_model=DeviceCommandOut,
             responses={401: {}, 403: {}, 404: {}, 422: {}})
async def command_route(device_id: str, body: DeviceCommandIn, location: LocationDep, request: Request, ctx: Ctx,
                        device: Caller, idempotency_key: IdempotencyKey = None) -> Response:
    """Pause or resume a robot (host role). Hosts see it live as a ``device.command`` event; the
    robot picks it up from ``GET /devices/me/commands``."""
    actor = require(device, "device.command", location.id)

    def send(uow):  # type: ignore[no-untyped-def]
        return 202, device_commands.send_command(uow, location, device_id, body.command, actor)

    return await run_once(ctx, actor.id, idempotency_key, request_hash(request.url.path, body), send)


@router.get("/devices/me/commands", response_model=DeviceCommandsOut, responses={401: {}, 403: {}})
def my_commands_route(ctx: Ctx, device: Caller, after: int | None = Query(default=None, ge=0)) -> DeviceCommandsOut:
    """This robot's commands from the hosts after event id ``after`` (oldest first); without
    ``after`` only the latest one (the state to be in after a start). ``last_id`` is the next ``after``."""
    actor = require(device, "device.commands", None)
    with ctx.db.read() as conn:
        commands, last_id = device_commands.commands_for(conn, actor, after)
    return DeviceCommandsOut(commands=[DeviceCommandOut.model_validate(
        {"id": c.id, "device": actor.id, "command": c.command, "at": c.at}) for c in commands], last_id=last_id)
