"""The settings the host changes on the robot: found first, set, and every one put back even when
another cannot be (plain objects with NAOqi's method names stand in for the robot's services)."""

from __future__ import annotations

from typing import Any

import pytest

from robot_host.robot_settings import RobotSettings, Setting, host_settings


class Awareness:
    def __init__(self, mode: str = "Unengaged", fails_on: str | None = None) -> None:
        self.mode, self.fails_on = mode, fails_on

    def getEngagementMode(self) -> str:
        return self.mode

    def setEngagementMode(self, mode: str) -> None:
        if mode == self.fails_on:
            raise RuntimeError("ALBasicAwareness::setEngagementMode\tthe service is restarting")
        self.mode = mode


def _mode(name: str, service: str) -> Setting:
    return Setting(name, service, "SemiEngaged", lambda s: s.getEngagementMode(),
                   lambda s, v: s.setEngagementMode(v))


def test_restore_puts_back_every_setting_even_past_one_that_fails() -> None:
    first, broken, last = Awareness(), Awareness(fails_on="Unengaged"), Awareness()
    services: dict[str, Any] = {"A": first, "B": broken, "C": last}
    settings = RobotSettings([_mode("a", "A"), _mode("b", "B"), _mode("c", "C")])
    settings.apply(services)
    assert [s.mode for s in (first, broken, last)] == ["SemiEngaged"] * 3
    assert settings.restore(services) == ["b"]
    assert (first.mode, last.mode) == ("Unengaged", "Unengaged")


def test_a_setting_that_cannot_be_applied_leaves_the_robot_as_it_was() -> None:
    first, refusing = Awareness(), Awareness(fails_on="SemiEngaged")
    settings = RobotSettings([_mode("a", "A"), _mode("b", "B")])
    with pytest.raises(RuntimeError):
        settings.apply({"A": first, "B": refusing})
    assert first.mode == "Unengaged"


def test_after_a_network_blip_the_first_found_value_is_restored_not_the_host_s() -> None:
    awareness = Awareness()
    settings = RobotSettings([_mode("a", "A")])
    settings.apply({"A": awareness})
    settings.forget_applied()  # the session dropped; the robot kept the host's value
    settings.apply({"A": awareness})
    settings.restore({"A": awareness})
    assert awareness.mode == "Unengaged"


def test_an_optional_service_the_robot_lacks_is_left_alone_and_a_required_one_refuses() -> None:
    settings = host_settings("Dutch")
    optional = next(s for s in settings if s.service == "ALFaceDetection")
    assert not optional.required
    with pytest.raises(RuntimeError, match="ALAutonomousLife is not on this robot"):
        RobotSettings(settings).apply({})


def test_autonomous_life_is_disabled_and_people_perception_subscribed_by_the_host() -> None:
    ours = {s.name: s.ours for s in host_settings("Dutch")}
    assert ours["autonomous_life"] == "disabled" and ours["awake"] is True
    assert ours["people_perception"] is True and ours["engagement_zones"] is True
    assert ours["face_recognition"] is False
