"""The hosts' dashboard books an appointment for a visitor at the desk: service, day, time, book; it
shows the check-in code, a QR code to the visitor's page and a slip to print; a time taken a moment
before offers the next free ones; a location that books on the city's website shows that address.

IJsselmonde on Monday 30 November 2026 at 09:00: the first free passport slot is 09:30."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from tests.web.conftest import axe_violations, screens_dir, serious, sign_in

NARROW = {"width": 320, "height": 900}


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screens_dir(tmp_path_factory)


def free_times(api, day: str = "2026-11-30") -> list[str]:
    answer = api.get("/api/v1/locations/ijsselmonde/slots", params={"service": "paspoort", "date": day})
    return [slot["starts_at"] for slot in answer.json()["slots"]]


def test_a_host_books_by_keyboard_and_the_visitor_checks_in_with_its_code(
        server, api, make_token, open_screen, pictures: Path):
    screen = open_screen(f"{server.url}/host/ijsselmonde", viewport=NARROW)
    sign_in(screen, make_token("host", name="hosts-pc"))
    page = screen.page
    page.locator("#book-service").select_option("paspoort")
    expect(page.locator("#book-day option").first).to_have_text("maandag 30 november")
    expect(page.locator("#book-time option").first).to_have_text("09:30")
    page.locator("#book-language").focus()
    page.keyboard.press("ArrowDown")  # Nederlands → English
    expect(page.locator("#book-language")).to_have_value("en")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.locator("#book-title").scroll_into_view_if_needed()
    page.screenshot(path=str(pictures / "host-book-form-320.png"))
    page.locator("#book-time").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#book-submit")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("#book-result-title")).to_be_focused()
    expect(page.locator("#book-result-title")).to_contain_text("om 09:30, aanmeldcode")
    code = page.locator("#book-code").inner_text()
    assert len(code) == 6
    expect(page.locator("#book-qr")).to_have_js_property("complete", True)
    assert page.locator("#book-qr").evaluate("img => img.naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not serious(axe_violations(page)), serious(axe_violations(page))
    page.screenshot(path=str(pictures / "host-book-done-320.png"))

    # The appointment exists: its time is no longer free, its page shows it, and its code checks in.
    assert not any(t.startswith("2026-11-30T09:30") for t in free_times(api))
    slip_url = page.locator("#book-print").get_attribute("href")
    appointment_id = slip_url.rsplit("/", 1)[1]
    visitor = requests.get(f"{server.url}/a/{appointment_id}", timeout=10)
    assert visitor.status_code == 200 and code in visitor.text and 'lang="en"' in visitor.text
    checked_in = api.post("/api/v1/locations/ijsselmonde/check-ins", make_token("kiosk"), {"code": code},
                          key=str(uuid.uuid4()))
    assert checked_in.status_code == 201, checked_in.text
    assert checked_in.json()["kind"] == "appointment" and checked_in.json()["service"] == "paspoort"

    # The slip to print: in the visitor's language, with the code and both QR codes; no staff can reach it unsigned.
    with page.context.expect_page() as opened:
        page.locator("#book-print").press("Enter")
    slip = opened.value
    slip.set_viewport_size(NARROW)
    expect(slip.locator("#slip-code")).to_have_text(code)
    expect(slip.locator(".appointment-qr svg")).to_have_count(2)
    expect(slip.locator("h1")).to_have_text("Your appointment")
    assert slip.evaluate("document.documentElement.scrollWidth") <= 320
    assert not serious(axe_violations(slip)), serious(axe_violations(slip))
    slip.screenshot(path=str(pictures / "host-book-slip-320.png"), full_page=True)
    assert requests.get(f"{server.url}{slip_url}", timeout=10, allow_redirects=False).status_code in (302, 303)
    assert requests.get(f"{server.url}{slip_url}/qr.svg", timeout=10).status_code == 401

    page.get_by_role("button", name="Nog een afspraak maken").click()
    expect(page.locator("#book-service")).to_be_focused()
    expect(page.locator("#book-time option").first).to_have_text("09:45")
    screen.expect_no_errors()


def test_a_time_taken_a_moment_before_offers_the_next_free_ones(server, api, make_token, open_screen,
                                                                 pictures: Path):
    screen = open_screen(f"{server.url}/host/ijsselmonde", viewport=NARROW)
    sign_in(screen, make_token("host"))
    page = screen.page
    page.locator("#book-service").select_option("paspoort")
    expect(page.locator("#book-time option").first).to_have_text("09:30")
    taken = api.post("/api/v1/appointments", make_token("kiosk"), {
        "location": "ijsselmonde", "service": "paspoort", "starts_at": free_times(api)[0]}, key=str(uuid.uuid4()))
    assert taken.status_code == 201

    page.get_by_role("button", name="Afspraak maken", exact=True).click()
    expect(page.locator("#book-next-text")).to_have_text(
        "Die tijd is net bezet. Maak de afspraak op een van de volgende vrije tijden:")
    offered = page.locator("#book-next-times button")
    expect(offered.first).to_have_text("maandag 30 november om 09:45")
    expect(offered.first).to_be_focused()
    expect(page.locator("#book-time option").first).to_have_text("09:45")  # the list is read again
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path=str(pictures / "host-book-taken-320.png"))
    page.keyboard.press("Enter")
    expect(page.locator("#book-result-title")).to_contain_text("om 09:45")
    assert not any(t.startswith("2026-11-30T09:45") for t in free_times(api))
    screen.expect_no_errors("409")


def test_a_location_that_books_on_the_citys_website_shows_its_address_and_qr_code(
        server, make_token, open_screen, pictures: Path):
    screen = open_screen(f"{server.url}/host/hoogvliet", viewport=NARROW)
    sign_in(screen, make_token("host", "hoogvliet"))
    page = screen.page
    expect(page.locator("#book-form")).to_have_count(0)
    block = page.locator("#book-elsewhere")
    expect(block.get_by_role("link")).to_have_text("https://www.rotterdam.nl/afspraak-maken")
    expect(block.locator("svg")).to_have_count(1)
    block.scroll_into_view_if_needed()
    page.screenshot(path=str(pictures / "host-book-elsewhere-320.png"))
    assert not serious(axe_violations(page)), serious(axe_violations(page))
    screen.expect_no_errors()
