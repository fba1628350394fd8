"""Forget what is only kept for a while: remembered idempotent answers, old live events, the
number blocks of past business days, and staff sessions long over."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from ..domain.clock import Clock
from ..domain.numbering import business_day
from ..store.database import Database
from ..store.number_blocks import NumberBlockStore
from ..store.unit_of_work import UnitOfWork

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


@dataclass(frozen=True)
class Forgotten:
    idempotency_keys: int
    events: int
    number_blocks: int = 0
    staff_sessions: int = 0


def forget_old(db: Database, clock: Clock) -> Forgotten:
    now = clock()
    with UnitOfWork(db, now) as uow:
        keys = uow.idempotency.forget_before(now - IDEMPOTENCY_RETENTION)
        events = uow.events.forget_before(now - EVENT_RETENTION)
        blocks = NumberBlockStore(uow.conn).forget_before(business_day(now - NUMBER_BLOCK_RETENTION))
        sessions = uow.sessions.forget_before(now - SESSION_RETENTION)
        uow.commit()
    return Forgotten(keys, events, blocks, sessions)


class Housekeeper:
    """Runs ``forget_old`` at start and then every ``interval`` in a background thread."""

    def __init__(self, db: Database, clock: Clock, interval: timedelta = timedelta(hours=1)) -> None:
        self.db = db
        self.clock = clock
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="housekeeping", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                forgotten = forget_old(self.db, self.clock)
                log.info("housekeeping", extra={"fields": {"idempotency_keys": forgotten.idempotency_keys,
                                                           "events": forgotten.events,
                                                           "number_blocks": forgotten.number_blocks,
                                                           "staff_sessions": forgotten.staff_sessions}})
            except Exception:
                log.exception("housekeeping failed; trying again later")
            self._stop.wait(self.interval.total_seconds())
