"""A device reports its own status (online, battery, printer) for the hosts' dashboard."""

from __future__ import annotations

from fastapi import APIRouter

from ...services.devices import Unauthorized, report_status, require
from ..dependencies import Caller, Ctx
from ..schemas import DeviceStatusIn

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
