"""Network calls off the UI thread: a view-model hands a call to a ``Worker``; its result (or error)
comes back through a scheduler callable on the UI thread (in the app ``Clock.schedule_once``)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

Schedule = Callable[[Callable[[], None]], None]
"""Runs a callable on the UI thread, soon."""


class Worker(Protocol):
    def submit(self, call: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None]) -> None: ...


class InlineWorker:
    """Runs the call at once in the caller's thread and delivers at once: for tests, no threads."""

    def submit(self, call: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None]) -> None:
        try:
            result = call()
        except Exception as error:
            on_error(error)
            return
        on_done(result)


class ThreadWorker:
    """Runs calls on a small thread pool and delivers through ``schedule`` on the UI thread."""

    def __init__(self, schedule: Schedule, threads: int = 2) -> None:
        self._schedule = schedule
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kiosk-worker")

    def submit(self, call: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None]) -> None:
        def run() -> None:
            try:
                result = call()
            except Exception as error:
                failure = error  # ``error`` is unbound after the except block
                self._schedule(lambda: on_error(failure))
                return
            self._schedule(lambda: on_done(result))

        self._pool.submit(run)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def kivy_schedule(callback: Callable[[], None]) -> None:
    """The app's scheduler: the next frame of Kivy's main loop."""
    from kivy.clock import Clock

    Clock.schedule_once(lambda _dt: callback(), 0)
