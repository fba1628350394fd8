"""Server-Sent Events per location, resumable with Last-Event-ID."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from ...domain.errors import DomainError
from ...domain.permissions import authorize, permits
from ...events.bus import EventBus, StreamSlot
from ...services.auth import Credential
from ..dependencies import LocationDep, OptionalCaller, authenticate

router = APIRouter(tags=["events"])

HEARTBEAT = b": keep-alive\nevent: heartbeat\ndata: {}\n\n"
"""After a quiet spell: the comment keeps proxies from closing the stream; the named event (with
no id, so resuming is unaffected) lets a browser notice a stream that died without closing."""
EVENT_ID = re.compile(r"[0-9]{1,18}")
"""An event id as this service writes them: ASCII digits, well within a 64-bit integer."""
RETRY_AFTER_SECONDS = 30


class TooManyStreams(DomainError):
    code = "too_many_streams"
    status = 429


class InvalidEventId(DomainError):
    code = "invalid_last_event_id"
    status = 400


class EventStreamResponse(Response):
    """The stream as an ASGI answer: one ``send`` per batch of events, the stream's slot given
    back however it ends (the client went away, the server stops). Lighter per event and stream
    than Starlette's ``StreamingResponse`` (no task group), which counts with thousands of streams."""

    media_type = "text/event-stream"

    def __init__(self, chunks: AsyncGenerator[bytes, None], slot: StreamSlot) -> None:
        self.chunks = chunks
        self.slot = slot
        self.background = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        sending = asyncio.current_task()
        disconnected = False

        async def until_disconnect() -> None:
            nonlocal disconnected
            message = await receive()
            while message["type"] != "http.disconnect":  # a stream's request has no more body to read
                message = await receive()
            disconnected = True
            if sending is not None:
                sending.cancel()

        watcher = asyncio.ensure_future(until_disconnect())
        try:
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache"),
                (b"x-accel-buffering", b"no")]})
            async for chunk in self.chunks:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except asyncio.CancelledError:
            if not disconnected or sending is None:
                raise
            sending.uncancel()  # the client left: a normal end of the stream
        finally:
            watcher.cancel()
            self.slot.release()
            await self.chunks.aclose()


def _resume_point(last_event_id: str | None, after: str | None) -> int | None:
    given = last_event_id if last_event_id is not None else after
    if given is None:
        return None
    given = given.strip()
    if not EVENT_ID.fullmatch(given):
        raise InvalidEventId("An event id is the number of an event this stream sent (up to 18 digits).")
    return int(given)


@router.get("/locations/{location}/events", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}},
                       400: {"description": "invalid_last_event_id"},
                       429: {"description": "too_many_streams: this address or this server has its most streams open"}})
async def events_route(location: LocationDep, request: Request, caller: OptionalCaller,
                       last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
                       after: Annotated[str | None, Query(description="Same as Last-Event-ID")] = None,
                       scope: Annotated[str, Query(pattern="^(public|hosts)$")] = "public"
                       ) -> EventStreamResponse:
    """The live stream of a location. ``scope=public`` (the default): what a waiting room may see,
    whoever asks, with or without a token. ``scope=hosts``: assist and device events too, for a host
    (or admin) of the location only; such a stream re-checks its credential with every event and
    heartbeat, and ends at the first one after its token is revoked or its staff session is over.
    At most ``GASTVRIJ_SSE_MAX_PER_CLIENT`` streams per client address and ``GASTVRIJ_SSE_MAX_TOTAL``
    per server process: beyond, 429 with ``Retry-After``."""
    hosts = scope == "hosts"
    credential: Credential | None = None
    if hosts:
        authorize(caller, "events.hosts", location.id)
        credential = request.state.credential
    resume = _resume_point(last_event_id, after)
    bus: EventBus = request.app.state.bus
    client = request.client.host if request.client else "unknown"
    slot = bus.reserve(client)
    if slot is None:
        raise TooManyStreams("Too many live streams are open from this address or on this server; "
                             f"try again in {RETRY_AFTER_SECONDS} seconds.", retry_after=RETRY_AFTER_SECONDS)
    heartbeat = request.app.state.settings.sse_heartbeat_seconds
    try:
        # Fix the starting point now, before the client gets its first byte: nothing it causes
        # after connecting can be missed.
        start = resume if resume is not None else await bus.last_id(location.id)
    except BaseException:
        slot.release()
        raise

    async def body() -> AsyncGenerator[bytes, None]:
        yield f"retry: 2000\n: connected to {location.id}\n\n".encode()
        stream = bus.stream(location.id, start, hosts, heartbeat)
        try:
            async for batch in stream:
                if credential is not None and not permits(await authenticate(request, credential), "events.hosts",
                                                          location.id):
                    return
                if not batch:
                    yield HEARTBEAT
                elif len(batch) == 1:
                    yield batch[0].frame_bytes
                else:
                    yield b"".join(event.frame_bytes for event in batch)
        finally:
            await stream.aclose()

    return EventStreamResponse(body(), slot)
