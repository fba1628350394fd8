"""NAOqi 2.5 services as the simulator offers them: the real names, method names and signatures
(the subset the robot host uses), each call written to the ``CallLog``.

The simulator is as strict as a NAOqi 2.5 robot reached from pip ``qi`` (NAOqi 2.5 API reference,
the copy bundled with Choregraphe 2.5.10.7; the "Invalid signature" reports on libqi-python's tracker):

- ``ALMemory.subscriber`` fails with "Invalid signature" (``Strictness.subscriber_fails``);
- only the installed language packs can be set (``getAvailableLanguages``);
- ``ALTracker.pointAt`` refuses a target that is not in front of the robot (x <= 0);
- the tablet is a separate device on its own Wi-Fi: it cannot load a loopback address, and reaches
  only the hosts in its ``tablet_hosts`` (``showWebview`` False and ``onLoadPageError``);
- while Autonomous Life is not ``disabled`` its dialog owns the speech recognizer;
- people are perceived (``EngagementZones/*``, ``PeoplePerception/*``) only while Autonomous Life
  runs or someone subscribed both ``ALPeoplePerception`` and ``ALEngagementZones``.

Objects are ``qi.multiThreaded`` so a ``stopAll`` can interrupt a ``say`` that is still talking,
as on the robot."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import qi
import requests

PERSON_ENTERED = "EngagementZones/PersonEnteredZone1"
PERSON_MOVED_AWAY = "EngagementZones/PersonMovedAway"
PEOPLE_IN_ZONE_1 = "EngagementZones/PeopleInZone1"
PERSON_LEFT = "PeoplePerception/JustLeft"
PEOPLE_LIST = "PeoplePerception/PeopleList"
WORD_RECOGNIZED = "WordRecognized"
BATTERY_CHANGED = "BatteryChargeChanged"
ALL_LANGUAGES = ("Dutch", "English", "Turkish", "Polish", "Arabic")
WEBVIEW_HOST_LOOKUP = -2
"""Android WebViewClient's ERROR_HOST_LOOKUP, as the tablet reports a name it cannot resolve."""
WEBVIEW_CONNECT = -6
"""Android WebViewClient's ERROR_CONNECT: nothing answers at that address."""
WEBVIEW_FILE_NOT_FOUND = -14
"""Android WebViewClient's ERROR_FILE_NOT_FOUND, for an HTTP error answer."""


@dataclass(frozen=True)
class Strictness:
    """What the simulated robot refuses or lacks, as a real NAOqi 2.5 robot does."""

    subscriber_fails: bool = True
    """``ALMemory.subscriber`` raises "Invalid signature" (pip ``qi`` 3.x against NAOqi 2.5)."""
    callbacks_reach_client: bool = True
    """``subscribeToEvent`` reaches a service the client registered (False: a firewall or a
    client listening on an address the robot cannot reach)."""
    languages: tuple[str, ...] = ("English", "Dutch")
    """The installed language packs."""
    tablet_hosts: Mapping[str, str] = field(default_factory=dict)
    """What the tablet's Wi-Fi reaches: host name -> base URL it is served from (for the simulator,
    a loopback server); any other host, and loopback itself, cannot be reached from the tablet."""
    tablet: bool = True
    """The robot has a working ALTabletService."""


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
    """What ``ALMemory.subscriber(key)`` returns on a robot that pip ``qi`` can use: an object with a ``signal``."""

    def __init__(self) -> None:
        self.signal = qi.Signal("(m)")


@qi.multiThreaded()
class ALMemory:
    def __init__(self, log: CallLog, session: qi.Session, strictness: Strictness) -> None:
        self._log = log
        self._session = session
        self._strictness = strictness
        self._lock = threading.Lock()
        self._data: dict[str, Any] = {}
        self._subscribers: dict[str, MemorySubscriber] = {}
        self._module_subscriptions: dict[str, set[tuple[str, str]]] = {}

    @qi.bind(qi.Object, [qi.String])
    def subscriber(self, key: str) -> MemorySubscriber:
        self._log.add("ALMemory", "subscriber", key)
        if self._strictness.subscriber_fails:
            raise RuntimeError("Invalid signature")
        with self._lock:
            return self._subscribers.setdefault(key, MemorySubscriber())

    @qi.nobind
    def has_subscriber(self, key: str) -> bool:
        with self._lock:
            return key in self._subscribers or bool(self._module_subscriptions.get(key))

    @qi.nobind
    def readers(self) -> list[str]:
        """Keys someone follows (by subscriber or subscribeToEvent), for the simulator's settings."""
        with self._lock:
            return sorted({*self._subscribers, *(k for k, v in self._module_subscriptions.items() if v)})

    @qi.bind(qi.Void, [qi.String, qi.Dynamic])
    def raiseEvent(self, key: str, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            subscriber = self._subscribers.get(key)
            modules = list(self._module_subscriptions.get(key, ()))
        if subscriber is not None:
            subscriber.signal(value)
        if not self._strictness.callbacks_reach_client:
            return
        for module, method in modules:  # the subscribeToEvent path: NAOqi calls the module back
            try:
                getattr(self._session.service(module), method)(key, value, "")
            except RuntimeError as error:  # a client that went away: NAOqi logs it and goes on
                self._log.add("ALMemory", "callbackFailed", key, module, str(error)[:120])

    @qi.bind(qi.Void, [qi.String, qi.Dynamic])
    def insertData(self, key: str, value: Any) -> None:
        self._log.add("ALMemory", "insertData", key, value)
        with self._lock:
            self._data[key] = value

    @qi.bind(qi.Dynamic, [qi.String])
    def getData(self, key: str) -> Any:
        with self._lock:
            if key not in self._data:
                raise RuntimeError(f"ALMemory::getData\tData not found: {key}")
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


def _check_language(service: str, language: str, installed: tuple[str, ...]) -> None:
    if language not in installed:
        raise RuntimeError(f"{service}::setLanguage\tLanguage {language} is not installed "
                           f"(installed: {', '.join(installed)})")


@qi.multiThreaded()
class ALTextToSpeech:
    """``say`` takes ``seconds_per_character`` per character, or less when ``stopAll`` is called."""

    def __init__(self, log: CallLog, seconds_per_character: float, languages: tuple[str, ...]) -> None:
        self._log = log
        self._languages = languages
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
        self.speak(text, "ALTextToSpeech")

    @qi.bind(qi.Void, [])
    def stopAll(self) -> None:
        self._log.add("ALTextToSpeech", "stopAll")
        with self._lock:
            for stop in self._stops:
                stop.set()

    @qi.bind(qi.Void, [qi.String])
    def setLanguage(self, language: str) -> None:
        self._log.add("ALTextToSpeech", "setLanguage", language)
        _check_language("ALTextToSpeech", language, self._languages)
        self.language = language

    @qi.bind(qi.String, [])
    def getLanguage(self) -> str:
        return self.language

    @qi.bind(qi.List(qi.String), [])
    def getAvailableLanguages(self) -> list[str]:
        return list(self._languages)


@qi.multiThreaded()
class ALAnimatedSpeech:
    def __init__(self, log: CallLog, speech: ALTextToSpeech) -> None:
        self._speech = speech

    @qi.bind(qi.Void, [qi.String])
    def say(self, text: str) -> None:
        self._speech.speak(text, "ALAnimatedSpeech")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@qi.multiThreaded()
class ALTabletService:
    """The tablet: an Android device on its own Wi-Fi. ``showWebview(url)`` loads the page through
    ``tablet_hosts`` (the simulator's stand-in for the tablet's network) and says whether it could."""

    def __init__(self, log: CallLog, tablet_hosts: Mapping[str, str]) -> None:
        self._log = log
        self._hosts = dict(tablet_hosts)
        self.onJSEvent = qi.Signal("(s)")
        self.onLoadPageError = qi.Signal("(iss)")
        self.onWifiStatusChange = qi.Signal("(s)")
        self.url = ""
        self.wifi = "CONNECTED"

    def _load(self, url: str) -> tuple[int, str] | None:
        """None when the page loaded, else the WebView's error code and description."""
        if self.wifi != "CONNECTED":
            return WEBVIEW_CONNECT, "net::ERR_INTERNET_DISCONNECTED"
        parts = urlsplit(url)
        host = parts.hostname or ""
        if _is_loopback(host):  # the tablet's own loopback: nothing of ours listens there
            return WEBVIEW_CONNECT, "net::ERR_CONNECTION_REFUSED"
        base = self._hosts.get(host)
        if base is None:
            return WEBVIEW_HOST_LOOKUP, "net::ERR_NAME_NOT_RESOLVED"
        served = urlsplit(base)
        address = urlunsplit((served.scheme, served.netloc, parts.path, parts.query, ""))
        try:
            answer = requests.get(address, headers={"Host": parts.netloc}, timeout=5, allow_redirects=False)
        except requests.RequestException:
            return WEBVIEW_CONNECT, "net::ERR_CONNECTION_REFUSED"
        if answer.status_code >= 400:
            return WEBVIEW_FILE_NOT_FOUND, f"HTTP {answer.status_code}"
        return None

    @qi.bind(qi.Bool, [qi.String])
    def showWebview(self, url: str) -> bool:
        self._log.add("ALTabletService", "showWebview", url)
        failure = self._load(url)
        if failure is not None:
            self._log.add("ALTabletService", "onLoadPageError", failure[0], failure[1], url)
            self.onLoadPageError(failure[0], failure[1], url)
            return False
        self._log.add("ALTabletService", "pageLoaded", url)
        self.url = url
        return True

    @qi.bind(qi.Bool, [])
    def hideWebview(self) -> bool:
        self._log.add("ALTabletService", "hideWebview")
        self.url = ""
        return True

    @qi.bind(qi.String, [])
    def getWifiStatus(self) -> str:
        return self.wifi

    @qi.nobind
    def set_wifi(self, status: str) -> None:
        self.wifi = status
        self.onWifiStatusChange(status)


@qi.multiThreaded()
class ALSpeechRecognition:
    """Vocabulary recognition. While Autonomous Life runs, its dialog holds the recognizer."""

    def __init__(self, log: CallLog, languages: tuple[str, ...], life: ALAutonomousLife) -> None:
        self._log = log
        self._languages = languages
        self._life = life
        self._lock = threading.Lock()
        self._busy = threading.Lock()  # "must not be called at the same time as any other ALSpeechRecognition method"
        self.language = "English"
        self.vocabulary: list[str] = []
        self.subscribers: set[str] = set()
        self.paused = False

    def _exclusive(self, method: str) -> None:
        if not self._busy.acquire(blocking=False):
            self._log.add("ALSpeechRecognition", "concurrentCall", method)
            raise RuntimeError(f"ALSpeechRecognition::{method}\tanother recognition call is running")

    def _owned_by_dialog(self, method: str) -> None:
        if self._life.state != "disabled":
            raise RuntimeError(f"ALSpeechRecognition::{method}\tmodifiable_grammar already exists "
                               "(the dialog of Autonomous Life uses the recognizer)")

    @qi.bind(qi.Void, [qi.List(qi.String), qi.Bool])
    def setVocabulary(self, vocabulary: list[str], word_spotting: bool) -> None:
        self._log.add("ALSpeechRecognition", "setVocabulary", list(vocabulary), word_spotting)
        self._exclusive("setVocabulary")
        try:
            self._owned_by_dialog("setVocabulary")
            time.sleep(0.01)  # the engine compiles the grammar
            with self._lock:
                self.vocabulary = list(vocabulary)
        finally:
            self._busy.release()

    @qi.bind(qi.Void, [qi.String])
    def setLanguage(self, language: str) -> None:
        self._log.add("ALSpeechRecognition", "setLanguage", language)
        self._exclusive("setLanguage")
        try:
            _check_language("ALSpeechRecognition", language, self._languages)
            time.sleep(0.01)  # the engine loads the language
            self.language = language
        finally:
            self._busy.release()

    @qi.bind(qi.String, [])
    def getLanguage(self) -> str:
        return self.language

    @qi.bind(qi.List(qi.String), [])
    def getAvailableLanguages(self) -> list[str]:
        return list(self._languages)

    @qi.bind(qi.Void, [qi.String])
    def subscribe(self, name: str) -> None:
        self._log.add("ALSpeechRecognition", "subscribe", name)
        self._owned_by_dialog("subscribe")
        with self._lock:
            self.subscribers.add(name)

    @qi.bind(qi.Void, [qi.String])
    def unsubscribe(self, name: str) -> None:
        self._log.add("ALSpeechRecognition", "unsubscribe", name)
        with self._lock:
            if name not in self.subscribers:
                raise RuntimeError(f"ALSpeechRecognition::unsubscribe\t{name} is not a subscriber")
            self.subscribers.discard(name)

    @qi.bind(qi.Void, [qi.Bool])
    def pause(self, paused: bool) -> None:
        self._log.add("ALSpeechRecognition", "pause", paused)
        self.paused = paused

    def recognise(self, phrase: str, confidence: float) -> tuple[str, float] | None:
        """What the recogniser reports for ``phrase``, or None when nobody listens."""
        with self._lock:
            if not self.subscribers or self.paused:
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
        if frame == 2 and position[0] <= 0:
            raise RuntimeError("ALTracker::pointAt\tthe target must be in front of the robot (x > 0)")


@qi.multiThreaded()
class ALMotion:
    def __init__(self, log: CallLog) -> None:
        self._log = log
        self.awake = True
        self.heading = 0.0
        """Radians turned from where the robot stood at start (counter-clockwise)."""

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

    @qi.bind(qi.Bool, [qi.Float, qi.Float, qi.Float])
    def moveTo(self, x: float, y: float, theta: float) -> bool:
        self._log.add("ALMotion", "moveTo", round(x, 3), round(y, 3), round(theta, 3))
        if not self.awake:
            return False
        self.heading = round(self.heading + theta, 3)
        return True


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
class Extractor:
    """``ALPeoplePerception`` and ``ALEngagementZones``: vision extractors that work while subscribed."""

    def __init__(self, log: CallLog, name: str) -> None:
        self._log = log
        self._name = name
        self._lock = threading.Lock()
        self.subscribers: set[str] = set()

    @qi.bind(qi.Void, [qi.String])
    def subscribe(self, name: str) -> None:
        self._log.add(self._name, "subscribe", name)
        with self._lock:
            self.subscribers.add(name)

    @qi.bind(qi.Void, [qi.String])
    def unsubscribe(self, name: str) -> None:
        self._log.add(self._name, "unsubscribe", name)
        with self._lock:
            self.subscribers.discard(name)

    @qi.bind(qi.List(qi.String), [])
    def getSubscribersInfo(self) -> list[str]:
        with self._lock:
            return sorted(self.subscribers)


@qi.multiThreaded()
class ALAutonomousLife:
    """On by default (``solitary``). ``disabled`` stops its activities and its dialog; the robot
    then goes to rest until someone wakes it up."""

    def __init__(self, log: CallLog, motion: ALMotion) -> None:
        self._log = log
        self._motion = motion
        self.state = "solitary"
        self.abilities = {"BasicAwareness": True, "AutonomousBlinking": True, "BackgroundMovement": True,
                          "ListeningMovement": True, "SpeakingMovement": True}

    @qi.bind(qi.String, [])
    def getState(self) -> str:
        return self.state

    @qi.bind(qi.Void, [qi.String])
    def setState(self, state: str) -> None:
        self._log.add("ALAutonomousLife", "setState", state)
        if state not in ("solitary", "interactive", "disabled", "safeguard"):
            raise RuntimeError(f"ALAutonomousLife::setState\tunknown state {state}")
        if self.state == "interactive" and state == "solitary":
            raise RuntimeError("ALAutonomousLife::setState\tcannot change from interactive to solitary")
        self.state = state
        if state == "disabled":
            self._motion.awake = False
        elif state in ("solitary", "interactive"):
            self._motion.awake = True

    @qi.bind(qi.Void, [qi.String, qi.Bool])
    def setAutonomousAbilityEnabled(self, ability: str, enabled: bool) -> None:
        self._log.add("ALAutonomousLife", "setAutonomousAbilityEnabled", ability, enabled)
        names = list(self.abilities) if ability == "All" else [ability]
        for name in names:
            if name not in self.abilities:
                raise RuntimeError(f"ALAutonomousLife::setAutonomousAbilityEnabled\tunknown ability {name}")
            self.abilities[name] = enabled

    @qi.bind(qi.Bool, [qi.String])
    def getAutonomousAbilityEnabled(self, ability: str) -> bool:
        if ability == "All":
            return all(self.abilities.values())
        return self.abilities[ability]


@qi.multiThreaded()
class ALBattery:
    def __init__(self, log: CallLog) -> None:
        self.charge = 90

    @qi.bind(qi.Int32, [])
    def getBatteryCharge(self) -> int:
        return self.charge
