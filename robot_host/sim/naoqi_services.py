"""NAOqi 2.5 services as the simulator offers them: the real names, method names and signatures
(the subset the robot host uses), each call written to the ``CallLog``.

Objects are ``qi.multiThreaded`` so a ``stopAll`` can interrupt a ``say`` that is still talking,
as on the robot."""

from __future__ import annotations

import threading
import time
from typing import Any

import qi

PERSON_ENTERED = "EngagementZones/PersonEnteredZone1"
PERSON_LEFT = "PeoplePerception/JustLeft"
WORD_RECOGNIZED = "WordRecognized"
BATTERY_CHANGED = "BatteryChargeChanged"


class CallLog:
    """Every NAOqi call the simulator received, in order: ``(seconds, service, method, args)``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[tuple[float, str, str, list[Any]]] = []

    def add(self, service: str, method: str, *args: Any) -> None:
        with self._lock:
            self._calls.append((time.monotonic(), service, method, list(args)))

    def calls(self) -> list[tuple[float, str, str, list[Any]]]:
        with self._lock:
            return list(self._calls)

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()


class MemorySubscriber:
    """What ``ALMemory.subscriber(key)`` returns: an object with a ``signal``."""

    def __init__(self) -> None:
        self.signal = qi.Signal("(m)")


@qi.multiThreaded()
class ALMemory:
    def __init__(self, log: CallLog, session: qi.Session) -> None:
        self._log = log
        self._session = session
        self._lock = threading.Lock()
        self._data: dict[str, Any] = {}
        self._subscribers: dict[str, MemorySubscriber] = {}
        self._module_subscriptions: dict[str, set[tuple[str, str]]] = {}

    @qi.bind(qi.Object, [qi.String])
    def subscriber(self, key: str) -> MemorySubscriber:
        self._log.add("ALMemory", "subscriber", key)
        with self._lock:
            return self._subscribers.setdefault(key, MemorySubscriber())

    @qi.nobind
    def has_subscriber(self, key: str) -> bool:
        with self._lock:
            return key in self._subscribers or bool(self._module_subscriptions.get(key))

    @qi.bind(qi.Void, [qi.String, qi.Dynamic])
    def raiseEvent(self, key: str, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            subscriber = self._subscribers.get(key)
            modules = list(self._module_subscriptions.get(key, ()))
        if subscriber is not None:
            subscriber.signal(value)
        for module, method in modules:  # the NAOqi 2.5 subscribeToEvent fallback
            getattr(self._session.service(module), method)(key, value, "")

    @qi.bind(qi.Void, [qi.String, qi.Dynamic])
    def insertData(self, key: str, value: Any) -> None:
        self._log.add("ALMemory", "insertData", key, value)
        with self._lock:
            self._data[key] = value

    @qi.bind(qi.Dynamic, [qi.String])
    def getData(self, key: str) -> Any:
        with self._lock:
            if key not in self._data:
                raise RuntimeError(f"ALMemory::getData: data not found: {key}")
            return self._data[key]

    @qi.bind(qi.Void, [qi.String, qi.String, qi.String])
    def subscribeToEvent(self, name: str, module: str, method: str) -> None:
        self._log.add("ALMemory", "subscribeToEvent", name, module, method)
        with self._lock:
            self._module_subscriptions.setdefault(name, set()).add((module, method))

    @qi.bind(qi.Void, [qi.String, qi.String])
    def unsubscribeToEvent(self, name: str, module: str) -> None:
        self._log.add("ALMemory", "unsubscribeToEvent", name, module)
        with self._lock:
            kept = {s for s in self._module_subscriptions.get(name, ()) if s[0] != module}
            self._module_subscriptions[name] = kept


@qi.multiThreaded()
class ALTextToSpeech:
    """``say`` takes ``seconds_per_character`` per character, or less when ``stopAll`` is called."""

    def __init__(self, log: CallLog, seconds_per_character: float, name: str = "ALTextToSpeech") -> None:
        self._log = log
        self._name = name
        self.seconds_per_character = seconds_per_character
        self._lock = threading.Lock()
        self._stops: set[threading.Event] = set()
        self.language = "English"

    def speak(self, text: str, service: str) -> None:
        self._log.add(service, "say", text)
        stop = threading.Event()
        with self._lock:
            self._stops.add(stop)
        try:
            interrupted = stop.wait(len(text) * self.seconds_per_character)
        finally:
            with self._lock:
                self._stops.discard(stop)
        self._log.add(service, "interrupted" if interrupted else "done", text)

    @property
    def speaking(self) -> bool:
        with self._lock:
            return bool(self._stops)

    @qi.bind(qi.Void, [qi.String])
    def say(self, text: str) -> None:
        self.speak(text, self._name)

    @qi.bind(qi.Void, [])
    def stopAll(self) -> None:
        self._log.add(self._name, "stopAll")
        with self._lock:
            for stop in self._stops:
                stop.set()

    @qi.bind(qi.Void, [qi.String])
    def setLanguage(self, language: str) -> None:
        self._log.add(self._name, "setLanguage", language)
        self.language = language

    @qi.bind(qi.String, [])
    def getLanguage(self) -> str:
        return self.language

    @qi.bind(qi.List(qi.String), [])
    def getAvailableLanguages(self) -> list[str]:
        return ["Dutch", "English"]


@qi.multiThreaded()
class ALAnimatedSpeech:
    def __init__(self, log: CallLog, speech: ALTextToSpeech) -> None:
        self._speech = speech

    @qi.bind(qi.Void, [qi.String])
    def say(self, text: str) -> None:
        self._speech.speak(text, "ALAnimatedSpeech")


@qi.multiThreaded()
class ALTabletService:
    def __init__(self, log: CallLog) -> None:
        self._log = log
        self.onJSEvent = qi.Signal("(s)")
        self.url = ""

    @qi.bind(qi.Bool, [qi.String])
    def showWebview(self, url: str) -> bool:
        self._log.add("ALTabletService", "showWebview", url)
        self.url = url
        return True

    @qi.bind(qi.Bool, [])
    def hideWebview(self) -> bool:
        self._log.add("ALTabletService", "hideWebview")
        self.url = ""
        return True

    @qi.bind(qi.Void, [qi.String])
    def executeJS(self, script: str) -> None:
        self._log.add("ALTabletService", "executeJS", script)


@qi.multiThreaded()
class ALSpeechRecognition:
    def __init__(self, log: CallLog) -> None:
        self._log = log
        self._lock = threading.Lock()
        self.language = "English"
        self.vocabulary: list[str] = []
        self.subscribers: set[str] = set()

    @qi.bind(qi.Void, [qi.List(qi.String), qi.Bool])
    def setVocabulary(self, vocabulary: list[str], word_spotting: bool) -> None:
        self._log.add("ALSpeechRecognition", "setVocabulary", list(vocabulary), word_spotting)
        with self._lock:
            self.vocabulary = list(vocabulary)

    @qi.bind(qi.Void, [qi.String])
    def setLanguage(self, language: str) -> None:
        self._log.add("ALSpeechRecognition", "setLanguage", language)
        self.language = language

    @qi.bind(qi.String, [])
    def getLanguage(self) -> str:
        return self.language

    @qi.bind(qi.Void, [qi.String])
    def subscribe(self, name: str) -> None:
        self._log.add("ALSpeechRecognition", "subscribe", name)
        with self._lock:
            self.subscribers.add(name)

    @qi.bind(qi.Void, [qi.String])
    def unsubscribe(self, name: str) -> None:
        self._log.add("ALSpeechRecognition", "unsubscribe", name)
        with self._lock:
            self.subscribers.discard(name)

    @qi.bind(qi.Void, [qi.Bool])
    def pause(self, paused: bool) -> None:
        self._log.add("ALSpeechRecognition", "pause", paused)

    def recognise(self, phrase: str, confidence: float) -> tuple[str, float] | None:
        """What the recogniser reports for ``phrase``, or None when nobody listens."""
        with self._lock:
            if not self.subscribers:
                return None
            known = phrase in self.vocabulary
        return phrase, confidence if known else min(confidence, 0.2)


@qi.multiThreaded()
class ALDialog:
    def __init__(self, log: CallLog) -> None:
        self._log = log
        self.language = "English"

    @qi.bind(qi.Void, [qi.String])
    def setLanguage(self, language: str) -> None:
        self._log.add("ALDialog", "setLanguage", language)
        self.language = language

    @qi.bind(qi.String, [])
    def getLanguage(self) -> str:
        return self.language


@qi.multiThreaded()
class ALTracker:
    def __init__(self, log: CallLog) -> None:
        self._log = log

    @qi.bind(qi.Void, [qi.String, qi.List(qi.Float), qi.Int32, qi.Float])
    def pointAt(self, effector: str, position: list[float], frame: int, max_speed: float) -> None:
        self._log.add("ALTracker", "pointAt", effector, [round(p, 3) for p in position], frame, max_speed)


@qi.multiThreaded()
class ALMotion:
    def __init__(self, log: CallLog) -> None:
        self._log = log
        self.awake = True

    @qi.bind(qi.Void, [])
    def wakeUp(self) -> None:
        self._log.add("ALMotion", "wakeUp")
        self.awake = True

    @qi.bind(qi.Void, [])
    def rest(self) -> None:
        self._log.add("ALMotion", "rest")
        self.awake = False

    @qi.bind(qi.Bool, [])
    def robotIsWakeUp(self) -> bool:
        return self.awake


@qi.multiThreaded()
class ALBasicAwareness:
    def __init__(self, log: CallLog) -> None:
        self._log = log
        self.enabled = True
        self.engagement_mode = "Unengaged"

    @qi.bind(qi.Void, [qi.Bool])
    def setEnabled(self, enabled: bool) -> None:
        self._log.add("ALBasicAwareness", "setEnabled", enabled)
        self.enabled = enabled

    @qi.bind(qi.Bool, [])
    def isEnabled(self) -> bool:
        return self.enabled

    @qi.bind(qi.Void, [qi.String])
    def setEngagementMode(self, mode: str) -> None:
        self._log.add("ALBasicAwareness", "setEngagementMode", mode)
        self.engagement_mode = mode

    @qi.bind(qi.String, [])
    def getEngagementMode(self) -> str:
        return self.engagement_mode


@qi.multiThreaded()
class ALFaceDetection:
    """Face detection with NAOqi's face learning (recognition), which a robot has on by default."""

    def __init__(self, log: CallLog) -> None:
        self._log = log
        self.recognition = True

    @qi.bind(qi.Void, [qi.Bool])
    def setRecognitionEnabled(self, enabled: bool) -> None:
        self._log.add("ALFaceDetection", "setRecognitionEnabled", enabled)
        self.recognition = enabled

    @qi.bind(qi.Bool, [])
    def isRecognitionEnabled(self) -> bool:
        return self.recognition


@qi.multiThreaded()
class ALAutonomousLife:
    def __init__(self, log: CallLog) -> None:
        self._log = log
        self.state = "solitary"

    @qi.bind(qi.String, [])
    def getState(self) -> str:
        return self.state

    @qi.bind(qi.Void, [qi.String])
    def setState(self, state: str) -> None:
        self._log.add("ALAutonomousLife", "setState", state)
        self.state = state


@qi.multiThreaded()
class ALBattery:
    def __init__(self, log: CallLog) -> None:
        self.charge = 90

    @qi.bind(qi.Int32, [])
    def getBatteryCharge(self) -> int:
        return self.charge
