"""Group commit: on SQLite the write requests that are ready together run in one transaction."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from ..domain.clock import Clock
from ..store.database import Database
from ..store.write_batch import WriteBatch

T = TypeVar("T")

BATCH_LIMIT = 64
"""Units of work in one transaction at most, so one batch never holds the loop for long."""


class GroupCommit:
    """SQLite has one writer, and the server runs its writes on the event loop. Instead of one
    transaction per request, the requests waiting when the writer gets its turn run one after
    another in one ``WriteBatch`` (each in a savepoint of its own) and are answered after its one
    commit: the commit, the event-id counter and the log pages they share are paid once per
    batch. Nobody waits for company: a batch is whatever queued while the previous one ran, so a
    lone request is written at once. Call ``run`` on the event loop only."""

    def __init__(self, db: Database, clock: Clock, limit: int = BATCH_LIMIT) -> None:
        self.db = db
        self.clock = clock
        self.limit = limit
        self._queue: deque[tuple[Callable[[WriteBatch], Any], asyncio.Future[Any]]] = deque()
        self._scheduled = False

    async def run(self, work: Callable[[WriteBatch], T]) -> T:
        """Run ``work`` in the next batch; its result (or exception) once the batch committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((work, future))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._write)  # after the requests that are ready in this turn of the loop
        return await future

    def _write(self) -> None:
        self._scheduled = False
        batch = [self._queue.popleft() for _ in range(min(self.limit, len(self._queue)))]
        if self._queue:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._write)
        batch = [(work, future) for work, future in batch if not future.done()]  # cancelled meanwhile
        if not batch:
            return
        outcomes: list[tuple[asyncio.Future[Any], Any, BaseException | None]] = []
        try:
            with WriteBatch(self.db, self.clock()) as transaction:
                for work, future in batch:
                    try:
                        outcomes.append((future, work(transaction), None))
                    except Exception as error:
                        if not transaction.alive:
                            raise
                        outcomes.append((future, None, error))
                transaction.commit()
        except BaseException as error:
            for _, future in batch:  # nothing of the batch was written
                if not future.done():
                    future.set_exception(error)
            if not isinstance(error, Exception):
                raise
            return
        for future, result, failure in outcomes:
            if future.done():
                continue
            if failure is None:
                future.set_result(result)
            else:
                future.set_exception(failure)
