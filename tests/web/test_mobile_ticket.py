"""The mobile ticket on a small phone (390x844): live place in line, and "your turn"."""

from __future__ import annotations

from playwright.sync_api import expect


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
    # What each live region is given to say, word for word.
    page.evaluate("""() => {
      window.said = [];
      for (const region of document.querySelectorAll("#say-politely, #say-now")) {
        new MutationObserver(() => { if (region.textContent) window.said.push([region.id, region.textContent]); })
          .observe(region, { childList: true, characterData: true, subtree: true });
      }
    }""")

    assert api.call_next(desk, "balie-1").json()["number"] == ahead["number"]
    expect(page.locator("#state-title")).to_have_text("You are next", timeout=4000)
    expect(page.locator("#say-politely")).to_contain_text("You are next. Estimated wait")

    with page.expect_response(lambda response: response.url.endswith(mine["id"])):  # the refresh after the call
        api.call_next(make_token("desk", desk="balie-2"), "balie-2")
    expect(page.locator("#state-title")).to_have_text("It's your turn: desk 2", timeout=1500)
    expect(page.locator("#state")).to_have_attribute("data-status", "called")
    expect(page.locator("#say-now")).to_contain_text("It's your turn: desk 2")
    said = page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => "
                         "done(window.said))))")  # announcements are set in the next frame
    assert [region for region, _ in said] == ["say-politely", "say-now"], f"each change once, the call at once: {said}"
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
