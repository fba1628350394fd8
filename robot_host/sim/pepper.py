"""The simulated Pepper: one standalone libqi session serving the NAOqi services of
``naoqi_services`` plus ``GastvrijSimulator``, the control panel tests and the scenario driver use
to make things happen (a person enters, says a word, taps the tablet, the battery drops) and to
read the call log."""

from __future__ import annotations

import json
import logging
from typing import Any

import qi

from .naoqi_services import (
    BATTERY_CHANGED,
    PERSON_ENTERED,
    PERSON_LEFT,
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

    @qi.bind(qi.Void, [qi.Int32])
    def personEnters(self, person: int) -> None:
        self._pepper.log.add(CONTROL_SERVICE, "personEnters", person)
        self._pepper.memory.raiseEvent(PERSON_ENTERED, person)

    @qi.bind(qi.Void, [qi.Int32])
    def personLeaves(self, person: int) -> None:
        self._pepper.log.add(CONTROL_SERVICE, "personLeaves", person)
        self._pepper.memory.raiseEvent(PERSON_LEFT, person)

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
        self._pepper.tablet.onJSEvent(action)

    @qi.bind(qi.Void, [qi.Int32])
    def setBattery(self, percent: int) -> None:
        self._pepper.log.add(CONTROL_SERVICE, "setBattery", percent)
        self._pepper.battery.charge = percent
        self._pepper.memory.raiseEvent(BATTERY_CHANGED, percent)

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


class SimulatedPepper:
    """``start()`` listens on ``url`` (``tcp://127.0.0.1:0`` picks a free port; see ``url``)."""

    def __init__(self, listen: str, seconds_per_character: float = 0.02) -> None:
        self.listen = listen
        self.seconds_per_character = seconds_per_character
        self.log = CallLog()
        self.session: qi.Session | None = None

    def start(self) -> SimulatedPepper:
        session = qi.Session()
        session.listenStandalone(self.listen)
        self.session = session
        self.memory = ALMemory(self.log, session)
        self.speech = ALTextToSpeech(self.log, self.seconds_per_character)
        self.tablet = ALTabletService(self.log)
        self.recognition = ALSpeechRecognition(self.log)
        self.battery = ALBattery(self.log)
        self.motion = ALMotion(self.log)
        self.awareness = ALBasicAwareness(self.log)
        self.life = ALAutonomousLife(self.log)
        self.dialog = ALDialog(self.log)
        self.faces = ALFaceDetection(self.log)
        services: dict[str, Any] = {
            "ALMemory": self.memory, "ALTextToSpeech": self.speech,
            "ALAnimatedSpeech": ALAnimatedSpeech(self.log, self.speech), "ALTabletService": self.tablet,
            "ALSpeechRecognition": self.recognition, "ALDialog": self.dialog, "ALTracker": ALTracker(self.log),
            "ALMotion": self.motion, "ALBasicAwareness": self.awareness, "ALAutonomousLife": self.life,
            "ALBattery": self.battery, "ALFaceDetection": self.faces, CONTROL_SERVICE: SimulatorControl(self),
        }
        self._services = services  # libqi keeps no reference of its own
        for name, service in services.items():
            session.registerService(name, service)
        self.memory.insertData(BATTERY_CHANGED, self.battery.charge)
        return self

    @property
    def url(self) -> str:
        assert self.session is not None
        return str(self.session.endpoints()[0])

    def settings(self) -> dict[str, Any]:
        return {"tts_language": self.speech.language, "asr_language": self.recognition.language,
                "asr_subscribers": sorted(self.recognition.subscribers), "tablet_url": self.tablet.url,
                "awareness_enabled": self.awareness.enabled, "engagement_mode": self.awareness.engagement_mode,
                "autonomous_life": self.life.state, "dialog_language": self.dialog.language,
                "face_recognition": self.faces.recognition}

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
