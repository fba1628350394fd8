"""pa11y (npm; HTML_CodeSniffer's WCAG 2 AA rules, a second opinion beside axe-core) finds no error
on any staff or visitor screen. It drives Debian's Chromium (never a downloaded browser) and runs
where Node.js is installed: ``make node`` (part of ``make test``) installs it from package.json
into node_modules; without Node.js or that install the test is skipped with the reason."""

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

PA11Y = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "pa11y"


Issues = list[dict[str, object]]


@pytest.fixture
def pa11y(tmp_path: Path) -> Callable[[str, str | None], Issues]:
    """``pa11y(url, cookie)``: the errors pa11y finds on the page at ``url``."""
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed: pa11y runs where it is (the axe-core checks run everywhere)")
    if not PA11Y.exists():
        pytest.skip("pa11y is not installed: `make node` installs it with npm (package.json) into node_modules")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's Chromium is not installed ({CHROMIUM})")

    def run(url: str, cookie: str | None = None) -> Issues:
        config = {"chromeLaunchConfig": {"executablePath": CHROMIUM, "args": CHROMIUM_ARGS},
                  "standard": "WCAG2AA", "timeout": 30000, "wait": 500,
                  "headers": {"Cookie": cookie} if cookie else {}}
        path = tmp_path / "pa11y.json"
        path.write_text(json.dumps(config))
        done = subprocess.run([str(PA11Y), "--config", str(path), "--reporter", "json", url], capture_output=True,
                              text=True, timeout=90, env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}, check=False)
        assert done.returncode in (0, 2), f"pa11y failed on {url}: {done.stderr or done.stdout}"
        return [issue for issue in json.loads(done.stdout or "[]") if issue.get("type") == "error"]

    return run


def test_pa11y_finds_no_error_on_any_screen(server, api, make_token, open_screen, pa11y):
    kiosk, desk, host = make_token("kiosk"), make_token("desk"), make_token("host")
    waiting = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,  # a visit of two services
                       {"services": ["uittreksel_brp", "verhuizing"], "language": "tr"}, key="visit-1").json()
    called = api.issue(kiosk, "paspoort", language="en").json()
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

    found = {name: pa11y(url, cookie) for name, (url, cookie) in screens.items()}
    errors = {name: [(e["code"], e["selector"], e["message"]) for e in issues]
              for name, issues in found.items() if issues}
    assert not errors, json.dumps(errors, indent=1, ensure_ascii=False)
