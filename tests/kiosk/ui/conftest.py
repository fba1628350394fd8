"""The kiosk in a real Kivy window: one Xvfb screen and one window for the test session (Kivy has one
window per process), a fresh ``KioskApp`` per test against the real central service on loopback."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from queue_ticketing.client import Client
from queue_ticketing.domain.clock import FixedClock

SCREEN = (1280, 800)


@pytest.fixture(scope="session")
def kivy_window() -> Iterator[Any]:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed: `make test` installs it when run as root (apt-get install xvfb)")
    if "kivy.core.window" in sys.modules:
        pytest.fail("Kivy's window was opened before the kiosk's test screen (an earlier test imported "
                    "kivy.core.window, e.g. through kiosk_app.widgets or kiosk_app.app): it has the wrong size "
                    "and display. Import those inside the tests that use open_kiosk.")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
                               "-nolisten", "tcp"], pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write_end)
    ready, _, _ = select.select([read_end], [], [], 15)
    if not ready:
        server.kill()
        pytest.fail("Xvfb did not start within 15 s")
    display = os.read(read_end, 64).decode().strip()
    os.close(read_end)
    os.environ["DISPLAY"] = f":{display}"
    from kiosk_app.__main__ import configure_window

    configure_window(windowed=True, size=f"{SCREEN[0]}x{SCREEN[1]}")
    from kivy.base import EventLoop, runTouchApp
    from kivy.core.window import Window

    EventLoop.ensure_window()
    runTouchApp(embedded=True)  # starts the input providers; the tests advance the frames themselves
    yield Window
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def open_kiosk(kivy_window: Any, client: Client, clock: FixedClock) -> Iterator[Callable[..., Any]]:
    """``open_kiosk(printer=..., scanner_factory=..., speaker=...)`` → a started ``Kiosk`` driver."""
    from kiosk_app.app import KioskApp, KioskParts
    from kiosk_app.worker import ThreadWorker, kivy_schedule

    from .driver import Kiosk

    started: list[Kiosk] = []

    def make(**devices: Any) -> Kiosk:
        parts = KioskParts(client=client, location="ijsselmonde", clock=clock, worker=ThreadWorker(kivy_schedule),
                           location_name="Rotterdam IJsselmonde", **devices)
        kiosk = Kiosk(KioskApp(parts)).start()
        started.append(kiosk)
        return kiosk

    yield make
    for kiosk in started:
        kiosk.stop()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: $GASTVRIJ_SCREENSHOTS (``make screenshots`` → docs/screens) or a temp dir."""
    target = os.environ.get("GASTVRIJ_SCREENSHOTS")
    return Path(target) if target else tmp_path / "screens"


@pytest.fixture
def zgw(central: Any, sqlite_url: str, clock: FixedClock) -> Any:
    """The Zaken API of the kiosk's central service, for a case-handling system with every scope."""
    from location_config.zaaktypes import load_zaaktypes
    from queue_ticketing.services.zgw_auth import SCOPES, put_client
    from queue_ticketing.store.database import Database
    from queue_ticketing.store.write_batch import write_alone
    from tests.cases.conftest import SECRET, Zgw
    from tests.conftest import Api

    catalogue = load_zaaktypes()
    db = Database(sqlite_url)
    write_alone(db, clock, lambda uow: put_client(uow, "behandelaar", SECRET, list(SCOPES), None,
                                                  list(catalogue.zaaktypes)))
    db.dispose()
    return Zgw(Api(central.url), "behandelaar", clock, catalogue)
