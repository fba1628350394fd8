"""Fixtures for the client tests: the real central service on a fixed loopback port that the test
stops and starts again (same database, same clock), tokens, and the appointment to check in with."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from queue_ticketing.api.app import create_app
from queue_ticketing.client import Client
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from tests.support.live_server import ThreadServer, free_port

HOME = "ijsselmonde"


class CentralService:
    """The central service on one port across restarts: ``stop()`` takes it off the network,
    ``start()`` brings it back on the same port with the same database."""

    def __init__(self, settings: Settings, clock: FixedClock) -> None:
        self.settings = settings
        self.clock = clock
        self.port = free_port()
        self.live: ThreadServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> CentralService:
        self.live = ThreadServer(create_app(self.settings, clock=self.clock), self.port).start()
        return self

    def stop(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None


@pytest.fixture
def central(settings: Settings, clock: FixedClock) -> Iterator[CentralService]:
    service = CentralService(settings, clock).start()
    yield service
    service.stop()


@pytest.fixture
def kiosk(make_token: Callable[..., str]) -> str:
    return str(make_token("kiosk", name="kiosk-1"))


@pytest.fixture
def desk_view(central: CentralService, make_token: Callable[..., str]) -> Iterator[Client]:
    """A desk's client, to look at the queue ticket by ticket."""
    client = Client(central.url, make_token("desk"), background=False)
    yield client
    client.close()


@pytest.fixture
def outbox_path(tmp_path: Path) -> Path:
    return tmp_path / "kiosk" / "outbox.sqlite"
