"""The "offline" badge: bound to the client's ``online`` observable, delivered on the UI thread."""

from __future__ import annotations

from collections.abc import Callable

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty

from queue_ticketing.client import Client

from ..worker import Schedule


class ConnectionViewModel(EventDispatcher):
    online = BooleanProperty(True)

    def __init__(self, client: Client, schedule: Schedule, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._schedule = schedule
        self._unsubscribe: Callable[[], None] = client.online.subscribe(self._changed, now=True)

    def _changed(self, online: bool) -> None:
        # The client calls from whichever thread noticed; the property changes on the UI thread.
        self._schedule(lambda: setattr(self, "online", online))

    def close(self) -> None:
        self._unsubscribe()
