"""Server-Sent Events per location, resumable with Last-Event-ID."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from ...domain.permissions import authorize, permits
from ...events.bus import EventBus
from ...services.auth import Credential
from ..dependencies import LocationDep, OptionalCaller, authenticate

router = APIRouter(tags=["events"])

HEARTBEAT = ": keep-alive\nevent: heartbeat\ndata: {}\n\n"
"""After a quiet spell: the comment keeps proxies from closing the stream; the named event (with
no id, so resuming is unaffected) lets a browser notice a stream that died without closing."""


@router.get("/locations/{location}/events", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}})
async def events_route(location: LocationDep, request: Request, caller: OptionalCaller,
                       last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
                       after: Annotated[int | None, Query(ge=0, description="Same as Last-Event-ID")] = None,
                       scope: Annotated[str, Query(pattern="^(public|hosts)$")] = "public"
                       ) -> StreamingResponse:
    """The live stream of a location. ``scope=public`` (the default): what a waiting room may see,
    whoever asks, with or without a token. ``scope=hosts``: assist and device events too, for a host
    (or admin) of the location only; such a stream re-checks its credential with every event and
    heartbeat, and ends at the first one after its token is revoked or its staff session is over."""
    hosts = scope == "hosts"
    credential: Credential | None = None
    if hosts:
        authorize(caller, "events.hosts", location.id)
        credential = request.state.credential
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
            if credential is not None and not permits(await authenticate(request, credential), "events.hosts",
                                                      location.id):
                return
            yield "".join(event.frame for event in batch) if batch else HEARTBEAT

    return StreamingResponse(body(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
