"""What a NAOqi 2.5 robot reached from pip ``qi`` really does, and the host coping with it, on the
strict simulated Pepper: events without ``ALMemory.subscriber``, Autonomous Life, people
perception, language packs, a tablet on its own Wi-Fi, pointing at places behind the robot."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.support.live_server import ThreadServer, wait_until
from tests.support.sse import SseReader

from .conftest import RunningHost, SimulatorProcess

GREETING = "Goedemorgen, welkom bij Rotterdam IJsselmonde!"


def _greeted_and_ticket_drawn_by_voice(sim: SimulatorProcess) -> None:
    assert sim.control.personEnters(1)
    sim.wait_for("ALAnimatedSpeech", "say", lambda args: args == [GREETING])
    wait_until(lambda: sim.control.hear("paspoort", 0.8), what="the robot to listen")
    sim.wait_to_say("Uw nummer is P 1.")


def test_when_the_subscriber_fails_events_come_through_subscribe_to_event_and_the_log_says_so(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host,  # type: ignore[no-untyped-def]
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="robot_host.memory_events")
    running = start_host(simulator, central.url, token_for("robot"))
    assert running.pepper.events_way == "ALMemory.subscribeToEvent"
    said = next(r for r in caplog.records if r.getMessage() == "robot events")
    assert said.levelno == logging.WARNING
    assert said.fields["way"] == "ALMemory.subscribeToEvent"  # type: ignore[attr-defined]
    assert "Invalid signature" in said.fields["not_used"][0]  # type: ignore[attr-defined]
    _greeted_and_ticket_drawn_by_voice(simulator)


def test_when_the_robot_cannot_call_back_events_are_polled(
        start_simulator: Callable[..., SimulatorProcess], central: ThreadServer, token_for,  # type: ignore[no-untyped-def]
        start_host) -> None:
    sim = start_simulator("--callbacks-unreachable")
    running = start_host(sim, central.url, token_for("robot"))
    assert running.pepper.events_way == "ALMemory.getData polling"
    _greeted_and_ticket_drawn_by_voice(sim)
    assert sim.control.personStepsBack(1)
    wait_until(lambda: running.mode == "idle", what="the visitor who stepped back to be let go")


def test_where_the_subscriber_works_it_is_used(
        start_simulator: Callable[..., SimulatorProcess], central: ThreadServer, token_for,  # type: ignore[no-untyped-def]
        start_host) -> None:
    sim = start_simulator("--subscriber-works")
    running = start_host(sim, central.url, token_for("robot"))
    assert running.pepper.events_way == "ALMemory.subscriber"
    _greeted_and_ticket_drawn_by_voice(sim)


def test_no_robot_setting_changes_before_the_connection_is_complete(
        start_simulator: Callable[..., SimulatorProcess], central: ThreadServer, token_for,  # type: ignore[no-untyped-def]
        start_host) -> None:
    sim = start_simulator("--callbacks-unreachable")
    before = sim.settings()
    with pytest.raises(AssertionError):  # no way to receive events: the host never connects
        start_host(sim, central.url, token_for("robot"), memory_ways=("subscriber", "callback"))
    changes = [c for c in sim.calls() if c[2].startswith("set") or c[2] in ("subscribe", "wakeUp", "rest")]
    assert changes == [] and sim.settings()["autonomous_life"] == before["autonomous_life"]


def test_autonomous_life_owns_the_recognizer_until_the_host_disables_it_and_gets_it_back(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    before = simulator.settings()
    assert before["autonomous_life"] == "solitary" and before["people_perception"] == []
    running: RunningHost = start_host(simulator, central.url, token_for("robot"))
    during = simulator.settings()
    assert during["autonomous_life"] == "disabled" and during["awake"] is True
    assert during["people_perception"] == ["Gastvrij"] and during["engagement_zones"] == ["Gastvrij"]
    _greeted_and_ticket_drawn_by_voice(simulator)
    running.close()
    after = simulator.settings()
    assert after == {**before, "tablet_url": after["tablet_url"]} and after["tablet_url"] == ""


def test_a_visitor_who_steps_back_but_stays_in_view_is_let_go_at_once(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    running = start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    wait_until(lambda: simulator.control.hear("openingstijden", 0.9), what="the robot to listen")
    simulator.wait_to_say("Vandaag zijn we open")
    assert simulator.control.personStepsBack(1)
    wait_until(lambda: running.mode == "idle", what="the robot to let the visitor go")
    simulator.wait_for("ALSpeechRecognition", "unsubscribe")
    assert simulator.control.personEnters(1)  # back again: a new visit
    wait_until(lambda: simulator.said().count(GREETING) == 2, what="the second greeting")


def test_the_robot_listens_only_after_it_has_spoken_and_never_runs_two_recognition_calls_at_once(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    wait_until(lambda: simulator.control.hear("engels", 0.9), what="the robot to listen")
    simulator.wait_to_say("How can I help you?")
    wait_until(lambda: simulator.control.hear("passport", 0.9), what="the robot to listen in English")
    simulator.wait_to_say("Your number is P 1.")
    calls = simulator.calls()
    assert not [c for c in calls if c[2] == "concurrentCall"]
    greeting_done = next(c[0] for c in calls if c[2] == "done" and c[3] == [GREETING])
    first_listen = next(c[0] for c in calls if c[1:3] == ("ALSpeechRecognition", "subscribe"))
    assert first_listen > greeting_done
    languages = [c[3][0] for c in calls if c[1:3] == ("ALSpeechRecognition", "setLanguage")]
    assert languages == ["Dutch", "English"]


def test_languages_follow_the_robot_s_packs_and_the_missing_ones_are_named_at_connect(
        start_simulator: Callable[..., SimulatorProcess], central: ThreadServer, token_for,  # type: ignore[no-untyped-def]
        start_host, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="robot_host.naoqi_adapter")
    sim = start_simulator("--languages", "English,Dutch,Turkish")
    running = start_host(sim, central.url, token_for("robot"))
    assert running.pepper.spoken == ("nl", "en", "tr")
    missing = next(r for r in caplog.records if r.getMessage().startswith("robot language packs missing"))
    assert missing.fields["missing"] == ["pl (Polish: no speech and recognition pack)",  # type: ignore[attr-defined]
                                         "ar (Arabic: no speech and recognition pack)"]
    sim.control.personEnters(1)
    sim.wait_for("ALAnimatedSpeech", "say", lambda args: args == [GREETING])
    sim.control.tap("language:tr")
    sim.wait_to_say("Size nasıl yardımcı olabilirim?")
    sim.wait_for("ALSpeechRecognition", "setLanguage", lambda args: args == ["Turkish"])
    sim.control.tap("language:pl")  # no Polish pack: the tablet in Polish, the robot in English
    sim.wait_for("ALTabletService", "pageLoaded", lambda args: "menu?lang=pl" in args[0])
    sim.wait_to_say("How can I help you?")
    assert not [c for c in sim.calls("ALTextToSpeech", "setLanguage") if c[3] == ["Polish"]]


def test_the_tablet_shows_its_pages_from_the_central_service_s_address_on_its_wi_fi(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    loaded = simulator.wait_for("ALTabletService", "pageLoaded")[3][0]
    assert loaded == "http://gastvrij.test/robot/ijsselmonde/menu?lang=nl"
    wait_until(lambda: simulator.control.hear("paspoort", 0.8), what="the robot to listen")
    ticket = simulator.wait_for("ALTabletService", "pageLoaded", lambda args: "/t/" in args[0])[3][0]
    assert ticket.startswith("https://gastvrij.test/t/")


def test_a_page_the_tablet_cannot_load_and_its_wi_fi_reach_the_hosts_dashboard(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    host_token = token_for("host")
    events = SseReader(f"{central.url}/api/v1/locations/ijsselmonde/events", host_token)
    try:
        # As if started with the central service's loopback address (python -m robot_host refuses it).
        running = start_host(simulator, central.url, token_for("robot"), tablet_base=central.url)
        simulator.control.personEnters(1)
        simulator.wait_for("ALTabletService", "onLoadPageError")
        wait_until(lambda: running.host.state.tablet == "page_error", what="the robot to notice")

        def reported(tablet: str) -> bool:
            event = events.next("device.status", seconds=5)
            return event.data.get("tablet") == tablet

        wait_until(lambda: reported("page_error"), seconds=10, what="the hosts to be told")
        simulator.control.setTabletWifi("DISCONNECTED")
        wait_until(lambda: reported("wifi_disconnected"), seconds=10, what="the Wi-Fi report")
    finally:
        events.close()


def test_a_robot_without_its_tablet_service_still_greets_and_draws_tickets(
        start_simulator: Callable[..., SimulatorProcess], central: ThreadServer, token_for,  # type: ignore[no-untyped-def]
        start_host) -> None:
    sim = start_simulator("--no-tablet")
    running = start_host(sim, central.url, token_for("robot"))
    _greeted_and_ticket_drawn_by_voice(sim)
    assert running.host.state.tablet == "missing"


def test_a_desk_behind_the_robot_is_pointed_at_after_turning_and_the_robot_turns_back(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    running = start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    simulator.wait_for("ALAnimatedSpeech", "say", lambda args: args == [GREETING])
    simulator.control.tap("place:balie-1")  # the robot faces the entrance; desk 1 is on its right
    x, y, height = simulator.wait_for("ALTracker", "pointAt")[3][1]
    turn = simulator.calls("ALMotion", "moveTo")[0][3]
    assert turn == [0.0, 0.0, -1.571] and x > 0 and abs(y) < 0.01 and height == 1.0
    simulator.control.personLeaves(1)
    wait_until(lambda: simulator.settings()["heading"] == 0.0, what="the robot to turn back")
    assert not [r for r in simulator.calls() if r[2] == "pointAt" and r[3][1][0] <= 0]
    running.close()
    assert simulator.settings()["heading"] == 0.0


@pytest.mark.parametrize("variable", ["--tablet-url", "GASTVRIJ_TABLET_URL"])
def test_a_loopback_tablet_address_is_refused_at_start(variable: str) -> None:
    loopback = "http://127.0.0.1:8000"
    command = [sys.executable, "-m", "robot_host", "--token", "t", "--server", loopback]
    env = dict(os.environ)
    if variable.startswith("--"):
        command += [variable, "http://localhost:8000"]
    else:
        env[variable] = loopback
    out = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 2
    assert "tablet cannot reach" in out.stderr and "--tablet-url" in out.stderr


def test_a_rebooting_tablet_does_not_stop_the_robot_and_is_used_again_once_back(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    running = start_host(simulator, central.url, token_for("robot"))
    simulator.control.setTabletRunning(False)
    _greeted_and_ticket_drawn_by_voice(simulator)
    simulator.control.setTabletRunning(True)
    simulator.control.personLeaves(1)  # the next visitor's menu is shown on the tablet that is back
    simulator.wait_for("ALTabletService", "pageLoaded", lambda args: "menu?lang=nl" in args[0])
    wait_until(lambda: running.host.state.tablet == "ok", what="the dashboard to hear the tablet is back")
