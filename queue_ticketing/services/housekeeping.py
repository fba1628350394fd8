"""Forget what is only kept for a while: remembered idempotent answers, old live events, the
number blocks of past business days, staff sessions long over, and audit records past their
retention (two years by default).

Housekeeping writes like every request does, through the group commit, in rounds of at most
``FORGET_AT_ONCE`` rows per table, each round a unit of work of its own. A round holds the writer
for a few milliseconds; the requests that arrive meanwhile go in the same or the next batch, so a
long run (a week of events after a restart, a slow disk) never stalls ticket issues or the event
loop, however much there is to forget."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..domain.clock import Clock
from ..domain.numbering import business_day
from ..store.unit_of_work import UnitOfWork
from .group_commit import GroupCommit

log = logging.getLogger(__name__)

IDEMPOTENCY_RETENTION = timedelta(hours=48)
"""Longer than any kiosk stays offline with an unconfirmed action in its outbox."""
EVENT_RETENTION = timedelta(days=7)
NUMBER_BLOCK_RETENTION = IDEMPOTENCY_RETENTION
"""A block is no use after its business day (its tickets are refused then), but it is kept as long
as a kiosk may still hand in a ticket from it, so that gets the clear ``business_day_over`` and not
"no such block"."""
SESSION_RETENTION = timedelta(days=7)
"""How long a staff session is kept after it ended or expired (``tokens list`` counts open ones only)."""
AUDIT_RETENTION = timedelta(days=730)
"""How long the audit trail is kept by default (``GASTVRIJ_AUDIT_RETENTION_DAYS``)."""
FORGET_AT_ONCE = 500
"""Rows of one table forgotten in one round at most (a few milliseconds of the writer's time)."""


@dataclass(frozen=True)
class Forgotten:
    idempotency_keys: int = 0
    events: int = 0
    number_blocks: int = 0
    staff_sessions: int = 0
    audit_events: int = 0

    def __add__(self, other: Forgotten) -> Forgotten:
        return Forgotten(self.idempotency_keys + other.idempotency_keys, self.events + other.events,
                         self.number_blocks + other.number_blocks, self.staff_sessions + other.staff_sessions,
                         self.audit_events + other.audit_events)


async def _next_turn(_: Forgotten) -> None:
    return None


def _forget_some(uow: UnitOfWork, now: datetime, at_once: int, audit_retention: timedelta) -> Forgotten:
    return Forgotten(uow.idempotency.forget_before(now - IDEMPOTENCY_RETENTION, at_once),
                     uow.events.forget_before(now - EVENT_RETENTION, at_once),
                     uow.number_blocks.forget_before(business_day(now - NUMBER_BLOCK_RETENTION)),
                     uow.sessions.forget_before(now - SESSION_RETENTION, at_once),
                     uow.audit.forget_before(now - audit_retention, at_once))


async def forget_old(writer: GroupCommit, clock: Clock, *, at_once: int = FORGET_AT_ONCE,
                     between_rounds: Callable[[Forgotten], Awaitable[None]] = _next_turn,
                     audit_retention: timedelta = AUDIT_RETENTION) -> Forgotten:
    """Forget everything older than its retention, in rounds of at most ``at_once`` rows per
    table through the group commit; ``between_rounds`` is awaited with the count so far after
    every round that left more to do. Returns how much was forgotten."""
    now = clock()
    total = Forgotten()
    while True:
        some = await writer.write(lambda uow: _forget_some(uow, now, at_once, audit_retention))
        total += some
        if max(some.idempotency_keys, some.events, some.staff_sessions, some.audit_events) < at_once:
            return total
        await between_rounds(total)


class Housekeeper:
    """Runs ``forget_old`` at start and then every ``interval``, as a task on the server's event loop."""

    def __init__(self, writer: GroupCommit, clock: Clock, interval: timedelta = timedelta(hours=1),
                 audit_retention: timedelta = AUDIT_RETENTION) -> None:
        self.writer = writer
        self.audit_retention = audit_retention
        self.clock = clock
        self.interval = interval
        self.at_once = FORGET_AT_ONCE
        self.between_rounds: Callable[[Forgotten], Awaitable[None]] = _next_turn
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start on the running event loop."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name="housekeeping")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                forgotten = await forget_old(self.writer, self.clock, at_once=self.at_once,
                                             between_rounds=self.between_rounds,
                                             audit_retention=self.audit_retention)
                log.info("housekeeping", extra={"fields": {"idempotency_keys": forgotten.idempotency_keys,
                                                           "events": forgotten.events,
                                                           "number_blocks": forgotten.number_blocks,
                                                           "staff_sessions": forgotten.staff_sessions,
                                                           "audit_events": forgotten.audit_events}})
            except Exception:
                log.exception("housekeeping failed; trying again later")
            await asyncio.sleep(self.interval.total_seconds())
