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
from collections import defaultdict
from collections.abc import AsyncIterator

from ..store.database import Database
from ..store.events import StoredEvent
from ..store.unit_of_work import PUBLIC, Stores

log = logging.getLogger(__name__)

QUEUE_LIMIT = 2000
"""Events a slow stream may lag behind before it is closed (its client resumes with Last-Event-ID)."""
BATCH_LIMIT = 100
"""Events sent to a client in one write at most."""
BACKLOG_PAGE = 1000
"""Events read from the database at a time when a stream catches up."""


class _Stream:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[StoredEvent | None] = asyncio.Queue(QUEUE_LIMIT)


class EventBus:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._loop: asyncio.AbstractEventLoop | None = None
        self._streams: dict[str, set[_Stream]] = {}
        self._delivered: dict[str, int] = {}
        self._fetching: set[str] = set()
        self._again: set[str] = set()
        self._tasks: set[asyncio.Future[None]] = set()

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def _on_loop(self, callback, *args) -> None:  # type: ignore[no-untyped-def]
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
        for stream in list(self._streams.get(location, ())):
            for event in new:
                self._offer(stream, event)

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

    def _offer(self, stream: _Stream, event: StoredEvent | None) -> None:
        try:
            stream.queue.put_nowait(event)
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
        """The id of the location's latest event: where a stream "from now" starts."""
        return await asyncio.to_thread(self._last_id, location)

    async def stream(self, location: str, after: int, hosts: bool,
                     heartbeat: float) -> AsyncIterator[list[StoredEvent]]:
        """Events of a location after id ``after``, then live ones, in id order, each once, in
        batches of what is ready. An empty batch after ``heartbeat`` seconds of silence. Ends
        when the bus closes."""
        stream = _Stream()
        self._streams.setdefault(location, set()).add(stream)
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
            while True:
                page = await asyncio.to_thread(self._read, location, cursor)
                backlog = visible(page)
                if backlog:
                    yield backlog
                if len(page) < BACKLOG_PAGE:
                    break
            while True:
                try:
                    async with asyncio.timeout(heartbeat):
                        first = await stream.queue.get()
                except TimeoutError:
                    # Quiet: catch up in case a notification was lost, and say we are here.
                    yield visible(await asyncio.to_thread(self._read, location, cursor))
                    continue
                ready = [first]
                while ready[-1] is not None and len(ready) < BATCH_LIMIT and not stream.queue.empty():
                    ready.append(stream.queue.get_nowait())
                closing = ready[-1] is None
                live = [e for e in ready if e is not None and e.id > cursor]
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

    def watched_locations(self) -> set[str]:
        return set(self._streams)

    def stream_count(self) -> int:
        return sum(len(s) for s in self._streams.values())
