"""The robot host at work: one worker thread runs the behaviour over the events that the robot
(``naoqi_adapter.Pepper``) and the central service (``central_service.CentralService``) hand in,
and gives each command to the side that carries it out."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from queue_ticketing.domain.clock import Clock, system_clock

from .behaviour import HostState, handle
from .commands import CENTRAL_COMMANDS, Command
from .events import Event, Tick

log = logging.getLogger(__name__)


class RobotHost:
    """``emit`` may be called from any thread; the state machine only ever runs on the worker."""

    def __init__(self, state: HostState, *, clock: Clock = system_clock, tick_seconds: float = 1.0) -> None:
        self.state = state
        self._clock = clock
        self._tick_seconds = tick_seconds
        self._events: queue.Queue[Event | None] = queue.Queue()
        self._robot: Callable[[Command], None] = lambda command: None
        self._central: Callable[[Command], None] = lambda command: None
        self._thread = threading.Thread(target=self._run, name="robot-host", daemon=True)
        self.handled = 0

    def connect(self, robot: Callable[[Command], None], central: Callable[[Command], None]) -> None:
        self._robot = robot
        self._central = central

    def emit(self, event: Event) -> None:
        self._events.put(event)

    def start(self) -> RobotHost:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._events.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            try:
                event = self._events.get(timeout=self._tick_seconds)
            except queue.Empty:
                event = Tick()
            if event is None:
                return
            before = self.state.mode
            self.state, commands = handle(self.state, event, self._clock())
            self.handled += 1
            if self.state.mode != before:
                log.info("robot state", extra={"fields": {"from": before, "to": self.state.mode,
                                                          "event": type(event).__name__}})
            for command in commands:
                (self._central if isinstance(command, CENTRAL_COMMANDS) else self._robot)(command)
