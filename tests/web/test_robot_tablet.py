"""The Pepper robot's tablet pages (/robot/{location}/{page}) at the tablet's 1280x800: a tap is
handed to the robot through window.ALTabletBinding.raiseEvent (here a stub that records it), and
in a browser without the bridge a tap harms nothing."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
import segno
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from queue_ticketing.client import Client
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


# ---- a Pepper's tablet: Android WebView of Chromium 46-48 --------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "queue_ticketing" / "web" / "static"
ROBOT_SCRIPTS = [STATIC / "js" / "robot_tablet.js"]
MODERN_CSS = {  # what Chromium 46-48 lacks, and what then happens to the page
    r"\bvar\(": "custom properties (Chromium 49): the rule is dropped",
    r"display:\s*(?:inline-)?grid|grid-template|grid-auto": "CSS grid (Chromium 57): everything stacks",
    r"(?<![-\w])gap:": "gap between flex items (Chromium 84): buttons touch",
    r"place-items|place-content": "place-* (Chromium 59)",
    r"\b(?:min|max|clamp)\(": "min()/max()/clamp() (Chromium 79)",
    r":(?:is|where|has)\(": ":is()/:where()/:has() (Chromium 88+)",
    r"\binset:|aspect-ratio|margin-inline|padding-inline|inset-inline": "logical and newer box properties",
}
# What a Chromium 46 WebView does not have, taken away before the page's scripts run.
WITHOUT_MODERN_FEATURES = """
for (const name of ["flat", "flatMap", "includes", "find", "findIndex", "fill", "at"]) delete Array.prototype[name];
for (const name of ["includes", "startsWith", "endsWith", "padStart", "padEnd", "repeat", "trimStart", "replaceAll"])
  delete String.prototype[name];
for (const name of ["closest", "matches", "append", "prepend", "remove", "replaceWith", "toggleAttribute"])
  delete Element.prototype[name];
delete NodeList.prototype.forEach;
delete Object.values; delete Object.entries; delete Object.fromEntries;
for (const name of ["URLSearchParams", "fetch", "IntersectionObserver", "ResizeObserver", "customElements",
                    "queueMicrotask", "structuredClone", "AbortController"]) delete window[name];
"""


def _node_tool(name: str) -> Path:
    """``node_modules/.bin/<name>``, installed by ``npm install`` (the Makefile's test target does it)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None:
        pytest.skip("Node.js is not installed: the ES5 check of the robot tablet's scripts needs it "
                    "(apt install nodejs npm)")
    tool = ROOT / "node_modules" / ".bin" / name
    if not tool.exists():
        if npm is None:
            pytest.skip("npm is not installed: cannot install acorn for the ES5 check (apt install npm)")
        installed = subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=ROOT, capture_output=True,
                                   text=True, timeout=300)
        if installed.returncode != 0 or not tool.exists():
            pytest.skip(f"npm could not install acorn: {installed.stderr.strip()[-300:]}")
    return tool


@pytest.mark.parametrize("script", ROBOT_SCRIPTS, ids=lambda p: p.name)
def test_the_robot_tablet_s_scripts_parse_as_es5(script: Path) -> None:
    acorn = _node_tool("acorn")
    parsed = subprocess.run([str(acorn), "--ecma5", "--silent", str(script)], capture_output=True, text=True,
                            timeout=60)
    assert parsed.returncode == 0, f"{script.name} is not ES5: {parsed.stderr.strip()}"


def test_the_es5_check_catches_modern_syntax(tmp_path: Path) -> None:
    acorn = _node_tool("acorn")
    modern = tmp_path / "modern.js"
    modern.write_text("const tap = async (event) => { try { await go(event); } catch { } };\n")
    assert subprocess.run([str(acorn), "--ecma5", "--silent", str(modern)], capture_output=True,
                          timeout=60).returncode != 0


@pytest.mark.parametrize("pattern", list(MODERN_CSS))
def test_the_robot_tablet_s_stylesheet_uses_nothing_an_old_webview_lacks(pattern: str) -> None:
    css = re.sub(r"/\*.*?\*/", "", (STATIC / "css" / "robot.css").read_text(), flags=re.S)
    found = re.findall(pattern, css)
    assert not found, f"{found[:3]}: {MODERN_CSS[pattern]}"


def test_the_pages_are_classic_scripts_laid_out_1280_wide(server) -> None:  # type: ignore[no-untyped-def]
    for page in ("menu", "check_in", "places", "bring", "paused", "book", "book_offline"):
        html = requests.get(f"{server.url}/robot/ijsselmonde/{page}?lang=nl", timeout=5).text
        assert '<meta name="viewport" content="width=1280">' in html
        assert 'type="module"' not in html and "<script defer src=" in html


def _raised_as_json(page: Page) -> list[str]:
    """The bridge's events (through JSON: Playwright's own serializer needs what the page lacks)."""
    return json.loads(page.evaluate("JSON.stringify(window.ALTabletBinding.events)"))


def test_the_pages_work_in_a_browser_without_modern_features(server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=TABLET, has_touch=True)
    context.add_init_script(WITHOUT_MODERN_FEATURES + BRIDGE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{server.url}/robot/ijsselmonde/menu?lang=tr")
        assert page.evaluate("typeof Element.prototype.closest") == "undefined"
        page.get_by_role("button", name="Pasaport", exact=True).tap()
        page.locator("[data-event='person']").tap()
        expect(page.locator("#status")).to_have_text("Bir dakika lütfen…")
        assert _raised_as_json(page) == ["service:paspoort", "person"]
        page.goto(f"{server.url}/robot/ijsselmonde/check_in?lang=tr")
        for key in "AB3XY7":
            page.locator(f".key[data-key='{key}']").tap()
        page.locator("#submit").tap()
        assert _raised_as_json(page) == ["check_in:AB3XY7"]
        assert not errors, errors
    finally:
        context.close()


def _boxes(page: Page, selector: str) -> list[dict[str, float]]:
    return page.eval_on_selector_all(selector, """els => els.filter(e => e.offsetParent !== null).map(e => {
        const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; })""")


@pytest.mark.parametrize("language", ["nl", "en", "tr", "pl", "ar"])
@pytest.mark.parametrize("page_name", ["menu", "check_in", "places", "bring"])
def test_every_page_in_the_five_languages_fits_the_tablet_with_big_separate_targets(
        server, tablet: Page, language: str, page_name: str) -> None:  # type: ignore[no-untyped-def]
    tablet.goto(f"{server.url}/robot/ijsselmonde/{page_name}?lang={language}")
    expect(tablet.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    targets = _boxes(tablet, ".robot-button, .key, .robot-language")
    assert len(targets) >= 5
    for box in targets:
        assert box["h"] >= 44 and box["w"] >= 44, box
        assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["w"] <= 1280 and box["y"] + box["h"] <= 800, box
    for i, a in enumerate(targets):
        for b in targets[i + 1:]:
            apart = (a["x"] + a["w"] <= b["x"] + 0.5 or b["x"] + b["w"] <= a["x"] + 0.5
                     or a["y"] + a["h"] <= b["y"] + 0.5 or b["y"] + b["h"] <= a["y"] + 0.5)
            assert apart, (a, b)
    assert tablet.locator(f".robot-language[aria-current][hreflang='{language}']").count() == 1


def test_the_arabic_menu_reads_right_to_left_and_passes_axe(server, tablet: Page, pictures: Path) -> None:  # type: ignore[no-untyped-def]
    tablet.goto(f"{server.url}/robot/ijsselmonde/menu?lang=ar")
    assert not serious(axe_violations(tablet)), serious(axe_violations(tablet))
    first, second = _boxes(tablet, ".service-button")[:2]
    assert first["x"] > second["x"]  # the first service is on the right
    save_small_png(tablet.screenshot(animations="disabled"), pictures / "robot-menu-ar.png")
    tablet.get_by_role("button", name="جواز السفر", exact=True).tap()
    assert raised(tablet) == ["service:paspoort"]


# ---- booking an appointment on the spot ---------------------------------------------------------------

TIMES = ["2026-11-30T09:30:00+01:00", "2026-11-30T09:45:00+01:00", "2026-12-07T10:15:00+01:00"]


def _times_page(server, language: str = "nl") -> str:  # type: ignore[no-untyped-def]
    query = urlencode({"lang": language, "service": "paspoort", "times": ",".join(TIMES)})
    return f"{server.url}/robot/ijsselmonde/book?{query}"


def test_the_booking_pages_raise_the_service_and_the_time_tapped(server, tablet: Page, pictures: Path) -> None:  # type: ignore[no-untyped-def]
    tablet.goto(f"{server.url}/robot/ijsselmonde/menu?lang=nl")
    tablet.get_by_role("button", name="Afspraak maken").tap()
    assert raised(tablet) == ["book"]  # the robot shows the booking page (each page has its own bridge)
    tablet.goto(f"{server.url}/robot/ijsselmonde/book?lang=nl")
    expect(tablet.get_by_role("button", name="Melding of klacht")).to_have_count(0)  # no appointments for it
    tablet.get_by_role("button", name="Rijbewijs", exact=True).tap()
    assert raised(tablet) == ["book:rijbewijs"]
    tablet.goto(_times_page(server))
    expect(tablet.locator(".time-button")).to_have_count(3)
    expect(tablet.locator(".time-button").nth(2)).to_have_text("maandag 7 december 10:15")
    assert not serious(axe_violations(tablet)), serious(axe_violations(tablet))
    save_small_png(tablet.screenshot(animations="disabled"), pictures / "robot-book-times.png")
    tablet.locator(".time-button").nth(1).tap()
    assert raised(tablet) == [f"slot:{TIMES[1]}"]


def test_the_booked_page_shows_the_code_and_a_qr_of_the_visitor_s_page(
        server, tablet: Page, make_token, pictures: Path) -> None:  # type: ignore[no-untyped-def]
    with Client(server.url, make_token("robot"), background=False) as robot:
        booked = robot.book_appointment("ijsselmonde", "paspoort", datetime.fromisoformat(TIMES[0]))
    tablet.goto(f"{server.url}/robot/ijsselmonde/booked?lang=nl&appointment={booked.id}")
    expect(tablet.locator(".booked-code")).to_have_text(booked.code)
    expect(tablet.locator(".booked-when")).to_have_text("maandag 30 november, 09:30")
    qr = tablet.locator(".booked-qr img")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    assert not serious(axe_violations(tablet)), serious(axe_violations(tablet))
    save_small_png(tablet.screenshot(animations="disabled"), pictures / "robot-booked.png")
    # the QR is the visitor's own page (the address the API gave the robot), drawn as a PNG
    assert qr.get_attribute("src") == segno.make(booked.visitor_url, error="m").png_data_uri(scale=8, border=2)
    assert booked.visitor_url == f"https://gastvrij.test/a/{booked.id}"
    tablet.get_by_role("link", name="English").tap()  # the page stays itself in another language
    expect(tablet.locator("html")).to_have_attribute("lang", "en")
    expect(tablet.locator(".booked-code")).to_have_text(booked.code)
    tablet.get_by_role("link", name="Back").tap()
    expect(tablet.get_by_role("button", name="Make an appointment")).to_be_visible()


def test_the_website_page_and_the_offline_page(server, tablet: Page, pictures: Path) -> None:  # type: ignore[no-untyped-def]
    tablet.goto(f"{server.url}/robot/hoogvliet/book_elsewhere?lang=en")
    expect(tablet.locator(".booked-url")).to_have_text("https://www.rotterdam.nl/afspraak-maken")
    assert not serious(axe_violations(tablet)), serious(axe_violations(tablet))
    save_small_png(tablet.screenshot(animations="disabled"), pictures / "robot-book-elsewhere.png")
    tablet.goto(f"{server.url}/robot/hoogvliet/book?lang=en")  # a location booking on its website: that page
    expect(tablet.locator(".booked-url")).to_have_count(1)
    tablet.goto(f"{server.url}/robot/ijsselmonde/book_offline?lang=ar")
    expect(tablet.locator("html")).to_have_attribute("dir", "rtl")
    assert not serious(axe_violations(tablet)), serious(axe_violations(tablet))
    save_small_png(tablet.screenshot(animations="disabled"), pictures / "robot-book-offline-ar.png")
    tablet.locator("[data-event='person']").tap()
    assert raised(tablet) == ["person"]


@pytest.mark.parametrize("address", [
    "book?service=paspoort&times=yesterday", "book?service=informatie&times=2026-11-30T09:30:00%2B01:00",
    "book?service=paspoort&times=2026-11-30T09:30:00", "booked?appointment=nothing", "booked",
    "book_elsewhere", "book?service=paspoort&times=" + ",".join(["2026-11-30T09:30:00%2B01:00"] * 4)])
def test_a_booking_page_with_a_wrong_address_is_a_kind_404(server, address: str) -> None:  # type: ignore[no-untyped-def]
    answer = requests.get(f"{server.url}/robot/ijsselmonde/{address}", timeout=5)
    assert answer.status_code == 404 and "<html" in answer.text


@pytest.mark.parametrize("language", ["nl", "en", "tr", "pl", "ar"])
def test_the_booking_pages_fit_the_tablet_in_the_five_languages(server, tablet: Page, language: str) -> None:  # type: ignore[no-untyped-def]
    for address in (_times_page(server, language), f"{server.url}/robot/ijsselmonde/book?lang={language}",
                    f"{server.url}/robot/ijsselmonde/book_offline?lang={language}",
                    f"{server.url}/robot/hoogvliet/book_elsewhere?lang={language}"):
        tablet.goto(address)
        targets = _boxes(tablet, ".robot-button, .robot-language")
        assert all(box["h"] >= 44 and box["w"] >= 44 for box in targets), (address, targets)
        for box in targets + _boxes(tablet, ".booked-qr img, h1, .robot-hint, .booked-url"):
            assert box["x"] >= 0 and box["x"] + box["w"] <= 1280 and box["y"] + box["h"] <= 800, (address, box)


def test_the_booking_pages_work_in_a_browser_without_modern_features(server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=TABLET, has_touch=True)
    context.add_init_script(WITHOUT_MODERN_FEATURES + BRIDGE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(_times_page(server, "pl"))
        page.locator(".time-button").first.tap()
        assert _raised_as_json(page) == [f"slot:{TIMES[0]}"]
        assert not errors, errors
    finally:
        context.close()
