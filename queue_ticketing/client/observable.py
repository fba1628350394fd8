"""A value that tells its subscribers when it changes (the kiosk's online/offline badge).

Callbacks run in the thread that changed the value (often the background sync thread): a GUI hops
to its own thread from there (Kivy: ``Clock.schedule_once``). A failing callback is logged and does
not stop the others."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class Observable(Generic[T]):
    def __init__(self, value: T) -> None:
        self._value = value
        self._callbacks: list[Callable[[T], None]] = []
        self._lock = threading.Lock()
        self._changing = threading.RLock()

    @property
    def value(self) -> T:
        return self._value

    def subscribe(self, callback: Callable[[T], None], *, now: bool = False) -> Callable[[], None]:
        """Call ``callback(new_value)`` on every change (and at once with ``now=True``); returns
        a function that unsubscribes it."""
        with self._lock:
            self._callbacks.append(callback)
        if now:
            self._call(callback, self._value)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    def set(self, value: T) -> bool:
        """Change the value; True (and subscribers told) when it differs from the old one.
        Changes are told one after the other, in the order they happened."""
        with self._changing:
            with self._lock:
                if value == self._value:
                    return False
                self._value = value
                callbacks = list(self._callbacks)
            for callback in callbacks:
                self._call(callback, value)
        return True

    @staticmethod
    def _call(callback: Callable[[T], None], value: T) -> None:
        try:
            callback(value)
        except Exception:
            log.exception("a subscriber of a client value failed")
