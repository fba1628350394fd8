"""Replaying the outbox: in order, each entry with its own Idempotency-Key, until it is empty or
the server stops answering; and the background thread that does so without blocking anyone."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..domain.clock import Clock
from .errors import BadResponse, ClientClosed, Offline, Rejected, ServerError, Unauthorized
from .models import SyncReport
from .observable import Observable
from .outbox import Outbox
from .transport import Transport

log = logging.getLogger(__name__)

TRANSIENT = (Offline, ServerError, BadResponse)
"""Failures that may pass: the entry stays in the outbox and is sent again later."""


class Claims:
    """Keys that a caller is sending right now: the replayer leaves those entries alone, so one
    entry is never in flight twice from this process."""

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        with self._lock:
            if key in self._keys:
                return False
            self._keys.add(key)
            return True

    def release(self, key: str) -> None:
        with self._lock:
            self._keys.discard(key)

    @contextmanager
    def holding(self, key: str) -> Iterator[str]:
        if not self.claim(key):
            raise RuntimeError(f"key {key} is already being sent")
        try:
            yield key
        finally:
            self.release(key)

    def snapshot(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._keys)


class Replayer:
    """Drains the outbox. One drain at a time (``sync()`` and the background thread take turns)."""

    def __init__(self, outbox: Outbox, transport: Transport, online: Observable[bool], claims: Claims,
                 clock: Clock) -> None:
        self.outbox = outbox
        self.transport = transport
        self.online = online
        self.claims = claims
        self.clock = clock
        self._turn = threading.Lock()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for a drain in progress to end, and keep others out meanwhile."""
        with self._turn:
            yield

    def drain(self, stopping: threading.Event) -> SyncReport:
        started = time.monotonic()
        replayed = rejected = 0
        stopped: str | None = None
        with self._turn:
            after = 0
            while True:
                if stopping.is_set():
                    stopped = "closed"
                    break
                entry = self.outbox.next_pending(after, self.claims.snapshot())
                if entry is None:
                    break
                after = entry.seq
                if not self.claims.claim(entry.key):
                    continue  # a caller took it just now
                try:
                    answer = self.transport.request(entry.method, entry.path, body=entry.body, key=entry.key)
                except Unauthorized:
                    # The token was revoked or replaced: keep everything for when it works again.
                    self.online.set(True)
                    stopped = "unauthorized"
                    break
                except Rejected as refusal:
                    self.online.set(True)
                    self.outbox.reject(entry.key, refusal.status, refusal.code, refusal.detail, self.clock())
                    rejected += 1
                    log.warning("outbox entry refused", extra={"fields": {
                        "action": entry.action, "status": refusal.status, "code": refusal.code}})
                    continue
                except ClientClosed:
                    stopped = "closed"
                    break
                except TRANSIENT as failure:
                    self.online.set(False)
                    stopped = "busy" if isinstance(failure, ServerError) else "offline"
                    break
                finally:
                    self.claims.release(entry.key)
                self.outbox.settle(entry, answer.status, answer.data, self.clock())
                self.online.set(True)
                replayed += 1
        report = SyncReport(replayed, rejected, self.outbox.pending_count(), time.monotonic() - started, stopped)
        if replayed or rejected:
            log.info("outbox drained", extra={"fields": {
                "replayed": replayed, "rejected": rejected, "remaining": report.remaining,
                "seconds": round(report.seconds, 3), "stopped": stopped}})
        return report


class SyncThread:
    """Runs ``work`` now and then in a daemon thread: every ``interval`` while it succeeds, backing
    off (with jitter) up to ``max_interval`` while it fails, and at once when woken."""

    def __init__(self, work: Callable[[], bool], interval: float, max_interval: float) -> None:
        self.work = work
        self.interval = interval
        self.max_interval = max(max_interval, interval)
        self.stopping = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gastvrij-outbox-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float) -> None:
        self.stopping.set()
        self._wake.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        delay = 0.0
        while True:
            self._wake.wait(delay)
            self._wake.clear()
            if self.stopping.is_set():
                return
            try:
                ok = self.work()
            except Exception:
                log.exception("outbox sync failed")
                ok = False
            if ok:
                delay = self.interval
            else:
                delay = min(self.max_interval, max(self.interval, delay * 2)) * random.uniform(0.8, 1.0)
