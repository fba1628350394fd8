"""The one event bus of a server process.

After a write commits, the unit of work tells the bus which locations changed; the bus reads the
new events from the database once and hands them to every open stream of that location. With
PostgreSQL, a listener thread does the same for commits made by other server processes. Streams
keep their own cursor and fill any gap from the database, so nothing is shown twice or missed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from ..store.database import Database
from ..store.events import EventStore, StoredEvent
from ..store.unit_of_work import PUBLIC

log = logging.getLogger(__name__)

QUEUE_LIMIT = 2000
"""Events a slow stream may lag behind before it is closed (its client resumes with Last-Event-ID)."""


class StreamClosed(Exception):
    pass


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

    def close(self) -> None:
        """End every stream (the server is stopping); safe to call from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._close_streams()
        else:
            loop.call_soon_threadsafe(self._close_streams)

    def _close_streams(self) -> None:
        for streams in self._streams.values():
            for stream in streams:
                self._offer(stream, None)

    # Called from any thread after a commit (or a NOTIFY from another process).
    def notify(self, locations: set[str]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        for location in locations:
            loop.call_soon_threadsafe(self._schedule, location)

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
                after = self._delivered.get(location, 0)
                new = await asyncio.to_thread(self._read, location, after)
                if new:
                    self._delivered[location] = new[-1].id
                    for stream in list(self._streams.get(location, ())):
                        for event in new:
                            self._offer(stream, event)
                if location not in self._again:
                    break
        except Exception:  # the database hiccuped: streams catch up on the next notification
            log.exception("event fetch failed", extra={"location": location})
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
            return EventStore(conn).since(location, after)

    def _last_id(self, location: str) -> int:
        with self.db.read() as conn:
            return EventStore(conn).last_id(location)

    async def last_id(self, location: str) -> int:
        """The id of the location's latest event: where a stream "from now" starts."""
        return await asyncio.to_thread(self._last_id, location)

    async def stream(self, location: str, after: int, hosts: bool,
                     heartbeat: float) -> AsyncIterator[StoredEvent | None]:
        """Events of a location after id ``after``, then live ones, in id order, each once.
        Yields None every ``heartbeat`` seconds of silence. Ends when the bus closes."""
        stream = _Stream()
        self._streams.setdefault(location, set()).add(stream)
        cursor = after
        try:
            if location not in self._delivered:
                self._delivered[location] = await asyncio.to_thread(self._last_id, location)
            # Whatever committed before we registered: from the database, then live.
            for missed in await asyncio.to_thread(self._read, location, cursor):
                cursor = missed.id
                if hosts or missed.audience == PUBLIC:
                    yield missed
            while True:
                try:
                    event = await asyncio.wait_for(stream.queue.get(), heartbeat)
                except TimeoutError:
                    # Quiet: say so, and catch up in case a notification was lost.
                    for missed in await asyncio.to_thread(self._read, location, cursor):
                        cursor = missed.id
                        if hosts or missed.audience == PUBLIC:
                            yield missed
                    yield None
                    continue
                if event is None:
                    return
                if event.id <= cursor:
                    continue
                batch = [event] if event.id == cursor + 1 else await asyncio.to_thread(self._read, location, cursor)
                for item in batch:
                    if item.id <= cursor:
                        continue
                    cursor = item.id
                    if hosts or item.audience == PUBLIC:
                        yield item
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
