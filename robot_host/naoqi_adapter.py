"""The one place that speaks NAOqi: ``Pepper`` owns the qi session, the services and the
subscriptions, turns NAOqi events into behaviour events, and maps each robot command to its NAOqi
calls in ``_speak`` and ``_act``.

Connecting is done in this order, and the robot's settings change only once it is complete:
the services (ALTabletService and ALFaceDetection may be missing: a rebooting tablet must not stop
the robot greeting), the installed language packs, a way to receive ALMemory events that works
(``memory_events``), the tablet's signals; then the settings (``robot_settings``). ``close()``
restores every setting it changed, one by one, going on past any that fails.

Two workers carry out commands in order: one for everything that uses the voice and the ears
(say, listen, the recognizer's language and vocabulary: never two recognition calls at once, and
the robot listens only once it has finished speaking), one for the body and the tablet (pointing,
turning, pages). ``StopSpeech`` goes straight to the robot. Callbacks only hand events to ``emit``.
When the session drops, a keeper thread reconnects, sets up again and emits ``RobotReconnected``."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import queue
import socket
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import qi

from location_config import Placement, Position

from .commands import Command, Listen, PointAt, Reset, Say, SetLanguage, ShowTablet, StopSpeech
from .events import (
    BatteryLevel,
    Event,
    PersonEntered,
    PersonLeft,
    PersonMovedAway,
    RobotLanguages,
    RobotReconnected,
    SpeechFinished,
    SpeechRecognised,
    TabletStatus,
    TabletTapped,
)
from .intents import speakable
from .memory_events import (
    BATTERY_CHANGED,
    PERSON_ENTERED,
    PERSON_LEFT,
    PERSON_MOVED_AWAY,
    WORD_RECOGNIZED,
    EventSource,
    follow_memory_events,
)
from .pointing import aim
from .robot_settings import SUBSCRIBER, RobotSettings, host_settings, undo_each
from .speech import SPOKEN

log = logging.getLogger(__name__)
Emit = Callable[[Event], None]

NAOQI_LANGUAGES = {"nl": "Dutch", "en": "English", "tr": "Turkish", "pl": "Polish", "ar": "Arabic"}
FRAME_ROBOT = 2
POINTING_SPEED = 0.5
REQUIRED = ("ALMemory", "ALTextToSpeech", "ALAnimatedSpeech", "ALSpeechRecognition", "ALTracker", "ALMotion",
            "ALBasicAwareness", "ALBattery", "ALAutonomousLife", "ALPeoplePerception", "ALEngagementZones")
OPTIONAL = ("ALTabletService", "ALFaceDetection")


def local_address_towards(url: str) -> str:
    """The address of this machine on the way to ``url``'s host: where the robot can call back."""
    host = urlsplit(url.replace("tcp://", "http://", 1)).hostname or "127.0.0.1"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect((host, 9))  # UDP: no packet is sent, the routing table picks the address
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def is_loopback_url(url: str) -> bool:
    """True when ``url`` names this machine's loopback (which a tablet can never reach)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    with contextlib.suppress(ValueError):  # not an address: a name, looked up below
        return ipaddress.ip_address(host).is_loopback
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False  # a name only the tablet's network knows
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


class _Worker:
    """Runs ``handle`` over queued items, one after the other, on its own thread."""

    def __init__(self, name: str, handle: Callable[[Command], None]) -> None:
        self._items: queue.Queue[Command | None] = queue.Queue()
        self._handle = handle
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def put(self, item: Command) -> None:
        self._items.put(item)

    def next_is(self, kind: type) -> bool:
        with self._items.mutex:
            return bool(self._items.queue) and isinstance(self._items.queue[0], kind)

    def empty(self) -> bool:
        return self._items.empty()

    def clear(self, kind: type) -> None:
        """Drops the waiting items of ``kind``."""
        with self._items.mutex:
            kept = [item for item in self._items.queue if not isinstance(item, kind)]
            self._items.queue.clear()
            self._items.queue.extend(kept)

    def stop(self) -> None:
        self._items.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while (item := self._items.get()) is not None:
            self._handle(item)


class Pepper:
    """The robot over qi. ``start()`` connects (retrying until ``connect_timeout``)."""

    def __init__(self, url: str, emit: Emit, *, tablet_url: Callable[[str, str], str],
                 placement: Placement | None = None, listen_address: str | None = None,
                 memory_ways: tuple[str, ...] = ("subscriber", "callback", "polling"),
                 home_language: str = "nl", retry_seconds: float = 0.5, poll_interval: float = 0.1) -> None:
        self.url = url
        self._emit = emit
        self._tablet_url = tablet_url
        self._placement = placement or Placement(Position(0.0, 0.0), 0.0)
        self._listen_address = listen_address or f"tcp://{local_address_towards(url)}:0"
        self._memory_ways = memory_ways
        self._home = home_language
        self._retry_seconds = retry_seconds
        self._poll_interval = poll_interval
        self._lock = threading.RLock()
        self._session: qi.Session | None = None
        self._services: dict[str, Any] = {}
        self._events: EventSource | None = None
        self._links: list[tuple[Any, int]] = []  # (signal, link) on the tablet
        self._settings: RobotSettings | None = None
        self.spoken: tuple[str, ...] = ()
        self.events_way: str | None = None
        self._asr_language: str | None = None
        self._listening_language = home_language
        self._recognising = False
        self._webview_shown = False
        self._page_failed = False
        self._turned = 0.0  # radians the base turned from its heading, to turn back
        self._connected = threading.Event()
        self._lost = threading.Event()
        self._stopping = threading.Event()
        self._voice = _Worker("pepper-voice", self._speak)
        self._body = _Worker("pepper-body", self._act)
        self._keeper = threading.Thread(target=self._keep_connected, name="pepper-session", daemon=True)
        self.connections = 0

    # ------------------------------------------------------------------------------------ lifecycle

    def start(self, connect_timeout: float = 10.0) -> Pepper:
        self._voice.start()
        self._body.start()
        self._keeper.start()
        if not self._connected.wait(connect_timeout):
            log.warning("robot not reachable yet", extra={"fields": {"url": self.url}})
        return self

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def close(self) -> None:
        """Stop listening, restore every robot setting changed and disconnect."""
        self._stopping.set()
        self._voice.stop()
        self._body.stop()
        with self._lock:
            if self._session is not None and self._connected.is_set():
                self._restore()
            self._connected.clear()
            self._drop_session()
        self._lost.set()
        self._keeper.join(timeout=5)

    def _keep_connected(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                self._connect()
            except RuntimeError as error:
                failures += 1
                # The first failure and every 20th after it at WARNING: a robot that never answers is news.
                level = logging.WARNING if failures % 20 == 1 else logging.DEBUG
                log.log(level, "robot connect failed", extra={"fields": {"url": self.url, "attempt": failures,
                                                                         "error": str(error)[:300]}})
                self._stopping.wait(self._retry_seconds)
                continue
            failures = 0
            self.connections += 1
            if self.connections > 1:
                self._emit(RobotReconnected())
            self._lost.wait()
            with self._lock:
                self._connected.clear()
                if not self._stopping.is_set():
                    log.warning("robot session lost", extra={"fields": {"url": self.url}})
                    self._drop_session()

    def _connect(self) -> None:
        session = qi.Session()
        try:
            session.connect(self.url)
            self._set_up(session)
        except RuntimeError:
            with self._lock:
                self._drop_session()
            with contextlib.suppress(RuntimeError):
                session.close()
            raise

    def _set_up(self, session: qi.Session) -> None:
        """Services, languages, events and tablet signals first; the robot's settings only once
        all of that works (a RuntimeError anywhere: the keeper tries again)."""
        with self._lock:
            self._session = session
            self._lost.clear()
            self._recognising = False
            self._asr_language = None
            self._webview_shown = False
            session.disconnected.connect(lambda *_: self._lost.set())
            services = {name: session.service(name) for name in REQUIRED}
            for name in OPTIONAL:
                services[name] = self._optional(session, name)
            self._services = services
            self.spoken = self._installed_languages(services)
            self._events = follow_memory_events(session, services["ALMemory"], self._on_memory,
                                                listen_address=self._listen_address, ways=self._memory_ways,
                                                poll_interval=self._poll_interval)
            self.events_way = self._events.way
            self._follow_tablet(services.get("ALTabletService"))
            home = self._home if self._home in self.spoken else (self.spoken[0] if self.spoken else "en")
            self._home = home
            if self._settings is None:
                self._settings = RobotSettings(host_settings(NAOQI_LANGUAGES[home]))
            self._settings.apply(services)
            self._asr_language = NAOQI_LANGUAGES[home]
            # Read before the first change event can arrive, so a later change always comes after it.
            self._emit(RobotLanguages(self.spoken))
            self._emit(BatteryLevel(int(services["ALBattery"].getBatteryCharge())))
            self._emit(TabletStatus(self._wifi(services.get("ALTabletService"))))
            self._connected.set()

    @staticmethod
    def _optional(session: qi.Session, name: str, level: int = logging.WARNING) -> Any:
        try:
            return session.service(name)
        except RuntimeError as error:
            log.log(level, "robot service missing, going on without it",
                    extra={"fields": {"service": name, "error": str(error)[:200]}})
            return None

    def _installed_languages(self, services: dict[str, Any]) -> tuple[str, ...]:
        """The languages both speech and recognition have a pack for, of those the host speaks."""
        speech = set(services["ALTextToSpeech"].getAvailableLanguages())
        hearing = set(services["ALSpeechRecognition"].getAvailableLanguages())
        spoken = tuple(code for code in SPOKEN if NAOQI_LANGUAGES[code] in speech & hearing)
        missing = []
        for code in SPOKEN:
            name = NAOQI_LANGUAGES[code]
            lacking = [part for part, packs in (("speech", speech), ("recognition", hearing)) if name not in packs]
            if lacking:
                missing.append(f"{code} ({name}: no {' and '.join(lacking)} pack)")
        if missing:
            log.warning("robot language packs missing: the tablet still offers these languages, the robot "
                        "answers them in English", extra={"fields": {"missing": missing,
                                                                      "installed": sorted(speech | hearing)}})
        return spoken

    def _follow_tablet(self, tablet: Any) -> None:
        if tablet is None:
            return
        for signal, handler in ((tablet.onJSEvent, lambda action: self._emit(TabletTapped(str(action)))),
                                (tablet.onLoadPageError, self._on_page_error),
                                (tablet.onWifiStatusChange, lambda status: self._emit(TabletStatus(str(status))))):
            self._links.append((signal, signal.connect(handler)))

    def _on_page_error(self, code: int, description: str, url: str) -> None:
        log.warning("tablet could not load a page", extra={"fields": {"code": code, "error": description,
                                                                     "url": url.split("?")[0]}})
        self._page_failed = True
        self._emit(TabletStatus(None, "page_error"))

    @staticmethod
    def _wifi(tablet: Any) -> str | None:
        if tablet is None:
            return None
        try:
            return str(tablet.getWifiStatus())
        except RuntimeError:
            return None

    def _drop_session(self) -> None:
        session, self._session = self._session, None
        if self._events is not None:
            self._events.close()
            self._events = None
        for signal, link in self._links:
            with contextlib.suppress(RuntimeError):
                signal.disconnect(link)
        self._links.clear()
        if self._settings is not None:
            self._settings.forget_applied()
        self._services = {}
        if session is not None:
            with contextlib.suppress(RuntimeError):
                session.close()

    def _restore(self) -> None:
        """Every change put back, each on its own: one failure does not stop the rest."""
        s = self._services
        steps: list[tuple[str, Callable[[], object]]] = []
        if self._recognising:
            steps.append(("speech recognition", lambda: s["ALSpeechRecognition"].unsubscribe(SUBSCRIBER)))
        if self._webview_shown and s.get("ALTabletService") is not None:
            steps.append(("tablet", lambda: s["ALTabletService"].hideWebview()))
        if self._turned:
            steps.append(("heading", self._turn_back))
        if self._events is not None:
            steps.append(("memory events", self._events.close))
        failed = undo_each(steps)
        self._events = None
        if self._settings is not None:
            failed += self._settings.restore(s)
        if failed:
            log.warning("robot settings not restored", extra={"fields": {"settings": failed}})

    # ----------------------------------------------------------------------------------- events in

    def _on_memory(self, key: str, value: Any) -> None:
        """Called on a qi thread: translate and hand over, nothing else."""
        try:
            if key == PERSON_ENTERED:
                self._emit(PersonEntered(int(value)))
            elif key == PERSON_MOVED_AWAY:
                self._emit(PersonMovedAway(int(value)))
            elif key == PERSON_LEFT:
                self._emit(PersonLeft(int(value)))
            elif key == WORD_RECOGNIZED and value and str(value[0]).strip():
                self._emit(SpeechRecognised(str(value[0]), float(value[1]), self._listening_language))
            elif key == BATTERY_CHANGED:
                self._emit(BatteryLevel(int(value)))
        except (TypeError, ValueError, IndexError):
            log.warning("unexpected ALMemory value", extra={"fields": {"key": key}})

    # ------------------------------------------------------------------------------- commands out

    def execute(self, command: Command) -> None:
        """Carry out a robot command without waiting for the robot."""
        match command:
            case StopSpeech():
                self._voice.clear(Say)
                self._call("stopAll", lambda s: s["ALTextToSpeech"].stopAll())
            case Say() | Listen() | SetLanguage():
                self._voice.put(command)
            case ShowTablet() | PointAt():
                self._body.put(command)
            case Reset():
                self._voice.put(command)
                self._body.put(command)

    def _call(self, what: str, call: Callable[[dict[str, Any]], object]) -> object:
        """One NAOqi call; a failure is logged (and the robot goes on) and gives None."""
        with self._lock:
            services = self._services if self._connected.is_set() else None
        if services is None:
            log.info("robot offline, command dropped", extra={"fields": {"command": what}})
            return None
        try:  # not under the lock: a StopSpeech must get through while a say is talking
            return call(services)
        except RuntimeError as error:
            log.warning("robot call failed", extra={"fields": {"command": what, "error": str(error)[:200]}})
            return None

    def _speak(self, command: Command) -> None:
        """The voice and the ears, one call at a time."""
        match command:
            case Say(text=text, animated=animated):
                self._call("say", lambda s: self._say(s, text, animated))
                if self._voice.empty():
                    self._emit(SpeechFinished())
            case Listen(vocabulary=vocabulary, language=language):
                self._call("listen", lambda s: self._listen(s, vocabulary, language))
            case SetLanguage(language=language):
                name = NAOQI_LANGUAGES.get(language if language in self.spoken else "en", "English")
                self._call("setLanguage", lambda s: s["ALTextToSpeech"].setLanguage(name))
            case Reset():
                self._call("reset voice", self._reset_voice)

    def _say(self, s: dict[str, Any], text: str, animated: bool) -> None:
        if self._recognising:  # so that the robot never hears its own words
            s["ALSpeechRecognition"].pause(True)
        (s["ALAnimatedSpeech"] if animated else s["ALTextToSpeech"]).say(text)
        if self._recognising and not self._voice.next_is(Listen):
            s["ALSpeechRecognition"].pause(False)

    def _listen(self, s: dict[str, Any], vocabulary: tuple[str, ...], language: str) -> None:
        recogniser = s["ALSpeechRecognition"]
        name = NAOQI_LANGUAGES.get(language if language in self.spoken else self._home, "English")
        if self._recognising:
            recogniser.pause(True)
        if name != self._asr_language:
            recogniser.setLanguage(name)
            self._asr_language = name
        recogniser.setVocabulary(list(dict.fromkeys(p for p in map(speakable, vocabulary) if p)), False)
        self._listening_language = language
        if not self._recognising:
            recogniser.subscribe(SUBSCRIBER)
            self._recognising = True
        recogniser.pause(False)

    def _reset_voice(self, s: dict[str, Any]) -> None:
        steps: list[tuple[str, Callable[[], object]]] = []
        if self._recognising:
            self._recognising = False
            steps.append(("speech recognition", lambda: s["ALSpeechRecognition"].unsubscribe(SUBSCRIBER)))
        steps.append(("speech language", lambda: s["ALTextToSpeech"].setLanguage(NAOQI_LANGUAGES[self._home])))
        undo_each(steps)

    def _act(self, command: Command) -> None:
        """The body and the tablet, one call at a time."""
        match command:
            case ShowTablet(page=page, language=language, url=url, query=query):
                address = url or self._tablet_url(page, language)
                self._show(f"{address}&{urlencode(query)}" if query and not url else address)
            case PointAt(x=x, y=y):
                self._call("pointAt", lambda s: self._point(s, (x, y)))
            case Reset():
                if self._turned:
                    self._call("turn back", lambda s: self._turn_back())
                self._show(self._tablet_url("menu", self._home))

    def _tablet(self, s: dict[str, Any]) -> Any:
        """The tablet service, looked up again when it was missing (the tablet may have rebooted)."""
        if s.get("ALTabletService") is None:
            with self._lock:
                session = self._session
            if session is not None:  # said at connect; not again at every page
                s["ALTabletService"] = self._optional(session, "ALTabletService", logging.DEBUG)
                if s["ALTabletService"] is not None:
                    self._follow_tablet(s["ALTabletService"])
                    self._emit(TabletStatus(self._wifi(s["ALTabletService"])))
        return s.get("ALTabletService")

    def _show(self, url: str) -> None:
        def show(s: dict[str, Any]) -> bool | None:
            tablet = self._tablet(s)
            if tablet is None:
                return None
            try:
                return bool(tablet.showWebview(url))
            except RuntimeError:
                s["ALTabletService"] = None  # gone (rebooting?): looked up again at the next page
                self._emit(TabletStatus(None))
                raise

        shown = self._call("showWebview", show)
        if shown:
            self._webview_shown = True
            if self._page_failed:  # the tablet is fine again: the dashboard hears its Wi-Fi
                self._page_failed = False
                wifi = self._call("getWifiStatus", lambda s: self._wifi(self._tablet(s)))
                self._emit(TabletStatus(wifi if isinstance(wifi, str) else None))
        elif shown is False:
            log.warning("tablet refused the page", extra={"fields": {"url": url.split("?")[0]}})
            self._page_failed = True
            self._emit(TabletStatus(None, "page_error"))

    def _point(self, s: dict[str, Any], target: tuple[float, float]) -> None:
        """Turn the base first when the target is not in front, then point (a blocking call)."""
        if self._turned:
            self._turn_back()
        spot = self._placement.position
        where = aim((spot.x, spot.y), self._placement.heading, target)
        if where.turn:
            if s["ALMotion"].moveTo(0.0, 0.0, where.turn) is False:
                raise RuntimeError("ALMotion.moveTo: the robot did not turn")
            self._turned = where.turn
        s["ALTracker"].pointAt("Arms", list(where.target), FRAME_ROBOT, POINTING_SPEED)

    def _turn_back(self) -> None:
        with self._lock:
            motion = self._services.get("ALMotion")
        if motion is None:
            return
        turned, self._turned = self._turned, 0.0
        if motion.moveTo(0.0, 0.0, -turned) is False:
            self._turned = turned
            raise RuntimeError("ALMotion.moveTo: the robot did not turn back")
