"""The Pepper robot's tablet pages (/robot/{location}/{page}) at the tablet's 1280x800: a tap is
handed to the robot through window.ALTabletBinding.raiseEvent (here a stub that records it), and
in a browser without the bridge a tap harms nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import axe_violations, screens_dir, serious

TABLET = {"width": 1280, "height": 800}
BRIDGE = "window.ALTabletBinding = { events: [], raiseEvent(action) { this.events.push(action); } };"


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screens_dir(tmp_path_factory)


@pytest.fixture
def tablet(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=TABLET, locale="nl-NL", timezone_id="Europe/Amsterdam", has_touch=True)
    context.add_init_script(BRIDGE)
    page = context.new_page()
    page.set_default_timeout(5000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
    assert not errors, errors


def raised(page: Page) -> list[str]:
    return page.evaluate("window.ALTabletBinding.events")


def save_small_png(png: bytes, path: Path) -> None:
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def test_a_tap_on_paspoort_raises_service_paspoort(server, tablet: Page, pictures: Path) -> None:
    tablet.goto(f"{server.url}/robot/ijsselmonde/menu?lang=nl")
    expect(tablet.locator("html")).to_have_attribute("lang", "nl")
    assert not serious(axe_violations(tablet)), serious(axe_violations(tablet))
    save_small_png(tablet.screenshot(animations="disabled"), pictures / "robot-menu.png")
    tablet.get_by_role("button", name="Paspoort", exact=True).tap()
    tablet.get_by_role("button", name="Openingstijden").tap()
    tablet.get_by_role("button", name="Ik wil een medewerker spreken").tap()
    assert raised(tablet) == ["service:paspoort", "hours", "person"]
    expect(tablet.locator("#status")).to_have_text("Een moment, alstublieft…")


def test_the_language_and_places_are_raised_and_followed(server, tablet: Page) -> None:
    tablet.goto(f"{server.url}/robot/ijsselmonde/menu?lang=nl")
    tablet.get_by_role("link", name="English").tap()
    expect(tablet.locator("html")).to_have_attribute("lang", "en")
    tablet.get_by_role("link", name="Where is…?").tap()
    tablet.get_by_role("button", name="Desk 2").tap()
    tablet.get_by_role("button", name="Toilets").tap()
    assert raised(tablet) == ["place:balie-2", "place:toilets"]  # the bridge of this page
    tablet.get_by_role("link", name="Back").tap()
    tablet.get_by_role("link", name="What should I bring?").tap()
    tablet.get_by_role("button", name="Passport", exact=True).tap()
    assert raised(tablet) == ["bring:paspoort"]


def test_a_code_typed_on_the_keypad_checks_in(server, tablet: Page, pictures: Path) -> None:
    tablet.goto(f"{server.url}/robot/ijsselmonde/check_in?lang=en")
    submit = tablet.get_by_role("button", name="Check in")
    expect(submit).to_be_disabled()
    for key in "AB3XYZ9":  # one too many: the code stops at six
        tablet.locator(f".key[data-key='{key}']").tap()
    tablet.get_by_role("button", name="Delete").tap()
    tablet.locator(".key[data-key='7']").tap()
    expect(tablet.locator("#code")).to_have_text("AB3XY7")
    assert not serious(axe_violations(tablet)), serious(axe_violations(tablet))
    save_small_png(tablet.screenshot(animations="disabled"), pictures / "robot-check-in.png")
    submit.tap()
    assert raised(tablet) == ["check_in:AB3XY7"]
    expect(tablet.locator("#code")).to_have_text("")


def test_the_paused_page_and_a_browser_without_the_bridge(server, browser: Browser, pictures: Path) -> None:
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{server.url}/robot/ijsselmonde/paused?lang=nl")
        expect(page.get_by_role("heading", level=1)).to_have_text("Ik neem even pauze.")
        assert not serious(axe_violations(page))
        save_small_png(page.screenshot(animations="disabled"), pictures / "robot-paused.png")
        page.goto(f"{server.url}/robot/ijsselmonde/menu?lang=en")
        page.get_by_role("button", name="Passport", exact=True).click()
        expect(page.locator("#status")).to_contain_text("here a tap does nothing")
        assert page.url.endswith("/robot/ijsselmonde/menu?lang=en")
        assert page.goto(f"{server.url}/robot/ijsselmonde/nothing").status == 404
        assert not errors, errors
    finally:
        context.close()
