"""Fixtures for the web screens: Debian's Chromium driven headless by Playwright against the real
server (``server`` from tests/conftest.py), on SQLite only: these tests are about the web layer.

Chromium is a Debian package (``make test`` installs it as root). Without it the browser tests are
skipped with the reason, but only when we are not root: as root a missing browser is an error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DESKTOP = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """The browser tests test the web layer: SQLite is enough (the API tests cover PostgreSQL)."""
    return sqlite_url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        if os.geteuid() != 0:
            pytest.skip(f"Debian's Chromium is not installed ({CHROMIUM}); run `make test` as root, or "
                        "`sudo apt-get install -y chromium fonts-dejavu-core fonts-noto-core`")
        pytest.fail(f"{CHROMIUM} is missing although we are root: `make test` installs it (make system)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@dataclass
class Screen:
    """A browser tab, with what went wrong in it (uncaught errors, console errors)."""

    page: Page
    errors: list[str] = field(default_factory=list)

    def expect_no_errors(self, *allowed: str) -> None:
        unexpected = [e for e in self.errors if not any(a in e for a in allowed)]
        assert not unexpected, f"errors in the page: {unexpected}"


@pytest.fixture
def open_screen(browser: Browser) -> Iterator[Callable[..., Screen]]:
    """``open_screen(url, phone=False, init_script=None, at=None, timers=False)``: a fresh browser
    context (no cookies) on ``url``; ``at`` fixes the page's clock; ``timers`` lets the test move the
    page's timers on (``page.clock.run_for``) while time otherwise flows as usual."""
    contexts: list[BrowserContext] = []

    def open_(url: str, phone: bool = False, init_script: str | None = None, at: datetime | None = None,
              timers: bool = False, **options: Any) -> Screen:
        options.setdefault("viewport", PHONE if phone else DESKTOP)
        context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", is_mobile=phone, has_touch=phone,
                                      **options)
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        if at is not None:
            context.clock.set_fixed_time(at)  # the page's clock shows the server's (test) time
        elif timers:
            context.clock.install()
        page = context.new_page()
        page.set_default_timeout(5000)
        screen = Screen(page)
        page.on("pageerror", lambda error: screen.errors.append(f"pageerror: {error}"))
        page.on("console", lambda message: screen.errors.append(f"console: {message.text}")
                if message.type == "error" else None)
        page.goto(url)
        return screen

    yield open_
    for context in contexts:
        context.close()


def sign_in(screen: Screen, token: str) -> None:
    """Fill the sign-in form of a staff screen and wait for the screen itself."""
    page = screen.page
    page.fill("#token", token)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("body[data-stream=online]")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations in the page as it is now. Evaluated through the DevTools protocol,
    so the page's Content-Security-Policy stays on while the rules run."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result]


def serious(violations: list[dict[str, Any]]) -> str:
    found = [v for v in violations if v["impact"] in ("serious", "critical")]
    return json.dumps(found, indent=1) if found else ""


def screens_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/screens/ when GASTVRIJ_UPDATE_SCREENS=1 (to refresh the committed pictures), else a temp folder."""
    if os.environ.get("GASTVRIJ_UPDATE_SCREENS") == "1":
        folder = Path(__file__).resolve().parents[2] / "docs" / "screens"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("screens")

