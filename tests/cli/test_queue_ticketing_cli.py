"""The command line of the central service, run as a user would (subprocesses)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from alembic.script import ScriptDirectory

from queue_ticketing.store.migrations import MIGRATIONS
from tests.support.live_server import free_port, wait_until


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "queue_ticketing", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=60)


@pytest.mark.parametrize("command", [[], ["serve"], ["db", "upgrade"], ["tokens", "create"], ["tokens", "list"],
                                     ["tokens", "revoke"], ["seed-demo"], ["demo"]])
def test_every_command_documents_its_options_with_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "usage: python -m queue_ticketing" in result.stdout
    if command == ["serve"]:
        for option in ("--host", "--port", "--database-url", "--config-dir", "--public-url"):
            assert option in result.stdout


def test_tokens_create_prints_the_new_token_alone_on_its_last_line(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    result = run("tokens", "create", "--role", "desk", "--location", "ijsselmonde", "--name", "balie-1",
                 env={"GASTVRIJ_DATABASE_URL": database})
    assert result.returncode == 0, result.stderr
    *_, token = result.stdout.strip().splitlines()
    assert len(token) >= 40 and " " not in token
    assert "role desk, location ijsselmonde" in result.stdout


def test_a_desk_token_is_made_for_one_desk_of_its_location_and_no_other_token_is(tmp_path: Path) -> None:
    env = {"GASTVRIJ_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"}
    made = run("tokens", "create", "--role", "desk", "--location", "ijsselmonde", "--desk", "balie-2", env=env)
    assert made.returncode == 0, made.stderr
    assert "role desk, location ijsselmonde, desk balie-2" in made.stdout
    unknown = run("tokens", "create", "--role", "desk", "--location", "ijsselmonde", "--desk", "balie-99", env=env)
    assert unknown.returncode == 2 and "has no desk 'balie-99'" in unknown.stderr and "balie-1" in unknown.stderr
    kiosk = run("tokens", "create", "--role", "kiosk", "--location", "ijsselmonde", "--desk", "balie-2", env=env)
    assert kiosk.returncode == 2 and "only a desk token" in kiosk.stderr
    listed = run("tokens", "list", env=env)
    assert any(line.split()[2:5] == ["desk", "ijsselmonde", "balie-2"] for line in listed.stdout.splitlines())


def test_tokens_for_an_unknown_location_are_refused_with_the_known_ones_named(tmp_path: Path) -> None:
    result = run("tokens", "create", "--role", "kiosk", "--location", "atlantis",
                 env={"GASTVRIJ_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"})
    assert result.returncode == 2
    assert "unknown location 'atlantis'" in result.stderr
    assert "ijsselmonde" in result.stderr


def test_a_city_wide_token_takes_no_location(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    refused = run("tokens", "create", "--role", "ops", "--location", "ijsselmonde", "--database-url", database)
    assert refused.returncode == 2 and "leave out --location" in refused.stderr
    created = run("tokens", "create", "--role", "ops", "--name", "prometheus", "--database-url", database)
    assert created.returncode == 0 and "role ops, location all" in created.stdout


def test_an_unknown_role_is_refused_by_the_parser(tmp_path: Path) -> None:
    result = run("tokens", "create", "--role", "janitor", "--location", "ijsselmonde")
    assert result.returncode == 2
    assert "invalid choice: 'janitor'" in result.stderr


def test_db_upgrade_creates_the_schema_and_says_its_revision(tmp_path: Path) -> None:
    result = run("db", "upgrade", "--database-url", f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert result.returncode == 0, result.stderr
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert f"database at revision {head}" in result.stdout


def test_seed_demo_writes_one_private_token_per_role(tmp_path: Path) -> None:
    tokens_file = tmp_path / "tokens.json"
    result = run("seed-demo", "--database-url", f"sqlite:///{tmp_path / 'demo.sqlite'}",
                 "--tokens-file", str(tokens_file))
    assert result.returncode == 0, result.stderr
    assert "demo appointment codes:" in result.stdout
    tokens = json.loads(tokens_file.read_text())["tokens"]
    assert set(tokens) == {"kiosk", "robot", "display", "desk", "host", "integration", "ops"}
    assert tokens_file.stat().st_mode & 0o077 == 0


def test_the_demo_runs_the_location_until_ctrl_c_and_then_stops_everything(tmp_path: Path) -> None:
    port = free_port()
    no_screen = {name: value for name, value in os.environ.items() if name != "DISPLAY"}
    demo = subprocess.Popen([sys.executable, "-m", "queue_ticketing", "demo", "--port", str(port),
                             "--workdir", str(tmp_path / "demo")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=no_screen)
    try:
        lines: list[str] = []

        def said_ready() -> bool:
            assert demo.stdout is not None
            line = demo.stdout.readline()
            lines.append(line)
            return "Press Ctrl-C" in line or demo.poll() is not None

        wait_until(said_ready, 60, interval=0, what="the demo to start")
        output = "".join(lines)
        assert f"http://127.0.0.1:{port}/docs" in output
        queue_url = f"http://127.0.0.1:{port}/api/v1/locations/ijsselmonde/queue"
        assert requests.get(queue_url, timeout=5).status_code == 200
        # The simulated visitors draw tickets and the simulated desks call them.
        wait_until(lambda: requests.get(queue_url, timeout=5).json()["recent_calls"], 40, interval=0.5,
                   what="a simulated desk to call a ticket")
        # The robot host on the simulated Pepper greets the scenario's visitor.
        robot_log = tmp_path / "demo" / "robot.log"
        wait_until(lambda: "ALAnimatedSpeech.say('Goe" in robot_log.read_text(errors="replace"), 60, interval=0.5,
                   what="the robot host to greet the simulated visitor")
        # ... on the strict simulated Pepper: its tablet loads the menu, the visitor's "paspoort" draws a ticket.
        wait_until(lambda: "ALTabletService.pageLoaded('http://gastvrij-demo.test:" in robot_log.read_text(
            errors="replace"), 30, interval=0.5, what="the robot's tablet to load its menu")
        wait_until(lambda: "Uw nummer is" in robot_log.read_text(errors="replace"), 30, interval=0.5,
                   what="the robot to speak the ticket's number")
        if shutil.which("Xvfb"):  # no screen here: the kiosk runs on a virtual one and says where its picture is
            picture = tmp_path / "demo" / "kiosk-screen.png"
            assert str(picture) in output
            wait_until(picture.exists, 60, interval=0.5, what="the kiosk's picture")
        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=30) == 0
        with pytest.raises(requests.ConnectionError):
            requests.get(queue_url, timeout=2)
        left = subprocess.run(["pgrep", "-f", str(tmp_path / "demo")], capture_output=True, text=True).stdout
        assert left == "", "every process the demo started is stopped"
    finally:
        if demo.poll() is None:
            demo.kill()
