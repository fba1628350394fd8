"""The simulated Pepper: one standalone libqi session serving the NAOqi services of
``naoqi_services`` plus ``GastvrijSimulator``, the control panel tests and the scenario driver use
to make things happen (a person enters, steps back, leaves, says a word, taps the tablet, the
battery drops, the tablet loses its Wi-Fi) and to read the call log and the robot's settings."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import qi

from .naoqi_services import (
    BATTERY_CHANGED,
    PEOPLE_IN_ZONE_1,
    PEOPLE_LIST,
    PERSON_ENTERED,
    PERSON_LEFT,
    PERSON_MOVED_AWAY,
    WORD_RECOGNIZED,
    ALAnimatedSpeech,
    ALAutonomousLife,
    ALBasicAwareness,
    ALBattery,
    ALDialog,
    ALFaceDetection,
    ALMemory,
    ALMotion,
    ALSpeechRecognition,
    ALTabletService,
    ALTextToSpeech,
    ALTracker,
    CallLog,
    Extractor,
    Strictness,
)

CONTROL_SERVICE = "GastvrijSimulator"
log = logging.getLogger(__name__)


@qi.multiThreaded()
class SimulatorControl:
    """Drives the simulated world; not a NAOqi service."""

    def __init__(self, pepper: SimulatedPepper) -> None:
        self._pepper = pepper

    @qi.bind(qi.String, [])
    def calls(self) -> str:
        """The call log as JSON: ``[[seconds, service, method, [args]], ...]``."""
        return json.dumps(self._pepper.log.calls())

    @qi.bind(qi.Void, [])
    def clearCalls(self) -> None:
        self._pepper.log.clear()

    @qi.bind(qi.Bool, [qi.Int32])
    def personEnters(self, person: int) -> bool:
        """A person walks up to the robot (zone 1); False when the robot perceives nobody."""
        self._pepper.log.add(CONTROL_SERVICE, "personEnters", person)
        return self._pepper.people.enter(person)

    @qi.bind(qi.Bool, [qi.Int32])
    def personStepsBack(self, person: int) -> bool:
        """The person steps back out of zone 1 but stays in view."""
        self._pepper.log.add(CONTROL_SERVICE, "personStepsBack", person)
        return self._pepper.people.step_back(person)

    @qi.bind(qi.Bool, [qi.Int32])
    def personLeaves(self, person: int) -> bool:
        """The person is out of view (on a robot this comes 2-10 s after they went)."""
        self._pepper.log.add(CONTROL_SERVICE, "personLeaves", person)
        return self._pepper.people.leave(person)

    @qi.bind(qi.Bool, [qi.String, qi.Double])
    def hear(self, phrase: str, confidence: float) -> bool:
        """The visitor says ``phrase``; False when the robot was not listening."""
        self._pepper.log.add(CONTROL_SERVICE, "hear", phrase, confidence)
        heard = self._pepper.recognition.recognise(phrase, confidence)
        if heard is None:
            return False
        self._pepper.memory.raiseEvent(WORD_RECOGNIZED, [heard[0], heard[1]])
        return True

    @qi.bind(qi.Void, [qi.String])
    def tap(self, action: str) -> None:
        self._pepper.log.add(CONTROL_SERVICE, "tap", action)
        if self._pepper.tablet is not None:
            self._pepper.tablet.onJSEvent(action)

    @qi.bind(qi.Void, [qi.Int32])
    def setBattery(self, percent: int) -> None:
        self._pepper.log.add(CONTROL_SERVICE, "setBattery", percent)
        self._pepper.battery.charge = percent
        self._pepper.memory.raiseEvent(BATTERY_CHANGED, percent)

    @qi.bind(qi.Void, [qi.String])
    def setTabletWifi(self, status: str) -> None:
        """``IDLE``, ``SCANNING``, ``DISCONNECTED`` or ``CONNECTED``, as ALTabletService reports it."""
        self._pepper.log.add(CONTROL_SERVICE, "setTabletWifi", status)
        if self._pepper.tablet is not None:
            self._pepper.tablet.set_wifi(status)

    @qi.bind(qi.Void, [qi.Bool])
    def setTabletRunning(self, running: bool) -> None:
        """False: the tablet reboots (its service is gone); True: it is back."""
        self._pepper.log.add(CONTROL_SERVICE, "setTabletRunning", running)
        self._pepper.reboot_tablet(running)

    @qi.bind(qi.Void, [qi.Double])
    def setSecondsPerCharacter(self, seconds: float) -> None:
        self._pepper.speech.seconds_per_character = seconds

    @qi.bind(qi.Bool, [])
    def speaking(self) -> bool:
        return self._pepper.speech.speaking

    @qi.bind(qi.String, [])
    def settings(self) -> str:
        """The robot settings a host program may change, as JSON."""
        return json.dumps(self._pepper.settings())


class People:
    """Who is around the robot. Events and memory keys follow ALPeoplePerception and
    ALEngagementZones, which perceive only while subscribed (Autonomous Life subscribes them itself)."""

    def __init__(self, pepper: SimulatedPepper) -> None:
        self._pepper = pepper
        self._lock = threading.Lock()
        self.in_view: list[int] = []
        self.in_zone_1: list[int] = []

    def perceiving(self) -> bool:
        pepper = self._pepper
        return pepper.life.state != "disabled" or (
            bool(pepper.perception.subscribers) and bool(pepper.zones.subscribers))

    def _publish(self) -> None:
        memory = self._pepper.memory
        memory.raiseEvent(PEOPLE_LIST, list(self.in_view))
        memory.raiseEvent(PEOPLE_IN_ZONE_1, list(self.in_zone_1))

    def enter(self, person: int) -> bool:
        if not self.perceiving():
            self._pepper.log.add("ALPeoplePerception", "unseen", person)
            return False
        with self._lock:
            if person not in self.in_view:
                self.in_view.append(person)
            if person not in self.in_zone_1:
                self.in_zone_1.append(person)
        self._publish()
        self._pepper.memory.raiseEvent(PERSON_ENTERED, person)
        return True

    def step_back(self, person: int) -> bool:
        with self._lock:
            if not self.perceiving() or person not in self.in_zone_1:
                return False
            self.in_zone_1.remove(person)
        self._publish()
        self._pepper.memory.raiseEvent(PERSON_MOVED_AWAY, person)
        return True

    def leave(self, person: int) -> bool:
        with self._lock:
            if not self.perceiving() or person not in self.in_view:
                return False
            self.in_view.remove(person)
            if person in self.in_zone_1:
                self.in_zone_1.remove(person)
        self._publish()
        self._pepper.memory.raiseEvent(PERSON_LEFT, person)
        return True


class SimulatedPepper:
    """``start()`` listens on ``url`` (``tcp://127.0.0.1:0`` picks a free port; see ``url``)."""

    def __init__(self, listen: str, seconds_per_character: float = 0.02,
                 strictness: Strictness | None = None) -> None:
        self.listen = listen
        self.seconds_per_character = seconds_per_character
        self.strictness = strictness or Strictness()
        self.log = CallLog()
        self.session: qi.Session | None = None

    def start(self) -> SimulatedPepper:
        strict = self.strictness
        session = qi.Session()
        session.listenStandalone(self.listen)
        self.session = session
        self.memory = ALMemory(self.log, session, strict)
        self.speech = ALTextToSpeech(self.log, self.seconds_per_character, strict.languages)
        self.tablet = ALTabletService(self.log, strict.tablet_hosts) if strict.tablet else None
        self.battery = ALBattery(self.log)
        self.motion = ALMotion(self.log)
        self.life = ALAutonomousLife(self.log, self.motion)
        self.recognition = ALSpeechRecognition(self.log, strict.languages, self.life)
        self.awareness = ALBasicAwareness(self.log)
        self.dialog = ALDialog(self.log)
        self.faces = ALFaceDetection(self.log)
        self.perception = Extractor(self.log, "ALPeoplePerception")
        self.zones = Extractor(self.log, "ALEngagementZones")
        self.people = People(self)
        services: dict[str, Any] = {
            "ALMemory": self.memory, "ALTextToSpeech": self.speech,
            "ALAnimatedSpeech": ALAnimatedSpeech(self.log, self.speech),
            "ALSpeechRecognition": self.recognition, "ALDialog": self.dialog, "ALTracker": ALTracker(self.log),
            "ALMotion": self.motion, "ALBasicAwareness": self.awareness, "ALAutonomousLife": self.life,
            "ALBattery": self.battery, "ALFaceDetection": self.faces, "ALPeoplePerception": self.perception,
            "ALEngagementZones": self.zones,
        }
        if self.tablet is not None:
            services["ALTabletService"] = self.tablet
        services[CONTROL_SERVICE] = SimulatorControl(self)  # registered last: the robot is complete
        self._services = services  # libqi keeps no reference of its own
        self._service_ids = {name: session.registerService(name, service) for name, service in services.items()}
        self.memory.insertData(BATTERY_CHANGED, self.battery.charge)
        self.memory.insertData(PEOPLE_LIST, [])
        self.memory.insertData(PEOPLE_IN_ZONE_1, [])
        return self

    @property
    def url(self) -> str:
        assert self.session is not None
        return str(self.session.endpoints()[0])

    def settings(self) -> dict[str, Any]:
        """Everything a host program may change on the robot (and must put back)."""
        return {"tts_language": self.speech.language, "asr_language": self.recognition.language,
                "asr_subscribers": sorted(self.recognition.subscribers), "asr_paused": self.recognition.paused,
                "tablet_url": self.tablet.url if self.tablet else None,
                "awareness_enabled": self.awareness.enabled, "engagement_mode": self.awareness.engagement_mode,
                "autonomous_life": self.life.state, "abilities": dict(self.life.abilities),
                "awake": self.motion.awake, "heading": self.motion.heading,
                "dialog_language": self.dialog.language, "face_recognition": self.faces.recognition,
                "people_perception": sorted(self.perception.subscribers),
                "engagement_zones": sorted(self.zones.subscribers), "memory_readers": self.memory.readers()}

    def reboot_tablet(self, back: bool) -> None:
        """The tablet's service goes away (``back`` False) or returns, as while the tablet reboots."""
        assert self.session is not None
        if not back and "ALTabletService" in self._service_ids:
            self.session.unregisterService(self._service_ids.pop("ALTabletService"))
        elif back and self.tablet is not None and "ALTabletService" not in self._service_ids:
            self._service_ids["ALTabletService"] = self.session.registerService("ALTabletService", self.tablet)

    def stop(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    def restart(self) -> SimulatedPepper:
        """As after a reboot: the same address, fresh services and settings."""
        listen = self.url
        self.stop()
        self.listen = listen
        return self.start()
