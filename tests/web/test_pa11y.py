"""pa11y (npm; HTML_CodeSniffer's WCAG 2 AA rules, a second opinion beside axe-core) finds no error
on any staff or visitor screen. It drives Debian's Chromium (never a downloaded browser), one for all
the screens, and runs where Node.js is installed: ``make node`` (part of ``make test``) installs it
from package.json into node_modules; without Node.js or that install the test is skipped with the reason."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in

ROOT = Path(__file__).resolve().parents[2]
PA11Y = ROOT / "node_modules" / ".bin" / "pa11y"
PAGES = ROOT / "tests" / "support" / "pa11y_pages.mjs"


Issues = list[dict[str, object]]


@pytest.fixture
def pa11y(tmp_path: Path) -> Callable[[dict[str, tuple[str, str | None]]], dict[str, Issues]]:
    """``pa11y({name: (url, cookie)})``: the errors pa11y finds on each page, all pages in one Chromium
    (each in a browser context of its own: tests/support/pa11y_pages.mjs)."""
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed: pa11y runs where it is (the axe-core checks run everywhere)")
    if not PA11Y.exists():
        pytest.skip("pa11y is not installed: `make node` installs it with npm (package.json) into node_modules")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's Chromium is not installed ({CHROMIUM})")

    def run(pages: dict[str, tuple[str, str | None]]) -> dict[str, Issues]:
        config = {"chromium": CHROMIUM, "args": CHROMIUM_ARGS,
                  "options": {"standard": "WCAG2AA", "timeout": 30000, "wait": 500},
                  "pages": {name: {"url": url, "cookie": cookie} for name, (url, cookie) in pages.items()}}
        path = tmp_path / "pa11y.json"
        path.write_text(json.dumps(config))
        done = subprocess.run(["node", str(PAGES), str(path)], capture_output=True, text=True,
                              timeout=60 + 30 * len(pages),
                              env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}, check=False)
        assert done.returncode == 0, f"pa11y failed: {done.stderr or done.stdout}"
        return {name: [issue for issue in issues if issue.get("type") == "error"]
                for name, issues in json.loads(done.stdout).items()}

    return run


def test_pa11y_finds_no_error_on_any_screen(server, api, make_token, open_screen, pa11y):
    kiosk, desk, host = make_token("kiosk"), make_token("desk", desk="balie-1"), make_token("host")
    waiting = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,  # a visit of two services
                       {"services": ["uittreksel_brp", "verhuizing"], "language": "tr"}, key="visit-1").json()
    called = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,  # the desk's visitor: three services
                      {"services": ["paspoort", "rijbewijs", "informatie"], "language": "en"}, key="visit-2").json()
    assert api.call_next(desk, "balie-1").json()["id"] == called["id"]
    api.post("/api/v1/locations/ijsselmonde/assist-requests", kiosk, {"reason": "printer"}, key="help-1")

    screens = {"start": (f"{server.url}/", None), "display": (f"{server.url}/display/ijsselmonde", None),
               "mobile ticket": (f"{server.url}/t/{waiting['id']}", None),
               "your turn": (f"{server.url}/t/{called['id']}", None),
               "sign-in": (f"{server.url}/host/ijsselmonde", None),
               "not found": (f"{server.url}/display/nowhere", None)}
    for name, path, token in (("dashboard", "host/ijsselmonde", host), ("desk", "desk/ijsselmonde/balie-1", desk)):
        signed_in = open_screen(f"{server.url}/{path}")
        sign_in(signed_in, token)
        expect(signed_in.page.locator("#stream-text")).to_have_text("Live")
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in signed_in.page.context.cookies())
        screens[name] = (f"{server.url}/{path}", cookie)
    slot = api.get("/api/v1/locations/ijsselmonde/slots", params={"service": "paspoort", "date": "2026-11-30"})
    booked = api.post("/api/v1/appointments", host, {"location": "ijsselmonde", "service": "paspoort",
                                                     "starts_at": slot.json()["slots"][0]["starts_at"],
                                                     "language": "ar"}, key="book-1").json()
    screens["appointment slip"] = (f"{server.url}/host/ijsselmonde/appointments/{booked['id']}",
                                   screens["dashboard"][1])

    found = pa11y(screens)
    errors = {name: [(e["code"], e["selector"], e["message"]) for e in issues]
              for name, issues in found.items() if issues}
    assert not errors, json.dumps(errors, indent=1, ensure_ascii=False)
