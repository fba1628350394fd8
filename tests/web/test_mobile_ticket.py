"""The mobile ticket on a small phone (390x844): live place in line, and "your turn"."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import axe_violations, screens_dir, serious

NARROW = {"width": 320, "height": 720}
SAID = """() => {
  window.said = [];
  for (const region of document.querySelectorAll("#say-politely, #say-now")) {
    new MutationObserver(() => { if (region.textContent) window.said.push([region.id, region.textContent]); })
      .observe(region, { childList: true, characterData: true, subtree: true });
  }
}"""
"""Records what each live region is given to say, word for word, in ``window.said``."""


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield screens_dir(tmp_path_factory)


def said(page: Page) -> list[list[str]]:
    # announcements are set in the next frame
    return page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => "
                         "done(window.said))))")


def test_the_mobile_ticket_follows_the_queue_and_turns_to_your_turn(server, api, make_token, open_screen):
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    ahead = api.issue(kiosk, "paspoort").json()
    mine = api.issue(kiosk, "paspoort", language="en").json()
    assert mine["mobile_url"].endswith(f"/t/{mine['id']}")

    screen = open_screen(f"{server.url}/t/{mine['id']}", phone=True)
    page = screen.page
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the visitor's language, from the ticket
    expect(page.locator("#number")).to_have_text(mine["number"])
    expect(page.locator("#state-title")).to_have_text("1 person before you")
    page.wait_for_selector("body[data-stream=online]")
    expect(page.locator("#state")).not_to_have_attribute("aria-live", "assertive")
    page.evaluate(SAID)

    assert api.call_next(desk, "balie-1").json()["number"] == ahead["number"]
    expect(page.locator("#state-title")).to_have_text("You are next", timeout=4000)
    expect(page.locator("#say-politely")).to_contain_text("You are next. Estimated wait")

    with page.expect_response(lambda response: response.url.endswith(mine["id"])):  # the refresh after the call
        api.call_next(make_token("desk", desk="balie-2"), "balie-2")
    expect(page.locator("#state-title")).to_have_text("It's your turn: desk 2", timeout=1500)
    expect(page.locator("#state")).to_have_attribute("data-status", "called")
    expect(page.locator("#say-now")).to_contain_text("It's your turn: desk 2")
    announced = said(page)
    assert [region for region, _ in announced] == ["say-politely", "say-now"], (
        f"each change once, the call at once: {announced}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page is wider than the phone"
    screen.expect_no_errors()


def test_the_mobile_ticket_speaks_the_visitors_language_right_to_left(server, api, make_token, open_screen):
    kiosk = make_token("kiosk")
    ticket = api.issue(kiosk, "rijbewijs", language="ar").json()
    page = open_screen(f"{server.url}/t/{ticket['id']}", phone=True).page
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#state-title")).to_have_text("أنت التالي")
    page.get_by_role("link", name="Nederlands").click()
    expect(page.locator("#state-title")).to_have_text("U bent de volgende")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_an_unknown_ticket_gets_a_kind_page_not_an_error(server, open_screen):
    screen = open_screen(f"{server.url}/t/no-such-ticket", phone=True)
    expect(screen.page.get_by_role("heading", level=1)).to_have_text("Deze pagina bestaat niet")


def test_a_visit_of_two_services_shows_which_is_now_and_which_next_and_moves_on_live(
        server, api, make_token, open_screen, clock, tmp_path):
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    visit = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,
                     {"services": ["paspoort", "verhuizing"], "language": "en"}, key="visit-1").json()
    screen = open_screen(f"{server.url}/t/{visit['id']}", viewport={"width": 320, "height": 720})
    page = screen.page
    page.wait_for_selector("body[data-stream=online]")
    steps = page.locator("#visit-list .visit-step")
    expect(page.get_by_role("heading", name="Your visit")).to_be_visible()
    expect(steps).to_have_text(["Passport Now", "Report a change of address Next"])
    expect(steps.nth(0)).to_have_attribute("aria-current", "step")

    api.call_next(desk, "balie-1")
    expect(page.locator("#state-title")).to_have_text("It's your turn: desk 1", timeout=4000)
    clock.advance(minutes=10)
    api.post(f"/api/v1/tickets/{visit['id']}/finish", desk, key="finish-1")
    expect(steps).to_have_text(["Passport Done", "Report a change of address Now"], timeout=4000)
    expect(steps.nth(1)).to_have_attribute("aria-current", "step")
    expect(page.locator("#service")).to_have_text("Report a change of address")
    expect(page.locator("#state-title")).to_have_text("You are next")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the page is wider than the phone"
    page.screenshot(path=str(tmp_path / "mobile-ticket-visit-320.png"), full_page=True)
    screen.expect_no_errors()


def test_the_visit_is_listed_in_the_visitors_language_right_to_left(server, api, make_token, open_screen,
                                                                     tmp_path):
    kiosk = make_token("kiosk")
    visit = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,
                     {"services": ["paspoort", "verhuizing", "informatie"], "language": "ar"}, key="visit-ar").json()
    page = open_screen(f"{server.url}/t/{visit['id']}", viewport={"width": 320, "height": 720}).page
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#visit-heading")).to_have_text("زيارتك")
    expect(page.locator("#visit-list .visit-mark")).to_have_text(["الآن", "التالي", "بعد ذلك"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the page is wider than the phone"
    page.screenshot(path=str(tmp_path / "mobile-ticket-visit-ar-320.png"), full_page=True)
    page.get_by_role("link", name="Polski").click()
    expect(page.locator("#visit-list .visit-mark")).to_have_text(["Teraz", "Następnie", "Potem"])


def test_a_ticket_of_one_service_shows_no_visit_list(server, api, make_token, open_screen):
    ticket = api.issue(make_token("kiosk"), "paspoort", language="en").json()
    page = open_screen(f"{server.url}/t/{ticket['id']}", phone=True).page
    expect(page.locator("#visit")).to_be_hidden()
    expect(page.locator(".visit-expected")).to_have_count(0)


def open_passport_and_licence_desks(api, host: str) -> None:
    for balie in ("balie-1", "balie-3"):  # passports; driving licences first
        assert api.post(f"/api/v1/locations/ijsselmonde/desks/{balie}/open", host).status_code == 200


def test_a_visit_is_told_when_its_next_service_is_expected_and_hears_it_change_once(
        server, api, make_token, open_screen, pictures):
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    open_passport_and_licence_desks(api, make_token("host"))
    visit = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,
                     {"services": ["paspoort", "rijbewijs"], "language": "nl"}, key="visit-nl").json()
    screen = open_screen(f"{server.url}/t/{visit['id']}", viewport=NARROW)
    page = screen.page
    page.wait_for_selector("body[data-stream=online]")
    steps = page.locator("#visit-list .visit-step")
    # 9:00: the passport now, the driving licence about ten minutes on (8 to 13): on the 5-minute marks.
    expect(steps.nth(1)).to_have_text("Rijbewijs Hierna Naar verwachting tussen 09:05 en 09:15")
    expect(steps.nth(0).locator(".visit-expected")).to_have_count(0)
    page.evaluate(SAID)

    for _ in range(2):  # two driving licences before the visit gets there
        api.issue(kiosk, "rijbewijs")
    expected = page.locator("#visit-list .visit-expected")
    expect(expected).to_have_text("Naar verwachting tussen 09:15 en 09:30", timeout=4000)
    expect(page.locator("#say-politely")).to_have_text("Hierna: Rijbewijs. Naar verwachting tussen 09:15 en 09:30")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the page is wider than the phone"
    assert not serious(axe_violations(page))
    page.screenshot(path=str(pictures / "mobile-ticket-visit-nl-320.png"), full_page=True, animations="disabled")

    with page.expect_response(lambda response: response.url.endswith(visit["id"])):
        api.call_next(desk, "balie-1")
    expect(page.locator("#state-title")).to_have_text("U bent aan de beurt: balie 1", timeout=1500)
    expect(expected).to_have_text("Naar verwachting tussen 09:15 en 09:30")  # still told at the desk
    announced = said(page)
    assert [region for region, _ in announced] == ["say-politely", "say-now"], f"each change once: {announced}"
    assert announced[0][1] == "Hierna: Rijbewijs. Naar verwachting tussen 09:15 en 09:30"
    assert announced[1][1].startswith("U bent aan de beurt: balie 1.") and "Rijbewijs" not in announced[1][1], (
        f"the call at once, not drowned by the next service: {announced}")
    screen.expect_no_errors()


def test_the_next_service_s_time_is_written_the_arabic_way_right_to_left(
        server, api, make_token, open_screen, pictures):
    kiosk = make_token("kiosk")
    open_passport_and_licence_desks(api, make_token("host"))
    visit = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,
                     {"services": ["paspoort", "rijbewijs", "informatie"], "language": "ar"},
                     key=str(uuid.uuid4())).json()
    screen = open_screen(f"{server.url}/t/{visit['id']}", viewport=NARROW)
    page = screen.page
    page.wait_for_selector("body[data-stream=online]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expected = page.locator("#visit-list .visit-expected")
    expect(expected).to_have_count(1)  # the next service only, not the one after
    expect(expected).to_have_text("الموعد المتوقع: بين الساعة 9:05 ص و9:15 ص")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the page is wider than the phone"
    assert not serious(axe_violations(page))
    page.screenshot(path=str(pictures / "mobile-ticket-visit-ar-320.png"), full_page=True, animations="disabled")
    screen.expect_no_errors()


def test_the_page_writes_the_next_service_s_time_as_the_server_does_in_every_language(
        server, api, make_token, open_screen):
    kiosk = make_token("kiosk")
    open_passport_and_licence_desks(api, make_token("host"))
    for language in ("nl", "en", "tr", "pl", "ar"):
        visit = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,
                         {"services": ["paspoort", "rijbewijs"], "language": language}, key=str(uuid.uuid4())).json()
        served = re.search(r'<span class="visit-expected">([^<]+)</span>', api.get(f"/t/{visit['id']}").text)
        assert served is not None, language
        screen = open_screen(f"{server.url}/t/{visit['id']}", viewport=NARROW)
        screen.page.wait_for_selector("body[data-stream=online]")
        # ticket.js has redrawn the list by now: its words are the server's, to the character
        written = screen.page.locator("#visit-list .visit-expected").text_content()
        assert written == html.unescape(served.group(1)), language
        screen.page.context.close()
