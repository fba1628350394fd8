"""Fixtures for the kiosk's view-models: the real central service on SQLite (loopback), a kiosk's
client, the view-models wired with an inline worker (no threads), and a loopback ESC/POS printer."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests

import kiosk_app  # noqa: F401  (Kivy's environment before any kivy import)
from kiosk_app.viewmodels import LanguageViewModel
from kiosk_app.worker import InlineWorker
from queue_ticketing.api.app import create_app
from queue_ticketing.client import Client, RetryPolicy, Timeouts
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.devices import create_device
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.write_batch import write_alone
from tests.support.live_server import ThreadServer

PAPER_OK = b"\x12"
PAPER_OUT = b"\x72"
PAPER_QUERY = b"\x10\x04\x04"


@pytest.fixture
def central(sqlite_url: str, clock: FixedClock) -> Iterator[ThreadServer]:
    """The real central service on SQLite (the kiosk's view-models need no PostgreSQL round)."""
    live = ThreadServer(create_app(Settings(database_url=sqlite_url, access_log=False, sse_heartbeat_seconds=0.5,
                                            public_url="https://gastvrij.test"), clock=clock)).start()
    yield live
    if live.thread.is_alive():
        live.stop()


@pytest.fixture
def token_for(central: ThreadServer, sqlite_url: str, clock: FixedClock) -> Iterator[Callable[[str], str]]:
    db = Database(sqlite_url)
    upgrade(db)

    def make(role: str, location: str = "ijsselmonde") -> str:
        return write_alone(db, clock, lambda uow: create_device(uow, role, location, f"{role}-{location}-test").token)

    yield make
    db.dispose()


@pytest.fixture
def client(central: ThreadServer, token_for: Callable[[str], str], clock: FixedClock,
           tmp_path: Path) -> Iterator[Client]:
    """The kiosk's client, without its background thread (tests call ``sync()`` themselves)."""
    kiosk = Client(central.url, token_for("kiosk"), tmp_path / "outbox.sqlite", clock=clock, background=False,
                   timeouts=Timeouts(connect=0.5, read=3.0, total=4.0), retry=RetryPolicy(attempts=1))
    yield kiosk
    kiosk.close()


@pytest.fixture
def language() -> LanguageViewModel:
    return LanguageViewModel()


@pytest.fixture
def worker() -> InlineWorker:
    return InlineWorker()


@pytest.fixture
def book(central: ThreadServer, token_for: Callable[[str], str]) -> Callable[..., dict[str, Any]]:
    """Book an appointment as the booking system: ``book(starts_at, location=...)`` → its JSON (with ``code``)."""
    def make(starts_at: datetime, location: str = "ijsselmonde", service: str = "paspoort") -> dict[str, Any]:
        integration = token_for("integration", location)
        response = requests.post(f"{central.url}/api/v1/appointments", timeout=10,
                                 headers={"Authorization": f"Bearer {integration}",
                                          "Idempotency-Key": f"book-{starts_at.isoformat()}-{location}"},
                                 json={"location": location, "service": service, "starts_at": starts_at.isoformat(),
                                       "language": "nl"})
        assert response.status_code == 201, response.text
        return response.json()

    return make


class LoopbackPrinter:
    """A network receipt printer on 127.0.0.1: keeps every byte it receives and answers the paper
    sensor query (DLE EOT 4) with ``paper``."""

    def __init__(self, paper: bytes = PAPER_OK) -> None:
        self.paper = paper
        self.received = bytearray()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="loopback-printer", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(0.2)
                while not self._stop.is_set():
                    try:
                        data = conn.recv(65536)
                    except TimeoutError:
                        continue
                    if not data:
                        break
                    self.received += data
                    if PAPER_QUERY in data:
                        conn.sendall(self.paper)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()


@pytest.fixture
def printer() -> Iterator[LoopbackPrinter]:
    device = LoopbackPrinter()
    yield device
    device.close()
