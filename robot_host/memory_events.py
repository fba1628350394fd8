"""ALMemory events from a robot reached over the network, in the first of three ways that works.

1. ``ALMemory.subscriber(key).signal``: NAOqi's own way; from pip ``qi`` 3.x against NAOqi 2.5 it
   fails with ``RuntimeError: Invalid signature`` (reported on aldebaran/libqi-python's tracker).
2. ``ALMemory.subscribeToEvent(key, service, "onEvent")`` onto a service this program registers:
   the robot calls back, so this program must listen on an address the robot can reach
   (``listen_address``; a client session listens on 127.0.0.1 by default).
3. Polling ``ALMemory.getData`` for the few keys the host needs, at a short interval.

Each way is probed end to end: subscribe to a probe key, raise it, wait for it to arrive. The one
that works is said at WARNING (which way, and why the ones before it did not)."""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any, Protocol

import qi

log = logging.getLogger(__name__)

PERSON_ENTERED = "EngagementZones/PersonEnteredZone1"
PERSON_MOVED_AWAY = "EngagementZones/PersonMovedAway"
PERSON_LEFT = "PeoplePerception/JustLeft"
WORD_RECOGNIZED = "WordRecognized"
BATTERY_CHANGED = "BatteryChargeChanged"
MEMORY_EVENTS = (PERSON_ENTERED, PERSON_MOVED_AWAY, PERSON_LEFT, WORD_RECOGNIZED, BATTERY_CHANGED)
PEOPLE_IN_ZONE_1 = "EngagementZones/PeopleInZone1"
PEOPLE_LIST = "PeoplePerception/PeopleList"
PROBE = "Gastvrij/Probe"
EVENT_SERVICE = "GastvrijRobotHost"

OnEvent = Callable[[str, Any], object]


class EventSource(Protocol):
    way: str

    def close(self) -> None:
        """Stop receiving; undo subscriptions on the robot where the session still allows."""


class _Probe:
    """Waits for the probe event carrying ``token``."""

    def __init__(self) -> None:
        self.token = uuid.uuid4().hex
        self.arrived = threading.Event()

    def see(self, key: str, value: Any) -> bool:
        """True when this was the probe (and so is no event for the host)."""
        if key != PROBE:
            return False
        if value == self.token:
            self.arrived.set()
        return True


class SubscriberEvents:
    way = "ALMemory.subscriber"

    def __init__(self, memory: Any, on_event: OnEvent, probe_seconds: float) -> None:
        self._links: list[tuple[Any, Any, int]] = []  # (subscriber, signal, link): libqi drops a collected one
        probe = _Probe()
        self._follow(memory, PROBE, probe.see)
        memory.raiseEvent(PROBE, probe.token)
        if not probe.arrived.wait(probe_seconds):
            self.close()
            raise RuntimeError("the probe event never arrived through the subscriber's signal")
        for key in MEMORY_EVENTS:
            self._follow(memory, key, on_event)

    def _follow(self, memory: Any, key: str, on_event: OnEvent) -> None:
        subscriber = memory.subscriber(key)
        link = subscriber.signal.connect(lambda value, key=key: on_event(key, value))
        self._links.append((subscriber, subscriber.signal, link))

    def close(self) -> None:
        for _, signal, link in self._links:
            with contextlib.suppress(RuntimeError):
                signal.disconnect(link)
        self._links.clear()


class _Callbacks:
    """The service NAOqi calls back for ``subscribeToEvent`` (the old module signature)."""

    def __init__(self, on_event: OnEvent) -> None:
        self._on_event = on_event

    @qi.bind(qi.Void, [qi.String, qi.Dynamic, qi.String])
    def onEvent(self, key: str, value: Any, message: str) -> None:
        self._on_event(key, value)


class CallbackEvents:
    way = "ALMemory.subscribeToEvent"

    def __init__(self, session: Any, memory: Any, on_event: OnEvent, listen_address: str,
                 probe_seconds: float) -> None:
        self._session, self._memory = session, memory
        self._keys: list[str] = []
        probe = _Probe()

        def arrive(key: str, value: Any) -> None:
            if not probe.see(key, value):
                on_event(key, value)

        session.listen(listen_address)  # the robot connects back to this address
        self._service = _Callbacks(arrive)  # libqi keeps no reference of its own
        self._service_id: int | None = session.registerService(EVENT_SERVICE, self._service)
        try:
            self._subscribe(PROBE)
            memory.raiseEvent(PROBE, probe.token)
            if not probe.arrived.wait(probe_seconds):
                raise RuntimeError(f"the robot never called back on {listen_address}")
            for key in MEMORY_EVENTS:
                self._subscribe(key)
        except RuntimeError:
            self.close()
            raise

    def _subscribe(self, key: str) -> None:
        self._memory.subscribeToEvent(key, EVENT_SERVICE, "onEvent")
        self._keys.append(key)

    def close(self) -> None:
        for key in self._keys:
            with contextlib.suppress(RuntimeError):
                self._memory.unsubscribeToEvent(key, EVENT_SERVICE)
        self._keys.clear()
        if self._service_id is not None:
            with contextlib.suppress(RuntimeError):
                self._session.unregisterService(self._service_id)
            self._service_id = None


class PolledEvents:
    """Reads the people in view and in zone 1, the last recognised words and the battery every
    ``interval`` seconds and turns their changes into the same events."""

    way = "ALMemory.getData polling"

    def __init__(self, memory: Any, on_event: OnEvent, interval: float) -> None:
        self._memory = memory
        self._on_event = on_event
        self._interval = interval
        self._stop = threading.Event()
        self._in_view = set(self._ids(PEOPLE_LIST))  # who was there before is no news
        self._in_zone = set(self._ids(PEOPLE_IN_ZONE_1))
        self._battery = self._read(BATTERY_CHANGED)
        self._thread = threading.Thread(target=self._run, name="pepper-memory-poll", daemon=True)
        self._thread.start()

    def _read(self, key: str) -> Any:
        try:
            return self._memory.getData(key)
        except RuntimeError as error:
            if "not found" in str(error).lower():  # a key nothing raised yet
                return None
            raise

    def _ids(self, key: str) -> list[int]:
        value = self._read(key)
        return [int(v) for v in value] if isinstance(value, list) else []

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._poll()
            except RuntimeError as error:  # the session is dropping; the keeper reconnects
                log.debug("memory poll failed", extra={"fields": {"error": str(error)[:200]}})
                return

    def _poll(self) -> None:
        in_view, in_zone = set(self._ids(PEOPLE_LIST)), set(self._ids(PEOPLE_IN_ZONE_1))
        for person in sorted(in_zone - self._in_zone):
            self._on_event(PERSON_ENTERED, person)
        for person in sorted((self._in_zone - in_zone) & in_view):
            self._on_event(PERSON_MOVED_AWAY, person)
        for person in sorted(self._in_view - in_view):
            self._on_event(PERSON_LEFT, person)
        self._in_view, self._in_zone = in_view, in_zone
        words = self._read(WORD_RECOGNIZED)
        if isinstance(words, list) and words and str(words[0]).strip():
            # Taken, so that the same phrase said again is seen again.
            self._memory.insertData(WORD_RECOGNIZED, [])
            self._on_event(WORD_RECOGNIZED, words)
        battery = self._read(BATTERY_CHANGED)
        if battery is not None and battery != self._battery:
            self._battery = battery
            self._on_event(BATTERY_CHANGED, battery)

    def close(self) -> None:
        self._stop.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)


def follow_memory_events(session: Any, memory: Any, on_event: OnEvent, *, listen_address: str,
                         probe_seconds: float = 2.0, poll_interval: float = 0.1,
                         ways: tuple[str, ...] = ("subscriber", "callback", "polling")) -> EventSource:
    """The first way of receiving ALMemory events that works on this robot (see the module)."""
    failures: list[str] = []
    source: EventSource
    for way in ways:
        try:
            if way == "subscriber":
                source = SubscriberEvents(memory, on_event, probe_seconds)
            elif way == "callback":
                source = CallbackEvents(session, memory, on_event, listen_address, probe_seconds)
            else:
                source = PolledEvents(memory, on_event, poll_interval)
        except RuntimeError as error:
            failures.append(f"{way}: {str(error)[:160]}")
            continue
        log.warning("robot events", extra={"fields": {"way": source.way, "not_used": failures}})
        return source
    raise RuntimeError("no way to receive the robot's events: " + "; ".join(failures))
