"""LISTEN/NOTIFY: commits made by other server processes reach this process's bus."""

from __future__ import annotations

import logging
import threading

import psycopg
from sqlalchemy.engine import make_url

from ..store.events import NOTIFY_CHANNEL
from .bus import EventBus

log = logging.getLogger(__name__)


def libpq_dsn(sqlalchemy_url: str) -> str:
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PostgresListener:
    def __init__(self, url: str, bus: EventBus) -> None:
        self.dsn = libpq_dsn(url)
        self.bus = bus
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pg-listen", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        backoff = 0.2
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.ready.set()
                    backoff = 0.2
                    # Commits made while we were away: let every open stream catch up.
                    self.bus.notify(self.bus.watched_locations())
                    while not self._stop.is_set():
                        locations = {n.payload for n in conn.notifies(timeout=0.2)}
                        if locations:
                            self.bus.notify(locations)
            except psycopg.Error:
                log.warning("event listener lost its connection; reconnecting", exc_info=True)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
