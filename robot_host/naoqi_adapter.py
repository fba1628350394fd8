"""The one place that speaks NAOqi: ``Pepper`` owns the qi session, the services, the ALMemory and
tablet subscriptions (keeping every subscriber reference, as libqi drops a signal whose subscriber
object is collected), turns NAOqi events into behaviour events, and maps each robot command to its
NAOqi call in ``_call``.

Callbacks only hand events to ``emit``. When the session drops, a keeper thread reconnects (the
robot may have restarted), subscribes again, reapplies the settings and emits ``RobotReconnected``.
``close()`` restores every robot setting it changed."""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import qi

from .commands import Command, Listen, PointAt, Reset, Say, SetLanguage, ShowTablet, StopSpeech
from .events import (
    BatteryLevel,
    Event,
    PersonEntered,
    PersonLeft,
    RobotReconnected,
    SpeechFinished,
    SpeechRecognised,
    TabletTapped,
)

log = logging.getLogger(__name__)
Emit = Callable[[Event], None]

NAOQI_LANGUAGES = {"nl": "Dutch", "en": "English"}
RECOGNISER = "Gastvrij"
FRAME_ROBOT = 2
POINTING_HEIGHT = 1.0
PERSON_ENTERED = "EngagementZones/PersonEnteredZone1"
PERSON_LEFT = "PeoplePerception/JustLeft"
WORD_RECOGNIZED = "WordRecognized"
BATTERY_CHANGED = "BatteryChargeChanged"
MEMORY_EVENTS = (PERSON_ENTERED, PERSON_LEFT, WORD_RECOGNIZED, BATTERY_CHANGED)
EVENT_SERVICE = "GastvrijRobotHost"


@dataclass
class RobotSettings:
    """What this program changes on the robot, as it found it (restored by ``close()``)."""

    tts_language: str
    asr_language: str
    engagement_mode: str
    face_recognition: bool


# Face recognition (NAOqi's face learning) stays off while we run: no faces are learnt or kept.
OURS = RobotSettings(tts_language="Dutch", asr_language="Dutch", engagement_mode="SemiEngaged",
                     face_recognition=False)


class MemoryEvents:
    """The NAOqi 2.5 fallback for ALMemory events: a service of ours that ``subscribeToEvent``
    calls back (for robots where the subscriber signal cannot be reached from pip ``qi``)."""

    def __init__(self, on_event: Callable[[str, Any], None]) -> None:
        self._on_event = on_event

    @qi.bind(qi.Void, [qi.String, qi.Dynamic, qi.String])
    def onEvent(self, key: str, value: Any, message: str) -> None:
        self._on_event(key, value)


class Pepper:
    """The robot over qi. ``start()`` connects (retrying until ``connect_timeout``)."""

    def __init__(self, url: str, emit: Emit, *, tablet_url: Callable[[str, str], str],
                 position: tuple[float, float] = (0.0, 0.0), memory_events: str = "subscriber",
                 retry_seconds: float = 0.5) -> None:
        self.url = url
        self._emit = emit
        self._tablet_url = tablet_url
        self._position = position
        self._memory_events = memory_events
        self._retry_seconds = retry_seconds
        self._lock = threading.RLock()
        self._session: qi.Session | None = None
        self._services: dict[str, Any] = {}
        self._subscribers: list[tuple[Any, Any, int]] = []  # (signal owner, signal, link): keeps them alive
        self._event_service_id: int | None = None
        self._found: RobotSettings | None = None
        self._listening_language = "nl"
        self._recognising = False
        self._connected = threading.Event()
        self._lost = threading.Event()
        self._stopping = threading.Event()
        self._speech: queue.Queue[Say | None] = queue.Queue()
        self._speech_thread = threading.Thread(target=self._speak_in_turn, name="pepper-speech", daemon=True)
        self._keeper = threading.Thread(target=self._keep_connected, name="pepper-session", daemon=True)
        self.connections = 0

    # ------------------------------------------------------------------------------------ lifecycle

    def start(self, connect_timeout: float = 10.0) -> Pepper:
        self._speech_thread.start()
        self._keeper.start()
        if not self._connected.wait(connect_timeout):
            log.warning("robot not reachable yet", extra={"fields": {"url": self.url}})
        return self

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def close(self) -> None:
        """Stop listening, restore the robot's settings and disconnect."""
        self._stopping.set()
        self._lost.set()
        self._speech.put(None)
        with self._lock:
            if self._session is not None and self._connected.is_set():
                try:
                    self._restore()
                except RuntimeError as error:
                    log.warning("could not restore robot settings", extra={"fields": {"error": str(error)}})
            self._drop_session()
        self._keeper.join(timeout=5)
        self._speech_thread.join(timeout=5)

    def _keep_connected(self) -> None:
        while not self._stopping.is_set():
            try:
                self._connect()
            except RuntimeError as error:
                log.debug("robot connect failed", extra={"fields": {"error": str(error)}})
                self._stopping.wait(self._retry_seconds)
                continue
            self.connections += 1
            if self.connections > 1:
                self._emit(RobotReconnected())
            self._lost.wait()
            with self._lock:
                self._connected.clear()
                if not self._stopping.is_set():
                    log.info("robot session lost", extra={"fields": {"url": self.url}})
                    self._drop_session()

    def _connect(self) -> None:
        session = qi.Session()
        try:
            session.connect(self.url)
            self._set_up(session)
        except RuntimeError:
            with self._lock:
                self._drop_session()
            session.close()
            raise

    def _set_up(self, session: qi.Session) -> None:
        """Services, settings and subscriptions on a fresh session (the robot may be starting:
        a missing service raises RuntimeError and the keeper tries again)."""
        with self._lock:
            self._session = session
            self._lost.clear()
            self._recognising = False
            session.disconnected.connect(lambda *_: self._lost.set())
            names = ("ALMemory", "ALTextToSpeech", "ALAnimatedSpeech", "ALTabletService", "ALSpeechRecognition",
                     "ALTracker", "ALBasicAwareness", "ALBattery", "ALFaceDetection")
            self._services = {name: session.service(name) for name in names}
            self._remember_and_apply()
            # Read before subscribing, so that a later change always comes after this reading.
            self._emit(BatteryLevel(int(self._services["ALBattery"].getBatteryCharge())))
            self._subscribe()
            self._connected.set()

    def _drop_session(self) -> None:
        session, self._session = self._session, None
        self._subscribers.clear()
        self._services = {}
        if session is not None:
            with contextlib.suppress(RuntimeError):
                session.close()

    # ------------------------------------------------------------------------------------- settings

    def _remember_and_apply(self) -> None:
        s = self._services
        found = RobotSettings(tts_language=s["ALTextToSpeech"].getLanguage(),
                              asr_language=s["ALSpeechRecognition"].getLanguage(),
                              engagement_mode=s["ALBasicAwareness"].getEngagementMode(),
                              face_recognition=bool(s["ALFaceDetection"].isRecognitionEnabled()))
        if self._found is None or found != OURS:  # after a network blip the robot still has our settings
            self._found = found
        s["ALTextToSpeech"].setLanguage(OURS.tts_language)
        s["ALSpeechRecognition"].setLanguage(OURS.asr_language)
        s["ALBasicAwareness"].setEngagementMode(OURS.engagement_mode)
        s["ALFaceDetection"].setRecognitionEnabled(OURS.face_recognition)

    def _restore(self) -> None:
        s, found = self._services, self._found
        s["ALSpeechRecognition"].unsubscribe(RECOGNISER)
        s["ALTabletService"].hideWebview()
        if self._event_service_id is not None and self._session is not None:
            for key in MEMORY_EVENTS:
                s["ALMemory"].unsubscribeToEvent(key, EVENT_SERVICE)
            self._session.unregisterService(self._event_service_id)
            self._event_service_id = None
        if found is not None:
            s["ALTextToSpeech"].setLanguage(found.tts_language)
            s["ALSpeechRecognition"].setLanguage(found.asr_language)
            s["ALBasicAwareness"].setEngagementMode(found.engagement_mode)
            s["ALFaceDetection"].setRecognitionEnabled(found.face_recognition)

    # ----------------------------------------------------------------------------------- events in

    def _subscribe(self) -> None:
        memory = self._services["ALMemory"]
        if self._memory_events == "module":
            assert self._session is not None
            self._event_service_id = self._session.registerService(EVENT_SERVICE, MemoryEvents(self._on_memory))
            for key in MEMORY_EVENTS:
                memory.subscribeToEvent(key, EVENT_SERVICE, "onEvent")
        else:
            for key in MEMORY_EVENTS:
                subscriber = memory.subscriber(key)
                link = subscriber.signal.connect(lambda value, key=key: self._on_memory(key, value))
                self._subscribers.append((subscriber, subscriber.signal, link))
        tablet = self._services["ALTabletService"]
        link = tablet.onJSEvent.connect(lambda action: self._emit(TabletTapped(str(action))))
        self._subscribers.append((tablet, tablet.onJSEvent, link))

    def _on_memory(self, key: str, value: Any) -> None:
        """Called on a qi thread: translate and hand over, nothing else."""
        try:
            if key == PERSON_ENTERED:
                self._emit(PersonEntered(int(value)))
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
        """Carry out a robot command without waiting for the robot (speech is spoken in turn)."""
        if isinstance(command, Say):
            self._speech.put(command)
            return
        if isinstance(command, StopSpeech):
            self._clear_speech()
        self._call_robot(command)

    def _call_robot(self, command: Command) -> None:
        with self._lock:
            services = self._services if self._connected.is_set() else None
        if services is None:
            log.info("robot offline, command dropped", extra={"fields": {"command": type(command).__name__}})
            return
        try:  # not under the lock: a StopSpeech must get through while a say is talking
            self._call(services, command)
        except RuntimeError as error:  # the session is dropping; the keeper reconnects
            log.warning("robot call failed", extra={"fields": {"command": type(command).__name__,
                                                               "error": str(error)[:200]}})

    def _call(self, s: dict[str, Any], command: Command) -> None:
        """Each robot command and the NAOqi call that carries it out."""
        match command:
            case Say(text=text, animated=animated):
                listening = self._recognising
                if listening:  # so that the robot never answers its own words
                    s["ALSpeechRecognition"].pause(True)
                try:
                    (s["ALAnimatedSpeech"] if animated else s["ALTextToSpeech"]).say(text)
                finally:
                    if listening and self._recognising:
                        s["ALSpeechRecognition"].pause(False)
            case StopSpeech():
                s["ALTextToSpeech"].stopAll(_async=True)
            case ShowTablet(page=page, language=language, url=url):
                s["ALTabletService"].showWebview(url or self._tablet_url(page, language), _async=True)
            case PointAt(x=x, y=y):
                target = [x - self._position[0], y - self._position[1], POINTING_HEIGHT]
                s["ALTracker"].pointAt("Arms", target, FRAME_ROBOT, 0.5, _async=True)
            case Listen(vocabulary=vocabulary, language=language):
                self._listen(s, list(vocabulary), language)
            case SetLanguage(language=language):
                s["ALTextToSpeech"].setLanguage(NAOQI_LANGUAGES.get(language, "English"), _async=True)
            case Reset():
                self._recognising = False
                s["ALSpeechRecognition"].unsubscribe(RECOGNISER)
                s["ALTextToSpeech"].setLanguage(OURS.tts_language, _async=True)
                s["ALTabletService"].showWebview(self._tablet_url("menu", "nl"), _async=True)

    def _listen(self, s: dict[str, Any], vocabulary: list[str], language: str) -> None:
        recogniser = s["ALSpeechRecognition"]
        recogniser.pause(True)
        recogniser.setLanguage(NAOQI_LANGUAGES.get(language, "English"))
        recogniser.setVocabulary(vocabulary, False)
        self._listening_language = language
        if not self._recognising:
            recogniser.subscribe(RECOGNISER)
            self._recognising = True
        recogniser.pause(False)

    # ------------------------------------------------------------------------------------- speech

    def _clear_speech(self) -> None:
        with contextlib.suppress(queue.Empty):  # until the queue is empty
            while True:
                self._speech.get_nowait()

    def _speak_in_turn(self) -> None:
        """Says one text after the other; ``SpeechFinished`` when nothing more is waiting."""
        while (say := self._speech.get()) is not None:
            self._call_robot(say)
            if self._speech.empty():
                self._emit(SpeechFinished())
