"""Server-Sent Events per location, resumable with Last-Event-ID."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from ...events.bus import EventBus
from ...services.devices import PERMISSIONS, require
from ..dependencies import LocationDep, OptionalCaller

router = APIRouter(tags=["events"])

HEARTBEAT = ": keep-alive\nevent: heartbeat\ndata: {}\n\n"
"""After a quiet spell: the comment keeps proxies from closing the stream; the named event (with
no id, so resuming is unaffected) lets a browser notice a stream that died without closing."""


@router.get("/locations/{location}/events", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}})
async def events_route(location: LocationDep, request: Request, device: OptionalCaller,
                       last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
                       after: Annotated[int | None, Query(ge=0, description="Same as Last-Event-ID")] = None,
                       scope: Annotated[str, Query(pattern="^(public|hosts)$")] = "public"
                       ) -> StreamingResponse:
    """The live stream of a location. Without a token: what a waiting room may see. With a host
    token and ``scope=hosts``: assist and device events too."""
    hosts = False
    if scope == "hosts" or (device and device.role in PERMISSIONS["events.hosts"]):
        if scope == "hosts":
            require(device, "events.hosts", location.id)
        hosts = bool(device and device.role in PERMISSIONS["events.hosts"]
                     and (device.role == "admin" or device.location == location.id))
    resume = after
    if last_event_id is not None and last_event_id.strip().isdigit():
        resume = int(last_event_id.strip())
    bus: EventBus = request.app.state.bus
    heartbeat = request.app.state.settings.sse_heartbeat_seconds
    # Fix the starting point now, before the client gets its first byte: nothing it causes after
    # connecting can be missed.
    after = resume if resume is not None else await bus.last_id(location.id)

    async def body() -> AsyncIterator[str]:
        yield f"retry: 2000\n: connected to {location.id}\n\n"
        async for batch in bus.stream(location.id, after, hosts, heartbeat):
            yield "".join(event.frame for event in batch) if batch else HEARTBEAT

    return StreamingResponse(body(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
