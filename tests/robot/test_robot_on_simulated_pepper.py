"""The real robot host over real libqi sessions against the strict simulated Pepper (a child
process), and the real central service on loopback."""

from __future__ import annotations

import subprocess
import sys

import requests

from tests.support.live_server import ThreadServer, free_port, wait_until

from .conftest import SimulatorProcess

GREETING = "Goedemorgen, welkom bij Rotterdam IJsselmonde!"


def _waiting_tickets(central: ThreadServer) -> int:
    queue = requests.get(f"{central.url}/api/v1/locations/ijsselmonde/queue", timeout=5).json()
    return sum(s["waiting"] for s in queue["services"])


def _open_assists(central: ThreadServer, host_token: str) -> list[dict]:
    answer = requests.get(f"{central.url}/api/v1/locations/ijsselmonde/assist-requests",
                          headers={"Authorization": f"Bearer {host_token}"}, timeout=5)
    answer.raise_for_status()
    data = answer.json()
    return data if isinstance(data, list) else data.get("results", data.get("items", []))


def test_a_person_entering_is_greeted_with_animated_speech_the_tablet_menu_and_listening(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    simulator.wait_for("ALAnimatedSpeech", "say", lambda args: args == [GREETING])
    simulator.wait_for("ALTabletService", "pageLoaded", lambda args: "/robot/ijsselmonde/menu?lang=nl" in args[0])
    vocabulary = simulator.wait_for("ALSpeechRecognition", "setVocabulary")[3][0]
    assert "paspoort" in vocabulary
    simulator.wait_for("ALSpeechRecognition", "subscribe")


def test_saying_paspoort_draws_one_ticket_and_speaks_its_number(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    wait_until(lambda: simulator.control.hear("paspoort", 0.8), what="the robot to listen")
    simulator.wait_to_say("Uw nummer is P 1.")
    assert _waiting_tickets(central) == 1


def test_a_visitor_who_leaves_mid_sentence_is_not_said_goodbye_to(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    start_host(simulator, central.url, token_for("robot"))
    simulator.control.setSecondsPerCharacter(0.5)  # the greeting takes half a minute
    simulator.control.personEnters(1)
    wait_until(simulator.control.speaking, what="the greeting to start")
    simulator.control.personLeaves(1)
    simulator.wait_for("ALTextToSpeech", "stopAll")
    simulator.wait_for("ALAnimatedSpeech", "interrupted", lambda args: args == [GREETING])
    wait_until(lambda: len(simulator.calls("ALTabletService", "pageLoaded")) == 2, what="the tablet's menu again")
    assert simulator.said() == [GREETING]
    assert simulator.settings()["asr_subscribers"] == []  # the robot listens only once it has spoken


def test_tapping_a_desk_on_the_tablet_gives_directions_and_points_at_it(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    simulator.wait_for("ALAnimatedSpeech", "say")
    simulator.control.tap("place:balie-2")
    effector, target, frame, _ = simulator.wait_for("ALTracker", "pointAt")[3]
    assert effector == "Arms" and frame == 2 and len(target) == 3 and target[0] > 0


def test_asking_for_a_person_reaches_the_hosts_dashboard(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    start_host(simulator, central.url, token_for("robot"))
    host_token = token_for("host")
    simulator.control.personEnters(1)
    wait_until(lambda: simulator.control.hear("medewerker", 0.9), what="the robot to listen")
    simulator.wait_to_say("Er komt een collega naar u toe.")
    wait_until(lambda: _open_assists(central, host_token), what="the assist request")


def test_low_battery_tells_the_hosts_and_the_robot_stops_engaging(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    running = start_host(simulator, central.url, token_for("robot"))
    host_token = token_for("host")
    simulator.control.setBattery(12)
    wait_until(lambda: running.mode == "low_battery", what="low battery")
    wait_until(lambda: any(a.get("reason") == "low_battery" for a in _open_assists(central, host_token)),
               what="the low-battery assist request")
    simulator.control.personEnters(1)
    simulator.control.setBattery(35)  # events are handled in order: the person came before the charge
    wait_until(lambda: running.mode == "idle", what="recovery")
    assert simulator.said() == []


def test_a_hosts_pause_from_the_dashboard_reaches_the_robot_and_it_stops_engaging(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    robot, host_token = token_for("robot"), token_for("host")
    running = start_host(simulator, central.url, robot)
    pepper = requests.get(f"{central.url}/api/v1/devices/me", headers={"Authorization": f"Bearer {robot}"},
                          timeout=5).json()["id"]

    def command(what: str) -> None:
        answer = requests.post(f"{central.url}/api/v1/locations/ijsselmonde/devices/{pepper}/commands",
                               json={"command": what}, headers={"Authorization": f"Bearer {host_token}"}, timeout=5)
        assert answer.status_code == 202, answer.text

    command("pause")
    wait_until(lambda: running.mode == "paused", what="the robot to pause")
    simulator.wait_for("ALTabletService", "pageLoaded", lambda args: "/robot/ijsselmonde/paused?" in args[0])
    simulator.control.personEnters(1)
    simulator.control.setBattery(80)  # events are handled in order: the person came before this reading
    wait_until(lambda: running.host.state.battery == 80, what="the battery reading")
    assert simulator.said() == []

    command("resume")
    wait_until(lambda: running.mode == "idle", what="the robot to resume")
    simulator.control.personEnters(2)
    simulator.wait_for("ALAnimatedSpeech", "say", lambda args: args == [GREETING])


def test_when_the_central_service_is_down_the_visitor_is_sent_to_the_kiosk(
        simulator: SimulatorProcess, start_host) -> None:  # type: ignore[no-untyped-def]
    running = start_host(simulator, f"http://127.0.0.1:{free_port()}", "no-server-here")
    simulator.control.personEnters(1)
    wait_until(lambda: simulator.control.hear("paspoort", 0.8), what="the robot to listen")
    simulator.wait_to_say("Gebruik de zuil bij de ingang")
    assert not running.host.state.service_up


def test_the_robot_reconnects_after_the_simulator_is_killed_and_restarted(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    running = start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    simulator.wait_for("ALAnimatedSpeech", "say")
    simulator.kill()
    wait_until(lambda: not running.pepper.connected, what="the robot host to notice")
    simulator.start()
    wait_until(lambda: running.pepper.connections == 2, what="the reconnection")
    wait_until(lambda: simulator.settings()["engagement_mode"] == "SemiEngaged", what="settings applied again")
    simulator.control.personEnters(1)
    simulator.wait_for("ALAnimatedSpeech", "say", lambda args: args == [GREETING])


def test_closing_the_host_restores_every_robot_setting_it_changed(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    before = simulator.settings()
    running = start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    simulator.wait_for("ALSpeechRecognition", "subscribe")
    assert simulator.settings() != before
    running.close()
    assert simulator.settings() == before


def test_no_face_is_learnt_while_the_host_runs(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    assert simulator.settings()["face_recognition"] is True  # NAOqi's default
    running = start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    simulator.wait_for("ALAnimatedSpeech", "say", lambda args: args == [GREETING])
    assert simulator.settings()["face_recognition"] is False
    running.close()
    assert simulator.settings()["face_recognition"] is True


def test_both_programs_explain_themselves_with_help() -> None:
    for module in ("robot_host", "robot_host.sim"):
        out = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=30)
        assert out.returncode == 0 and "usage:" in out.stdout


def test_tickets_are_drawn_again_once_the_central_service_returns(
        simulator: SimulatorProcess, sqlite_url: str, clock, start_host) -> None:  # type: ignore[no-untyped-def]
    from queue_ticketing.api.app import create_app
    from queue_ticketing.services.devices import create_device
    from queue_ticketing.settings import Settings
    from queue_ticketing.store.database import Database
    from queue_ticketing.store.migrations import upgrade
    from queue_ticketing.store.write_batch import write_alone

    db = Database(sqlite_url)
    upgrade(db)
    token = write_alone(db, clock, lambda uow: create_device(uow, "robot", "ijsselmonde", "robot-test").token)
    db.dispose()
    port = free_port()
    running = start_host(simulator, f"http://127.0.0.1:{port}", token)
    simulator.control.personEnters(1)
    wait_until(lambda: simulator.control.hear("paspoort", 0.8), what="the robot to listen")
    simulator.wait_to_say("Gebruik de zuil bij de ingang")
    central = ThreadServer(create_app(Settings(database_url=sqlite_url, access_log=False), clock=clock),
                           port=port).start()
    try:
        wait_until(lambda: running.host.state.service_up, what="the robot to notice the service is back")
        wait_until(lambda: simulator.control.hear("paspoort", 0.8), what="the robot to listen")
        simulator.wait_to_say("Uw nummer is P 1.")
        assert _waiting_tickets(central) == 1
    finally:
        central.stop()
