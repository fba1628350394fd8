"""What every use case needs: the database, the locations, the clock, and short-lived caches."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Generic, TypeVar

from location_config import Location

from ..domain.clock import Clock
from ..domain.errors import NotFound
from ..store.database import Database
from ..store.unit_of_work import Stores
from .group_commit import GroupCommit, UseCase

T = TypeVar("T")
V = TypeVar("V")


class TimedCache(Generic[T]):
    """A value per key for at most ``seconds`` (monotonic time) and at most ``size`` keys, the
    least recently used dropped first. ``None`` is a miss ("no such token"): misses are kept
    apart, at most ``misses`` of them, so a flood of unknown keys neither grows memory nor pushes
    the known ones out."""

    def __init__(self, seconds: float, size: int = 4096, misses: int = 256) -> None:
        self.seconds = seconds
        self.size = size
        self.misses = misses
        self._values: OrderedDict[str, tuple[float, T]] = OrderedDict()
        self._misses: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, compute: Callable[[], T]) -> T:
        found, value = self.fresh(key)
        if found:
            return value  # type: ignore[return-value]
        value = compute()
        self.put(key, value)
        return value

    def put(self, key: str, value: T) -> None:
        now = time.monotonic()
        with self._lock:
            if value is None:
                self._values.pop(key, None)
                _keep(self._misses, key, now, self.misses)
            else:
                self._misses.pop(key, None)
                _keep(self._values, key, (now, value), self.size)

    def fresh(self, key: str) -> tuple[bool, T | None]:
        """``(True, value)`` when a fresh value (or a fresh miss, ``None``) is cached, else
        ``(False, None)``; computes nothing."""
        now = time.monotonic()
        with self._lock:
            hit = self._values.get(key)
            if hit is not None:
                if now - hit[0] < self.seconds:
                    self._values.move_to_end(key)
                    return True, hit[1]
                del self._values[key]
            missed = self._misses.get(key)
            if missed is not None:
                if now - missed < self.seconds:
                    return True, None
                del self._misses[key]
        return False, None

    def forget(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)
            self._misses.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._values) + len(self._misses)


def _keep(entries: OrderedDict[str, V], key: str, value: V, limit: int) -> None:
    """Put ``key`` last (most recent) and drop the oldest beyond ``limit``."""
    entries[key] = value
    entries.move_to_end(key)
    while len(entries) > limit:
        entries.popitem(last=False)


if TYPE_CHECKING:
    from .wait_outlook import Outlooks


@dataclass
class ServiceContext:
    db: Database
    locations: dict[str, Location]
    clock: Clock
    call_debounce: timedelta = timedelta(seconds=2)
    # A wait estimate may lag a little: recent service times are re-read at most every 30 s.
    service_times: TimedCache[object] = field(default_factory=lambda: TimedCache(30.0, size=256))
    open_desks: TimedCache[object] = field(default_factory=lambda: TimedCache(5.0, size=256))
    outlooks: Outlooks = field(default_factory=lambda: _outlooks())
    """Each location's queue played forward (``services/wait_outlook.py``), one per location."""

    def now(self) -> datetime:
        return self.clock()

    def location(self, location_id: str) -> Location:
        location = self.locations.get(location_id)
        if location is None:
            raise NotFound(f"There is no location '{location_id}'.", known=sorted(self.locations))
        return location

    @cached_property
    def group_commit(self) -> GroupCommit:
        return GroupCommit(self.db, self.clock)

    async def write(self, use_case: UseCase[T]) -> T:
        """Run ``use_case`` in a unit of work of its own through the group commit; its result once
        committed. The one way a server writes (call it on the event loop)."""
        return await self.group_commit.write(use_case)

    @contextmanager
    def read(self) -> Iterator[Stores]:
        """The stores in a read-only transaction (concurrent with the writer)."""
        with self.db.read() as conn:
            yield Stores(conn)


def _outlooks() -> Outlooks:
    from .wait_outlook import Outlooks

    return Outlooks()
