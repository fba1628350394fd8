"""SQLite's write-ahead log copied back into the database file by a thread of its own.

By default the connection whose commit fills the log past 1,000 pages copies it back itself,
inside that commit, with an fsync: on the server that is the one writer, on the event loop, so
every few dozen ticket issues one waited 5–30 ms. Here the writer never checkpoints and this
thread does it, off the loop (the driver lets go of the GIL while SQLite works); SQLite lets a
checkpoint run while the writer goes on appending to the log."""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger(__name__)

COMMITS_PER_CHECKPOINT = 64
"""Commits of the writer after which the thread is woken (each adds a few pages to the log)."""
IDLE_SECONDS = 1.0
"""And at least this often while anything was written."""


class Checkpointer:
    def __init__(self, path: str) -> None:
        self.path = path
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._commits = 0
        self._thread: threading.Thread | None = None

    def committed(self) -> None:
        """The writer committed (called on its thread; cheap)."""
        self._commits += 1
        if self._commits % COMMITS_PER_CHECKPOINT == 0:
            self._wake.set()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout=10000")
            seen = 0
            while not self._stop.is_set():
                self._wake.wait(IDLE_SECONDS)
                self._wake.clear()
                if self._commits == seen:
                    continue
                seen = self._commits
                try:
                    # PASSIVE: copies what no reader still needs, never waits for the writer.
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    log.exception("checkpoint failed; the next one tries again")
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            conn.close()
