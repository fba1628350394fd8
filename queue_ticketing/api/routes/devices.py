"""A device reports its own status (online, battery, printer) for the hosts' dashboard."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response

from ...domain.permissions import Unauthorized, authorize
from ...services import device_commands
from ...services.devices import report_status
from ...services.group_commit import UnitOfWork
from ...services.idempotency import Answer, Once, run_once
from ..dependencies import Caller, Ctx, IdempotencyKey, LocationDep
from ..idempotency import answer, request_hash, response
from ..schemas import DeviceCommandIn, DeviceCommandOut, DeviceCommandsOut, DeviceStatusIn

router = APIRouter(tags=["devices"])


@router.get("/devices/me", responses={401: {}})
def whoami_route(caller: Caller) -> dict[str, str | None]:
    """Which device this token belongs to (id, name, role, location)."""
    if caller is None:
        raise Unauthorized("This needs a device token (Authorization: Bearer <token>).")
    return {"id": caller.id, "name": caller.name, "role": caller.role, "location": caller.location}


@router.post("/devices/me/status", status_code=202, responses={401: {}, 403: {}, 422: {}})
async def status_route(body: DeviceStatusIn, ctx: Ctx, caller: Caller) -> dict[str, bool]:
    """Heartbeat with the device's state; hosts see it live (``device.status`` events)."""
    actor = authorize(caller, "device.status", None)
    await ctx.write(lambda uow: report_status(uow, actor, body.model_dump(exclude_none=True)))
    return {"accepted": True}


# ---------------------------------------------------------------- host commands to a robot

@router.post("/locations/{location}/devices/{device_id}/commands", status_code=202, response_model=DeviceCommandOut,
             responses={401: {}, 403: {}, 404: {}, 422: {}})
async def command_route(device_id: str, body: DeviceCommandIn, location: LocationDep, request: Request, ctx: Ctx,
                        caller: Caller, idempotency_key: IdempotencyKey = None) -> Response:
    """Pause or resume a robot (host role). Hosts see it live as a ``device.command`` event; the
    robot picks it up from ``GET /devices/me/commands``."""
    actor = authorize(caller, "device.command", location.id)

    def send(uow: UnitOfWork) -> Answer:
        sent = device_commands.send_command(uow, location, device_id, body.command, actor)
        return answer(202, DeviceCommandOut(device=sent.device, command=sent.command), exclude_none=True)

    once = Once(actor.id, idempotency_key, request_hash(request, body))
    return response(await run_once(ctx.group_commit, once, send))


@router.get("/devices/me/commands", response_model=DeviceCommandsOut, responses={401: {}, 403: {}})
def my_commands_route(ctx: Ctx, caller: Caller, after: int | None = Query(default=None, ge=0)) -> DeviceCommandsOut:
    """This robot's commands from the hosts after event id ``after`` (oldest first); without
    ``after`` only the latest one (the state to be in after a start). ``last_id`` is the next ``after``."""
    actor = authorize(caller, "device.commands", None)
    commands, last_id = device_commands.commands_for(ctx, actor, after)
    return DeviceCommandsOut(commands=[DeviceCommandOut.model_validate(
        {"id": c.id, "device": actor.id, "command": c.command, "at": c.at}) for c in commands], last_id=last_id)
