"""The robot settings the host changes, and how it puts every one of them back.

A setting is read before anything is changed, then set to the host's value; ``restore`` writes
back what was found, in reverse order, and goes on past a setting that fails (each failure is
logged and returned). What was found first is kept across reconnections: after a network blip
the robot still has the host's values, which are not what the robot had before.

Autonomous Life policy: ``disabled`` while the host runs. Otherwise its dialog owns the speech
recognizer (``setVocabulary`` fails with "modifiable_grammar already exists") and answers
visitors itself, and the languages go back at the end of its "application". Disabled, nobody
detects people, so the host subscribes ALPeoplePerception and ALEngagementZones itself, wakes the
robot (disabling Life puts it at rest) and keeps BasicAwareness on, so the robot still turns to a
visitor."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

SUBSCRIBER = "Gastvrij"
"""The name the host subscribes NAOqi modules under."""


@dataclass(frozen=True)
class Setting:
    name: str
    service: str
    ours: object
    read: Callable[[Any], object]
    write: Callable[[Any, object], None]
    required: bool = True
    """False for a service a robot may lack (ALFaceDetection): the setting is then left alone."""


def _set_life(life: Any, state: object) -> None:
    # "interactive" cannot be set by hand; Life goes back to it by itself once someone engages.
    life.setState("solitary" if state == "interactive" else state)


def _set_awake(motion: Any, awake: object) -> None:
    if awake:
        motion.wakeUp()
    else:
        motion.rest()


def _subscription(service: Any, subscribed: object) -> None:
    if subscribed:
        service.subscribe(SUBSCRIBER)
    else:
        service.unsubscribe(SUBSCRIBER)


def host_settings(language: str) -> tuple[Setting, ...]:
    """What the host sets, in order; ``language`` is the NAOqi name of the robot's home language."""
    return (
        Setting("autonomous_life", "ALAutonomousLife", "disabled", lambda s: str(s.getState()), _set_life),
        Setting("awake", "ALMotion", True, lambda s: bool(s.robotIsWakeUp()), _set_awake),
        Setting("basic_awareness", "ALBasicAwareness", True, lambda s: bool(s.isEnabled()),
                lambda s, v: s.setEnabled(bool(v))),
        Setting("engagement_mode", "ALBasicAwareness", "SemiEngaged", lambda s: str(s.getEngagementMode()),
                lambda s, v: s.setEngagementMode(str(v))),
        # No face is learnt or kept while the host runs.
        Setting("face_recognition", "ALFaceDetection", False, lambda s: bool(s.isRecognitionEnabled()),
                lambda s, v: s.setRecognitionEnabled(bool(v)), required=False),
        Setting("tts_language", "ALTextToSpeech", language, lambda s: str(s.getLanguage()),
                lambda s, v: s.setLanguage(str(v))),
        Setting("asr_language", "ALSpeechRecognition", language, lambda s: str(s.getLanguage()),
                lambda s, v: s.setLanguage(str(v))),
        # Our own subscriptions: never there before the host, always removed after it.
        Setting("people_perception", "ALPeoplePerception", True, lambda s: False, _subscription),
        Setting("engagement_zones", "ALEngagementZones", True, lambda s: False, _subscription),
    )


def undo_each(steps: Sequence[tuple[str, Callable[[], object]]]) -> list[str]:
    """Runs every step even when one fails; returns the names of those that failed (each logged)."""
    failed: list[str] = []
    for name, step in steps:
        try:
            step()
        except RuntimeError as error:
            failed.append(name)
            log.warning("could not restore robot setting", extra={"fields": {"setting": name,
                                                                           "error": str(error)[:200]}})
    return failed


class RobotSettings:
    def __init__(self, settings: Sequence[Setting]) -> None:
        self._settings = tuple(settings)
        self.found: dict[str, object] = {}
        self._applied: list[Setting] = []

    def apply(self, services: Mapping[str, Any]) -> None:
        """Reads every setting, then sets the host's values. A failure restores what was set
        and raises (the robot is left as it was found)."""
        present = [s for s in self._settings if services.get(s.service) is not None]
        for setting in self._settings:
            if setting not in present and setting.required:
                raise RuntimeError(f"{setting.service} is not on this robot")
            if setting not in present:
                log.warning("robot setting left alone", extra={"fields": {
                    "setting": setting.name, "reason": f"{setting.service} is not on this robot"}})
        now = {s.name: s.read(services[s.service]) for s in present}
        for setting in present:
            if setting.name not in self.found or now[setting.name] != setting.ours:
                self.found[setting.name] = now[setting.name]
        try:
            for setting in present:
                service = services[setting.service]
                # Read again: an earlier change may have changed it (disabling Life puts the robot at rest).
                if setting.read(service) != setting.ours:
                    setting.write(service, setting.ours)
                self._applied.append(setting)
        except RuntimeError:
            self.restore(services)
            raise

    def restore(self, services: Mapping[str, Any]) -> list[str]:
        """Writes back what was found, newest change first; the names of those that failed."""
        steps = [(s.name, lambda s=s: s.write(services[s.service], self.found[s.name]))
                 for s in reversed(self._applied) if self.found.get(s.name) != s.ours]
        self._applied.clear()
        return undo_each(steps)

    def forget_applied(self) -> None:
        """The session is gone (the robot may have restarted): nothing of this session to undo."""
        self._applied.clear()
