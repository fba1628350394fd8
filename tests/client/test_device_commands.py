"""A robot's client reads the hosts' pause/resume commands: the latest at start, then in order."""

from __future__ import annotations

import uuid

from queue_ticketing.client import Client
from queue_ticketing.domain.clock import FixedClock
from tests.client.conftest import HOME, CentralService
from tests.conftest import Api


def test_the_robot_reads_its_latest_command_then_the_next_ones_in_order(
        central: CentralService, make_token, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    api, host, robot = Api(central.url), make_token("host"), make_token("robot")
    pepper = api.get("/api/v1/devices/me", robot).json()["id"]

    def command(what: str) -> None:
        answer = api.post(f"/api/v1/locations/{HOME}/devices/{pepper}/commands", host, {"command": what},
                          key=str(uuid.uuid4()))
        assert answer.status_code == 202, answer.text

    with Client(central.url, robot, clock=clock, background=False) as client:
        assert client.device_commands().commands == ()
        command("pause")
        command("resume")
        command("pause")
        latest = client.device_commands()
        assert [c.command for c in latest.commands] == ["pause"]
        command("resume")
        assert [c.command for c in client.device_commands(latest.last_id).commands] == ["resume"]
