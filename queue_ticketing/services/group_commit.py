"""Group commit: the server's one writer. The write requests that are ready together run in one
transaction; a lone write is a batch of one."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Protocol, TypeVar

from ..domain.audit import Actor
from ..domain.clock import Clock
from ..store.database import Database
from ..store.unit_of_work import SYSTEM
from ..store.unit_of_work import UnitOfWork as UnitOfWork  # what a use case is given; routes name it from here
from ..store.write_batch import WriteBatch

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

BATCH_LIMIT = 64
"""Units of work in one transaction at most, so one batch never holds the writer for long (and,
on PostgreSQL, its savepoints stay within the 64 subtransactions a backend keeps cached)."""


class UseCase(Protocol[T_co]):
    """A use case bound to its arguments, waiting for its unit of work: what a caller hands the
    writer. Its result is the caller's answer; an exception rolls back its writes alone."""

    def __call__(self, uow: UnitOfWork, /) -> T_co: ...


ACTOR: ContextVar[Actor] = ContextVar("actor", default=SYSTEM)
"""Who the current request acts as (set once its caller is known, ``api.dependencies.note_caller``):
the actor of the audit records its writes leave."""

_Queued = tuple[Callable[[WriteBatch], Any], "asyncio.Future[Any]", Actor]
_Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]


class GroupCommit:
    """The server's writer. Instead of one transaction per request, the requests waiting when the
    writer gets its turn run one after another in one ``WriteBatch`` (each in a savepoint of its
    own) and are answered after its one commit: the commit, the event-id counter and the pages
    or row locks they share are paid once per batch, and writers never queue on each other's
    row locks. Nobody waits for company: a batch is whatever queued while the previous one ran,
    so a lone request is written at once.

    Every write of a server process comes through here (routes, housekeeping), so nothing else
    takes the database's write lock and the event loop never waits on it: a caller waits for its
    batch by ``await``, while the loop goes on serving. On SQLite (one writer at a time anyway)
    the batch runs on the event loop; on PostgreSQL in a thread, one batch at a time per server
    process. Call ``write`` and ``run`` on the event loop only."""

    def __init__(self, db: Database, clock: Clock, limit: int = BATCH_LIMIT) -> None:
        self.db = db
        self.clock = clock
        self.limit = limit
        self._queue: deque[_Queued] = deque()
        self._writing = False
        self._writer: asyncio.Future[None] | None = None

    async def write(self, use_case: UseCase[T]) -> T:
        """Run ``use_case`` in a unit of work of its own in the next batch; its result (or
        exception) once the batch committed."""
        return await self.run(lambda batch: batch.run(use_case))

    async def run(self, work: Callable[[WriteBatch], T]) -> T:
        """Run ``work`` in the next batch (it may open more than one unit of work, as running once
        per Idempotency-Key does); its result (or exception) once the batch committed."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.append((work, future, ACTOR.get()))
        if not self._writing:
            self._writing = True
            # A task starts after the requests that are ready in this turn of the loop: they join.
            self._writer = asyncio.ensure_future(self._write_while_queued())
        return await future

    async def _write_while_queued(self) -> None:
        try:
            while self._queue:
                batch = [self._queue.popleft() for _ in range(min(self.limit, len(self._queue)))]
                batch = [queued for queued in batch if not queued[1].done()]  # cancelled
                if not batch:
                    continue
                if self.db.is_sqlite:
                    outcomes, written = self._write(batch)
                else:
                    outcomes, written = await asyncio.to_thread(self._write, batch)
                for future, result, failure in outcomes:
                    if future.done():
                        continue
                    if failure is None:
                        future.set_result(result)
                    else:
                        future.set_exception(failure)
                if written is not None:
                    written.announce()  # after the answers: they are sent first
                await asyncio.sleep(0)  # read what arrived meanwhile: it makes the next batch
        finally:
            self._writing = False

    def _write(self, batch: list[_Queued]) -> tuple[list[_Outcome], WriteBatch | None]:
        outcomes: list[_Outcome] = []
        try:
            with WriteBatch(self.db, self.clock) as transaction:
                for work, future, actor in batch:
                    transaction.actor = actor
                    try:
                        outcomes.append((future, work(transaction), None))
                    except Exception as error:
                        if not transaction.alive:
                            raise
                        outcomes.append((future, None, error))
                transaction.commit()
        except Exception as error:  # nothing of the batch was written
            return [(future, None, error) for _, future, _ in batch], None
        return outcomes, transaction
