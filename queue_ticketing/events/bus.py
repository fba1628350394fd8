"""The one event bus of a server process.

After a write batch commits, the group commit hands the bus the events it stored; the bus passes them
to every open stream of their location. With PostgreSQL, a listener thread tells the bus about
commits made by other server processes, and the bus reads those events from the database once.
Each stream keeps its own cursor and fills any gap from the database, so nothing is shown twice
or missed, and a client resumes with Last-Event-ID.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import defaultdict
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from ..store.database import Database
from ..store.events import StoredEvent
from ..store.unit_of_work import PUBLIC, Stores

log = logging.getLogger(__name__)

QUEUE_LIMIT = 500
"""Batches of events a slow stream may lag behind before it is closed (its client resumes with
Last-Event-ID). A batch is shared by every stream it is handed to."""
BATCH_LIMIT = 100
"""Events gathered into one write from a stream's waiting batches (a single batch may hold more)."""
BACKLOG_PAGE = 1000
"""Events read from the database at a time when a stream catches up."""
WAKE_SLICE = 16
"""Streams handed an event per turn of the event loop. Each stream then writes to its socket
(a system call each); in slices, a request that arrives meanwhile waits for one slice, not for
all streams (2,000 writes take tens of ms)."""
PACING = 4.0
"""See ``EventBus._paced``: with a handful of streams a fan-out takes well under a millisecond and
nothing waits; with 2,000 (tens of ms each) a busy location's screens get its events a few times
a second, each write carrying all that happened since, and requests keep four fifths of the loop."""
HEARTBEAT_JITTER = 0.25
"""A stream's quiet spell before a heartbeat is 75-100% of the configured one (drawn for each
stream), and its first one comes after a random part of it: idle streams opened together do not
all wake (and write) in the same instant."""
TICKS_PER_HEARTBEAT = 8
"""How often the bus looks for streams due a heartbeat: one timer for all streams, not one per
stream and wait (a timer per wait is an object per stream and event that outlives the garbage
collector's young generations; with 2,000 streams its full passes took 300 ms)."""


QUIET: list[StoredEvent] = []
"""The batch a quiet stream is handed: time for a heartbeat."""


class _Stream:
    def __init__(self, quiet: float, counted: bool = True) -> None:
        self.counted = counted
        """Among the streams ``stream_counts`` reports (a screen's or a client's, which the alerts
        watch), not a reader inside the service such as the push notifier."""
        self.queue: asyncio.Queue[list[StoredEvent] | None] = asyncio.Queue(QUEUE_LIMIT)
        self.quiet = quiet
        """Seconds of silence before a heartbeat."""
        self.last_sent = time.monotonic() - random.uniform(0, quiet)


@dataclass
class StreamSlot:
    """A place for one open stream, taken before it is answered and given back when it ends."""

    bus: EventBus
    client: str
    released: bool = False

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.bus._give_back(self.client)


class EventBus:
    def __init__(self, db: Database, max_per_client: int = 100, max_total: int = 2000) -> None:
        self.db = db
        self.max_per_client = max_per_client
        self.max_total = max_total
        self._per_client: dict[str, int] = {}
        self._open = 0
        self._caught_up: dict[str, float] = {}
        self._pending: dict[str, list[StoredEvent]] = {}
        self._ticker: asyncio.Task[None] | None = None
        self._tick_every = float("inf")
        self._paced_until: dict[str, float] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._streams: dict[str, set[_Stream]] = {}
        self._delivered: dict[str, int] = {}
        self._fetching: set[str] = set()
        self._again: set[str] = set()
        self._tasks: set[asyncio.Future[None]] = set()

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def reserve(self, client: str) -> StreamSlot | None:
        """A slot for a new stream from ``client`` (its address), or None when that client or the
        process already has its most (``max_per_client``, ``max_total``). Call on the loop."""
        if self._open >= self.max_total or self._per_client.get(client, 0) >= self.max_per_client:
            return None
        self._open += 1
        self._per_client[client] = self._per_client.get(client, 0) + 1
        return StreamSlot(self, client)

    def _give_back(self, client: str) -> None:
        self._open -= 1
        left = self._per_client.get(client, 1) - 1
        if left > 0:
            self._per_client[client] = left
        else:
            self._per_client.pop(client, None)

    def _on_loop(self, callback, *args) -> None:
        """Run ``callback`` on the bus's event loop: now if we are on it, else soon (any thread)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            callback(*args)
        else:
            loop.call_soon_threadsafe(callback, *args)

    def close(self) -> None:
        """End every stream (the server is stopping); safe to call from any thread."""
        self._on_loop(self._close_streams)

    def _close_streams(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        for streams in self._streams.values():
            for stream in streams:
                self._offer(stream, None)

    def committed(self, events: list[StoredEvent]) -> None:
        """Events this process just committed (called after the commit, from any thread)."""
        self._on_loop(self._deliver_committed, events)

    def notify(self, locations: set[str]) -> None:
        """Another process committed events for these locations (from the listener thread)."""
        for location in locations:
            self._on_loop(self._schedule, location)

    def _deliver_committed(self, events: list[StoredEvent]) -> None:
        by_location: dict[str, list[StoredEvent]] = defaultdict(list)
        for event in events:
            by_location[event.location].append(event)
        for location, new in by_location.items():
            if location not in self._streams:
                continue
            if location in self._fetching or new[0].id != self._delivered.get(location, 0) + 1:
                self._schedule(location)  # something came between: read it all, in order
                continue
            self._fan_out(location, new)

    def _fan_out(self, location: str, new: list[StoredEvent]) -> None:
        self._delivered[location] = new[-1].id
        for event in new:
            event.frame_bytes  # noqa: B018 (serialised once here, not by the first stream to send it)
        pending = self._pending.get(location)
        if pending is not None:
            pending.extend(new)  # a paced fan-out is due: these go with it, in order
            return
        wait = self._paced_until.get(location, 0.0) - time.perf_counter()
        if wait > 0 and self._loop is not None:
            self._pending[location] = list(new)
            self._loop.call_later(wait, self._fan_out_pending, location)
            return
        self._offer_slice(location, list(self._streams.get(location, ())), 0, new, time.perf_counter())

    def _fan_out_pending(self, location: str) -> None:
        pending = self._pending.pop(location, None)
        if pending:
            self._offer_slice(location, list(self._streams.get(location, ())), 0, pending, time.perf_counter())

    def _offer_slice(self, location: str, streams: list[_Stream], start: int, new: list[StoredEvent],
                     started: float, paced: bool = True) -> None:
        """Hand ``new`` to ``WAKE_SLICE`` streams from ``start``, the next ones on the next turn of
        the loop. A stream's batches keep their order: each batch's slices are queued in order."""
        end = start + WAKE_SLICE
        for stream in streams[start:end]:
            self._offer(stream, new)
        if self._loop is None:
            return
        if end < len(streams):
            self._loop.call_soon(self._offer_slice, location, streams, end, new, started, paced)
        elif paced and len(streams) > WAKE_SLICE:
            self._loop.call_soon(self._paced, location, started)

    def _paced(self, location: str, started: float) -> None:
        """After a fan-out over many streams (its last slice has written): the next one waits
        ``PACING`` times as long as this one took, so sending to streams takes at most a fifth of
        the loop; events meanwhile go out together, one write per stream."""
        now = time.perf_counter()
        self._paced_until[location] = now + PACING * (now - started)

    def _schedule(self, location: str) -> None:
        if location not in self._streams:
            return  # nobody listens; streams read their backlog from the database when they come
        if location in self._fetching:
            self._again.add(location)
            return
        self._fetching.add(location)
        task = asyncio.ensure_future(self._fetch(location))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _fetch(self, location: str) -> None:
        try:
            while True:
                self._again.discard(location)
                new = await asyncio.to_thread(self._read, location, self._delivered.get(location, 0))
                if new and location in self._streams:
                    self._fan_out(location, new)
                if location not in self._again:
                    break
        except Exception:  # the database hiccuped: streams catch up on the next event or heartbeat
            log.exception("event fetch failed")
        finally:
            self._fetching.discard(location)

    def _offer(self, stream: _Stream, batch: list[StoredEvent] | None) -> None:
        try:
            stream.queue.put_nowait(batch)
        except asyncio.QueueFull:
            # Too slow a client: end its stream; it reconnects and resumes without loss.
            while not stream.queue.empty():
                stream.queue.get_nowait()
            stream.queue.put_nowait(None)

    def _read(self, location: str, after: int) -> list[StoredEvent]:
        with self.db.read() as conn:
            return Stores(conn).events.since(location, after, limit=BACKLOG_PAGE)

    def _last_id(self, location: str) -> int:
        with self.db.read() as conn:
            return Stores(conn).events.last_id(location)

    async def last_id(self, location: str) -> int:
        """The id of the location's latest event: where a stream "from now" starts. While the
        location has streams, the last one handed to them (no database read; on PostgreSQL it may
        lag another process's commit by a notification, which the stream then also gets)."""
        if location in self._streams and location in self._delivered and location not in self._fetching:
            return self._delivered[location]
        return await asyncio.to_thread(self._last_id, location)

    async def _tick(self) -> None:
        """While streams are open: hand a heartbeat (an empty batch) to the quiet ones, in slices,
        and read each location's new events once per half heartbeat (a lost notification). The
        shortest heartbeat of the streams sets the pace."""
        while self._streams:
            await asyncio.sleep(self._tick_every)
            now = time.monotonic()
            for location, streams in list(self._streams.items()):
                if now - self._caught_up.get(location, 0.0) >= self._tick_every * TICKS_PER_HEARTBEAT / 2:
                    self._caught_up[location] = now
                    self._schedule(location)
                quiet = [stream for stream in streams if now - stream.last_sent >= stream.quiet]
                for stream in quiet:
                    stream.last_sent = now
                self._offer_slice(location, quiet, 0, QUIET, now, paced=False)

    async def stream(self, location: str, after: int, hosts: bool, heartbeat: float, *,
                     counted: bool = True) -> AsyncGenerator[list[StoredEvent], None]:
        """Events of a location after id ``after``, then live ones, in id order, each once, in
        batches of what is ready. An empty batch after ``heartbeat`` seconds of silence. Ends
        when the bus closes. ``counted``: see ``_Stream.counted``."""
        stream = _Stream(heartbeat * random.uniform(1 - HEARTBEAT_JITTER, 1.0), counted)
        self._streams.setdefault(location, set()).add(stream)
        every = heartbeat / TICKS_PER_HEARTBEAT
        if self._ticker is None or self._ticker.done() or every < self._tick_every:
            if self._ticker is not None:
                self._ticker.cancel()
            self._tick_every = every
            self._ticker = asyncio.ensure_future(self._tick())
        cursor = after

        def visible(events: list[StoredEvent]) -> list[StoredEvent]:
            nonlocal cursor
            shown = []
            for event in events:
                if event.id <= cursor:
                    continue
                cursor = event.id
                if hosts or event.audience == PUBLIC:
                    shown.append(event)
            return shown

        try:
            if location not in self._delivered:
                self._delivered[location] = await asyncio.to_thread(self._last_id, location)
            # Whatever committed before we registered: from the database, page after page until
            # caught up (a display far behind gets it all at once, not a page per heartbeat), then live.
            # A stream that starts where the location's streams are needs no read.
            while cursor < self._delivered[location] or location in self._fetching:
                page = await asyncio.to_thread(self._read, location, cursor)
                backlog = visible(page)
                if backlog:
                    yield backlog
                if len(page) < BACKLOG_PAGE:
                    break
            while True:
                first = await stream.queue.get()
                stream.last_sent = time.monotonic()
                if first is QUIET:
                    yield []  # quiet for a while: say we are here
                    continue
                closing = first is None
                ready = list(first or ())
                while not closing and len(ready) < BATCH_LIMIT and not stream.queue.empty():
                    more = stream.queue.get_nowait()
                    closing = more is None
                    ready.extend(more or ())
                live = [e for e in ready if e.id > cursor]
                if live and live[0].id != cursor + 1:
                    live = await asyncio.to_thread(self._read, location, cursor)  # fill the gap
                shown = visible(live)
                if shown:
                    yield shown
                if closing:
                    return
        finally:
            streams = self._streams.get(location)
            if streams is not None:
                streams.discard(stream)
                if not streams:
                    del self._streams[location]
                    self._delivered.pop(location, None)
                    self._caught_up.pop(location, None)
                    self._paced_until.pop(location, None)

    def watched_locations(self) -> set[str]:
        return set(self._streams)

    def stream_count(self) -> int:
        return sum(len(s) for s in self._streams.values())

    def stream_counts(self) -> dict[str, int]:
        """Open streams per location, of screens and clients (``counted``)."""
        return {location: sum(1 for s in list(streams) if s.counted)
                for location, streams in list(self._streams.items())}
