"""What every use case needs: the database, the locations, the clock, and short-lived caches."""

from __future__ import annotations

import threading
import time
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


class TimedCache(Generic[T]):
    """A value per key, recomputed when older than ``seconds`` (monotonic time)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._values: dict[str, tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._values.get(key)
        if hit and now - hit[0] < self.seconds:
            return hit[1]
        value = compute()
        with self._lock:
            self._values[key] = (now, value)
        return value

    def fresh(self, key: str) -> tuple[bool, T | None]:
        """``(True, value)`` when a fresh value is cached, else ``(False, None)``; computes nothing."""
        with self._lock:
            hit = self._values.get(key)
        if hit and time.monotonic() - hit[0] < self.seconds:
            return True, hit[1]
        return False, None

    def forget(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)


if TYPE_CHECKING:
    from .wait_outlook import Outlooks


@dataclass
class ServiceContext:
    db: Database
    locations: dict[str, Location]
    clock: Clock
    call_debounce: timedelta = timedelta(seconds=2)
    # A wait estimate may lag a little: recent service times are re-read at most every 30 s.
    service_times: TimedCache[object] = field(default_factory=lambda: TimedCache(30.0))
    open_desks: TimedCache[object] = field(default_factory=lambda: TimedCache(5.0))
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
