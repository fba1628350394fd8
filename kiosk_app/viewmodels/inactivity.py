"""Inactivity: after ``idle_seconds`` without a touch an "Are you still there?" countdown; when it runs
out everything is reset and the welcome screen shows in Dutch. Time comes from an injected clock; the
app calls ``tick()`` every second (Kivy Clock), tests call it after moving their clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty

IDLE_SECONDS = 45
COUNTDOWN_SECONDS = 15


class InactivityViewModel(EventDispatcher):
    asking = BooleanProperty(False)
    """True while "Are you still there?" is shown."""
    seconds_left = NumericProperty(0)

    def __init__(self, clock: Callable[[], datetime], on_reset: Callable[[], None],
                 idle_seconds: float = IDLE_SECONDS, countdown_seconds: float = COUNTDOWN_SECONDS,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._clock = clock
        self._on_reset = on_reset
        self._idle = idle_seconds
        self._countdown = countdown_seconds
        self._last_touch = clock()
        self._visit = False

    def touched(self) -> None:
        """Any touch: the visitor is here (also "Yes, I am still here")."""
        self._last_touch = self._clock()
        self._visit = True
        self.asking = False
        self.seconds_left = 0

    def rest(self) -> None:
        """The welcome screen is showing: no visit, nothing to time out."""
        self._visit = False
        self.asking = False
        self.seconds_left = 0

    def tick(self) -> None:
        if not self._visit:
            return  # the welcome screen waits for ever
        quiet = (self._clock() - self._last_touch).total_seconds()
        if quiet < self._idle:
            return
        left = self._idle + self._countdown - quiet
        if left > 0:
            self.asking = True
            self.seconds_left = int(left + 0.999)
            return
        self.asking = False
        self.seconds_left = 0
        self._visit = False
        self._on_reset()
