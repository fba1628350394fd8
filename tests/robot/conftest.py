"""Fixtures for the robot host: the strict simulated Pepper in a child process (real libqi on
loopback), the real central service on SQLite, and the robot host wired to both.

The simulated tablet reaches the central service under the name ``gastvrij.test`` (its own Wi-Fi),
never through a loopback address, as a real Pepper's tablet."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import qi

from location_config import load_location
from queue_ticketing.api.app import create_app
from queue_ticketing.client import Client, RetryPolicy, Timeouts
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.devices import create_device
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.write_batch import write_alone
from robot_host.behaviour import initial_state
from robot_host.central_service import CentralService
from robot_host.host import RobotHost
from robot_host.naoqi_adapter import Pepper
from robot_host.sim import CONTROL_SERVICE
from tests.support.live_server import ThreadServer, free_port, wait_until

Call = tuple[float, str, str, list[Any]]


TABLET_HOST = "gastvrij.test"
"""The central service's name on the simulated tablet's Wi-Fi (the tests' public URL's host too)."""


class SimulatorProcess:
    """``python -m robot_host.sim`` as a child process, driven over qi through its control service."""

    def __init__(self, port: int, log: Path, options: tuple[str, ...] = ()) -> None:
        self.url = f"tcp://127.0.0.1:{port}"
        self.log = log
        self.options = options
        self.process: subprocess.Popen[bytes] | None = None
        self.session: Any = None
        self.control: Any = None

    def start(self) -> SimulatorProcess:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "robot_host.sim", "--listen", self.url, "--seconds-per-character", "0.001",
                 *self.options], stdout=out, stderr=subprocess.STDOUT)
        self.session = wait_until(self._connect, 20, interval=0.05, what="the simulated Pepper")
        self.control = self.session.service(CONTROL_SERVICE)
        return self

    def _connect(self) -> Any:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"the simulator exited: {self.log.read_text()[-2000:]}")
        session = qi.Session()
        try:
            session.connect(self.url)
            session.service(CONTROL_SERVICE)  # registered last: the simulator is complete
        except RuntimeError:
            session.close()
            return None
        return session

    def kill(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def calls(self, service: str | None = None, method: str | None = None) -> list[Call]:
        return [tuple(c) for c in json.loads(self.control.calls())  # type: ignore[misc]
                if (service is None or c[1] == service) and (method is None or c[2] == method)]

    def said(self) -> list[str]:
        return [c[3][0] for c in self.calls() if c[2] == "say"]

    def wait_for(self, service: str, method: str, match: Callable[[list[Any]], bool] = lambda args: True,
                 seconds: float = 10.0) -> Call:
        return wait_until(lambda: next((c for c in self.calls(service, method) if match(c[3])), None), seconds,
                          what=f"{service}.{method}")

    def wait_to_say(self, fragment: str, seconds: float = 10.0) -> Call:
        return wait_until(lambda: next((c for c in self.calls(method="say") if fragment in c[3][0]), None),
                          seconds, what=f"the robot to say {fragment!r}")

    def settings(self) -> dict[str, Any]:
        return json.loads(self.control.settings())


@pytest.fixture
def start_simulator(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., SimulatorProcess]]:
    """``start_simulator(*options)``: the strict simulated Pepper with extra command-line options;
    its tablet reaches the ``central`` service when the test uses it."""
    started: list[SimulatorProcess] = []

    def start(*options: str) -> SimulatorProcess:
        tablet: tuple[str, ...] = ()
        if "central" in request.fixturenames:
            tablet = ("--tablet-host", f"{TABLET_HOST}={request.getfixturevalue('central').url}")
        sim = SimulatorProcess(free_port(), tmp_path / f"sim-{len(started)}.log", (*tablet, *options)).start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.kill()


@pytest.fixture
def simulator(start_simulator: Callable[..., SimulatorProcess]) -> SimulatorProcess:
    """The simulated Pepper as strict as a NAOqi 2.5 robot: ``ALMemory.subscriber`` fails, Dutch and
    English installed, Autonomous Life on."""
    return start_simulator()


@pytest.fixture
def central(sqlite_url: str, clock: FixedClock) -> Iterator[ThreadServer]:
    """The real central service on SQLite (the robot's tests need no PostgreSQL round)."""
    live = ThreadServer(create_app(Settings(database_url=sqlite_url, access_log=False, sse_heartbeat_seconds=0.5,
                                            public_url=f"https://{TABLET_HOST}"), clock=clock)).start()
    yield live
    live.stop()


@pytest.fixture
def token_for(central: ThreadServer, sqlite_url: str, clock: FixedClock) -> Iterator[Callable[..., str]]:
    """``token_for(role, location="ijsselmonde")``: a device token of the central service."""
    db = Database(sqlite_url)
    upgrade(db)

    def make(role: str, location: str = "ijsselmonde") -> str:
        return write_alone(db, clock, lambda uow: create_device(uow, role, location, f"{role}-test").token)

    yield make
    db.dispose()


class RunningHost:
    def __init__(self, host: RobotHost, pepper: Pepper, central: CentralService, client: Client) -> None:
        self.host, self.pepper, self.central, self.client = host, pepper, central, client

    @property
    def mode(self) -> str:
        return self.host.state.mode

    def close(self) -> None:
        self.host.stop()
        self.pepper.close()
        self.central.close()
        self.client.close()


@pytest.fixture
def start_host(clock: FixedClock) -> Iterator[Callable[..., RunningHost]]:
    """``start_host(simulator, server_url, token)``: the robot host as ``python -m robot_host`` wires it,
    its tablet pages at ``http://gastvrij.test``; ``location=`` another location than IJsselmonde."""
    running: list[RunningHost] = []

    def start(sim: SimulatorProcess, server: str, token: str,
              memory_ways: tuple[str, ...] = ("subscriber", "callback", "polling"),
              tablet_base: str = f"http://{TABLET_HOST}", location: str = "ijsselmonde") -> RunningHost:
        config = load_location(location)
        placement = next((d.placement for d in config.devices if d.kind == "robot"), None)
        host = RobotHost(initial_state(config), clock=clock, tick_seconds=0.2)
        client = Client(server, token, clock=clock, timeouts=Timeouts(connect=0.5, read=3.0, total=4.0),
                        retry=RetryPolicy(attempts=1), sync_interval=0.2, max_sync_interval=0.5)
        central = CentralService(client, location, host.emit, command_seconds=0.2)
        pepper = Pepper(sim.url, host.emit, placement=placement, memory_ways=memory_ways, retry_seconds=0.1,
                        tablet_url=lambda page, lang: f"{tablet_base}/robot/{location}/{page}?lang={lang}")
        host.connect(pepper.execute, central.execute)
        host.start()
        one = RunningHost(host, pepper, central, client)
        running.append(one)  # closed at the end even when it never connects
        pepper.start()
        assert pepper.connected
        return one

    yield start
    for one in running:
        one.close()
