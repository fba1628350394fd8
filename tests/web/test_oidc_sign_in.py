"""Single sign-on through a real OpenID provider: node-oidc-provider (OpenID Certified) run on
loopback by the test, with a client for the service and a person of each role. Chromium signs in
through the provider's own login page and lands on the page of the person's role; a person with no
role of this service is refused with a clear page; signing out ends the session here and leads the
browser on to the provider's sign-out. Skipped, saying why, where Node.js or the package is missing.
Also the pictures of the sign-in page and the audit trail page (docs/screens/)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from queue_ticketing.api.app import create_app
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from tests.support.live_server import ThreadServer, free_port
from tests.support.people import PASSWORD, add_person
from tests.web.conftest import axe_violations, screens_dir, serious
from tests.web.test_screens import save_small_png

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "support" / "oidc_provider.mjs"


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screens_dir(tmp_path_factory)


@pytest.fixture(scope="module")
def provider() -> Iterator[tuple[int, str]]:
    """The provider on a loopback port for the module's tests, its client the service at a port kept for
    them; (that port, the issuer)."""
    if shutil.which("node") is None:
        pytest.skip("Node.js is missing: the single sign-on test needs it (apt install nodejs npm; make node)")
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("oidc-provider is not installed: run `make node` (npm install)")
    app_port, provider_port = free_port(), free_port()
    base = f"http://127.0.0.1:{app_port}"
    running = subprocess.Popen(["node", str(SCRIPT), str(provider_port), f"{base}/sign-in/oidc/callback",
                                f"{base}/sign-in"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    try:
        assert running.stdout is not None
        ready = running.stdout.readline()
        assert ready.startswith("ready"), ready
        yield app_port, ready.split()[1]
    finally:
        running.terminate()
        running.wait(timeout=10)


@pytest.fixture
def sso(provider: tuple[int, str], tmp_path: Path) -> Iterator[tuple[str, str, Database]]:
    """The service (a new one for each test, on the port the provider knows) signing in through the
    provider; (service URL, issuer, database). Each test's browser context is new: no session at the
    provider or here carries over."""
    app_port, issuer = provider
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'sso.sqlite'}", access_log=False,
                        oidc_issuer=issuer, oidc_client_id="gastvrij", oidc_client_secret="gastvrij-test-secret")
    # The provider checks the ID token's times against the real clock: the service does too.
    server = ThreadServer(create_app(settings), port=app_port).start()
    db = Database(settings.database_url)
    try:
        yield f"http://127.0.0.1:{app_port}", issuer, db
    finally:
        db.dispose()
        server.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="nl-NL")
    yield context.new_page()
    context.close()


def through_the_provider(page: Page, base: str, start: str, login: str) -> None:
    page.goto(f"{base}{start}")
    page.click("#oidc-sign-in")
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "anything")
    page.click("button[type=submit]")
    page.wait_for_selector("button[type=submit]")  # the provider's consent page
    page.click("button[type=submit]")


@pytest.mark.parametrize(("login", "start", "lands", "marker"), [
    ("anna", "/desk/ijsselmonde/balie-2", "/desk/ijsselmonde/balie-2", "#call-next"),
    ("henk", "/sign-in", "/host/ijsselmonde", "#issue-form"),
    ("mia", "/sign-in", "/manage/ijsselmonde", "#create-device"),
    ("root", "/manage/hoogvliet/audit", "/manage/hoogvliet/audit", "#audit-table"),
])
def test_chromium_signs_in_through_the_provider_and_lands_on_the_page_of_the_role(
        sso: tuple[str, str, Database], page: Page, login: str, start: str, lands: str, marker: str) -> None:
    base, _, _ = sso
    through_the_provider(page, base, start, login)
    page.wait_for_url(f"{base}{lands}")
    page.wait_for_selector(marker)
    cookies = {c["name"]: c for c in page.context.cookies(base)}
    assert cookies["gastvrij_staff"]["httpOnly"] and cookies["gastvrij_staff"]["sameSite"] == "Strict"


def test_a_person_without_a_role_of_the_service_is_refused_with_a_clear_page(
        sso: tuple[str, str, Database], page: Page) -> None:
    base, _, _ = sso
    through_the_provider(page, base, "/sign-in", "nobody")
    expect(page.locator("#refusal")).to_contain_text("geen rol in deze dienst")
    assert "gastvrij_staff" not in {c["name"] for c in page.context.cookies(base)}
    page.goto(f"{base}/host/ijsselmonde")
    assert "/sign-in" in page.url


def test_signing_out_ends_the_session_and_goes_to_the_provider_s_sign_out(
        sso: tuple[str, str, Database], page: Page) -> None:
    base, issuer, _ = sso
    through_the_provider(page, base, "/sign-in", "mia")
    page.wait_for_url(f"{base}/manage/ijsselmonde")
    page.click("form[action='/sign-out'] button")
    page.click("#provider-sign-out")
    page.wait_for_url(f"{issuer}/session/end**")
    page.goto(f"{base}/manage/ijsselmonde")
    assert "/sign-in" in page.url


def test_pictures_of_the_sign_in_and_audit_pages(sso: tuple[str, str, Database], page: Page,
                                                 pictures: Path) -> None:
    base, _, db = sso
    from queue_ticketing.domain.clock import system_clock

    add_person(db, system_clock, "lotte@rotterdam.nl", "manager", name="Lotte Bakker")
    page.goto(f"{base}/sign-in?next=/manage/ijsselmonde/audit")
    assert not serious(axe_violations(page)), serious(axe_violations(page))
    save_small_png(page.screenshot(animations="disabled"), pictures / "sign-in.png")
    page.fill("#email", "lotte@rotterdam.nl")
    page.fill("#password", PASSWORD)
    page.click("#account-form button[type=submit]")
    page.wait_for_selector("#audit-table")
    assert not serious(axe_violations(page)), serious(axe_violations(page))
    save_small_png(page.screenshot(animations="disabled", full_page=True), pictures / "audit-trail.png")
