"""The hosts' dashboard and the desk page worked by keyboard only (Tab, Enter, Space, a letter in a
list box): every action is reachable, and after every action and every live update the focus is on
a control, visible, in the window and clear of the toast, never on <body> in any frame."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.web.conftest import Screen
from tests.web.keyboard import (
    assert_focus_is_kept,
    focus_lost_after,
    is_focused,
    live_regions_saying,
    tab_to,
    watch_focus,
)


def sign_in_by_keyboard(screen: Screen, token: str) -> Page:
    page = screen.page
    tab_to(page, page.locator("#token"))
    page.keyboard.type(token)
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-stream=online]")
    watch_focus(page)
    return page


def ticket(page: Page, number: str) -> Locator:
    return page.locator(f'#waiting .ticket-item[data-number="{number}"]')


def test_a_host_does_every_action_on_the_dashboard_by_keyboard_and_never_loses_the_focus(
        server, api, make_token, open_screen):
    host, kiosk, desk = make_token("host"), make_token("kiosk"), make_token("desk", desk="balie-6")
    robot = make_token("robot", name="pepper")
    first = api.issue(kiosk, "paspoort").json()["number"]
    second = api.issue(kiosk, "paspoort").json()["number"]
    third = api.issue(kiosk, "informatie").json()["number"]
    api.post("/api/v1/devices/me/status", robot, {"online": True, "battery_percent": 80})
    assist = "/api/v1/locations/ijsselmonde/assist-requests"
    api.post(assist, robot, {"reason": "language", "place": "hal"}, key="help-1")
    screen = open_screen(f"{server.url}/host/ijsselmonde", timers=True)
    page = sign_in_by_keyboard(screen, host)
    expect(page.locator("#waiting .ticket-item")).to_have_count(3)

    # Give priority: the button goes, the focus goes to the ticket's next control.
    tab_to(page, ticket(page, second).get_by_role("button", name="Voorrang geven"))
    page.keyboard.press("Enter")
    expect(ticket(page, second)).to_contain_text("Voorrang")
    expect(page.locator("#toast")).to_have_text(f"{second} heeft nu voorrang.")
    expect(ticket(page, second).get_by_role("button", name="Doorsturen…")).to_be_focused()
    assert_focus_is_kept(page, "after Give priority")

    # Transfer: the box stays open, and the focus in it, while the queue changes under it.
    toggle = ticket(page, first).get_by_role("button", name="Doorsturen…")
    tab_to(page, toggle)
    page.keyboard.press("Enter")
    choice = ticket(page, first).get_by_label(f"{first} doorsturen naar")
    expect(choice).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    api.issue(kiosk, "rijbewijs")  # a kiosk issues a ticket
    assert api.call_next(desk, "balie-6").json()["number"] == third  # another desk calls
    expect(page.locator("#waiting .ticket-item")).to_have_count(3)
    expect(page.locator(f'#waiting .ticket-item[data-number="{third}"]')).to_have_count(0)
    expect(choice).to_be_focused()
    with page.expect_request(lambda request: request.url.endswith("/queue")):
        page.clock.run_for(61_000)  # the reloads every 30 s (queue) and 60 s (norms), the 15 s highlight
    expect(choice).to_be_focused()
    expect(choice).to_be_visible()
    page.keyboard.type("r")  # Rijbewijs, by its first letter
    expect(choice).to_have_value("rijbewijs")
    page.keyboard.press("Tab")
    expect(ticket(page, first).get_by_role("button", name="Doorsturen", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#toast")).to_contain_text(f"{first} wacht nu voor Rijbewijs")
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert_focus_is_kept(page, "after Transfer")
    page.keyboard.press("Enter")  # open again, and close with Escape: the focus goes back to the toggle
    expect(choice).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_be_focused()
    expect(choice).to_be_hidden()

    # Cancel, asked twice: the item goes, the focus goes to the ticket that took its place.
    items = page.locator("#waiting .ticket-item")
    expect(items).to_have_count(3)
    numbers = [n for n in items.evaluate_all("items => items.map((item) => item.dataset.number)")]
    victim = numbers[0]
    cancel = ticket(page, victim).get_by_role("button", name="Ticket annuleren")
    tab_to(page, cancel)
    page.keyboard.press("Enter")
    armed = ticket(page, victim).get_by_role("button", name=f"{victim} echt annuleren?")
    expect(armed).to_be_focused()
    api.issue(kiosk, "verhuizing")  # a live update while the question stands: it stays, and the focus too
    expect(page.locator("#waiting .ticket-item")).to_have_count(4)
    expect(armed).to_be_focused()
    page.keyboard.press("Enter")
    expect(ticket(page, victim)).to_have_count(0)
    expect(page.locator(f'#waiting .ticket-item[data-number="{numbers[1]}"] :focus')).to_have_count(1)
    assert_focus_is_kept(page, "after Cancel")

    # Resolved, with Space: the only request goes, the focus goes to the list's heading.
    tab_to(page, page.get_by_role("button", name="Afgehandeld"), backwards=True)
    page.keyboard.press("Space")
    expect(page.locator("#assist .assist-item")).to_have_count(0)
    expect(page.locator("#assist-title")).to_be_focused()
    assert_focus_is_kept(page, "after Resolved")

    # Close desk and Pause robot: the button changes its words and keeps the focus.
    close = page.locator('#desks .desk-item[data-desk="balie-2"] button')
    tab_to(page, close)
    page.keyboard.press("Space")
    expect(close).to_have_text("Balie openen")
    assert is_focused(close)
    assert_focus_is_kept(page, "after Close desk")
    pause = page.get_by_role("button", name="Robot pauzeren")
    tab_to(page, pause, backwards=True)
    page.keyboard.press("Enter")
    resume = page.locator("#devices .device-item", has_text="pepper").get_by_role("button")
    expect(resume).to_have_text("Robot hervatten")
    assert is_focused(resume)
    assert_focus_is_kept(page, "after Pause robot")

    # Issue a ticket by keyboard; live updates arrive while the focus is on the form's button.
    tab_to(page, page.locator("#issue-service"))
    page.keyboard.type("r")
    tab_to(page, page.get_by_role("button", name="Ticket uitgeven"))
    page.keyboard.press("Enter")
    expect(page.locator("#issue-result")).to_contain_text("uitgegeven")
    api.issue(kiosk, "paspoort")
    api.post(assist, robot, {"reason": "printer", "place": "ingang"}, key="help-2")
    expect(page.locator("#assist .assist-item")).to_have_count(1)
    when = page.locator("#assist .assist-where").inner_text().split(" · ")[-1]
    expect(page.locator("#announcer")).to_have_text(f"Nieuwe hulpvraag: printer, ingang · robot · {when}.")
    assert_focus_is_kept(page, "after live updates")
    assert focus_lost_after(page) == []
    screen.expect_no_errors()


def test_a_clerk_serves_visitors_by_keyboard_and_the_focus_moves_to_the_next_sensible_control(
        server, api, make_token, open_screen):
    kiosk, desk, other = make_token("kiosk"), make_token("desk", desk="balie-1"), make_token("desk", desk="balie-2")
    first = api.issue(kiosk, "paspoort").json()
    second = api.issue(kiosk, "paspoort").json()
    screen = open_screen(f"{server.url}/desk/ijsselmonde/balie-1")
    page = sign_in_by_keyboard(screen, desk)
    call_next, start, finish = page.locator("#call-next"), page.locator("#start"), page.locator("#finish")

    tab_to(page, call_next)
    page.keyboard.press("Enter")
    expect(page.locator("#visitor-number")).to_have_text(first["number"])
    expect(page.locator("#toast")).to_have_text(f"{first['number']} naar deze balie geroepen.")
    assert live_regions_saying(page, first["number"]) == ["toast"], "the call is said once, by the toast"
    assert is_focused(call_next)
    assert_focus_is_kept(page, "after Call next")

    tab_to(page, start)
    page.keyboard.press("Space")
    expect(page.locator("#visitor-status")).to_have_text("wordt geholpen")
    expect(page.locator("#toast")).to_have_text(f"{first['number']} wordt geholpen.")
    expect(finish).to_be_focused()  # Start can no longer be used: Finish is next
    assert_focus_is_kept(page, "after Start")

    # A live update while the clerk is on a control: another desk calls, a kiosk issues.
    api.issue(kiosk, "paspoort")
    assert api.call_next(other, "balie-2").json()["number"] == second["number"]
    expect(page.locator("#next-tickets li")).to_have_count(1)
    expect(finish).to_be_focused()

    tab_to(page, page.locator("#transfer-service"))
    page.keyboard.type("r")
    expect(page.locator("#transfer-service")).to_have_value("rijbewijs")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#visitor-empty")).to_be_visible()
    expect(call_next).to_be_focused()  # nobody at the desk: calling the next one is next
    assert_focus_is_kept(page, "after Transfer")
    assert api.get(f"/api/v1/tickets/{first['id']}").json()["service"] == "rijbewijs"
    assert focus_lost_after(page) == []
    screen.expect_no_errors()


def test_single_key_shortcuts_can_be_turned_off_and_the_page_remembers_it(server, api, make_token, open_screen):
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    waiting = api.issue(kiosk, "paspoort").json()
    screen = open_screen(f"{server.url}/desk/ijsselmonde/balie-1")
    page = sign_in_by_keyboard(screen, desk)
    switch = page.get_by_label("Sneltoetsen met één toets")
    expect(switch).to_be_checked()
    expect(page.locator("#call-next")).to_have_attribute("aria-keyshortcuts", "N")
    expect(page.locator("#shortcuts-hint-on")).to_be_visible()

    tab_to(page, switch)
    page.keyboard.press("Space")
    expect(switch).not_to_be_checked()
    expect(page.locator("#shortcuts-hint-off")).to_be_visible()
    page.reload()
    page.wait_for_selector("body[data-stream=online]")
    expect(page.get_by_label("Sneltoetsen met één toets")).not_to_be_checked()
    expect(page.locator("#call-next")).not_to_have_attribute("aria-keyshortcuts", "N")
    expect(page.locator("#call-next kbd")).to_be_hidden()
    page.keyboard.press("n")
    page.keyboard.press("t")
    expect(page.locator("#transfer-service")).not_to_be_focused()
    assert api.get(f"/api/v1/tickets/{waiting['id']}").json()["status"] == "waiting", "a key called a visitor"

    tab_to(page, page.get_by_label("Sneltoetsen met één toets"))
    page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")  # off the check box: letters in a field never act
    page.keyboard.press("n")
    expect(page.locator("#visitor-number")).to_have_text(waiting["number"])
    screen.expect_no_errors()


def test_the_toast_never_covers_the_focused_control(server, api, make_token, open_screen):
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    first = api.issue(kiosk, "paspoort").json()
    screen = open_screen(f"{server.url}/desk/ijsselmonde/balie-1", viewport={"width": 640, "height": 480})
    page = sign_in_by_keyboard(screen, desk)
    call_next = page.locator("#call-next")
    tab_to(page, call_next)
    # The button at the very bottom of the window, where the toast appears.
    page.evaluate("""() => {
      const button = document.getElementById("call-next").getBoundingClientRect();
      window.scrollBy(0, button.bottom - window.innerHeight + 2);
    }""")
    page.keyboard.press("Enter")
    expect(page.locator("#toast")).to_have_text(f"{first['number']} naar deze balie geroepen.")
    expect(page.locator("#toast")).to_have_class("toast at-top")
    assert_focus_is_kept(page, "after Call next at the bottom of the window")
    screen.expect_no_errors()
