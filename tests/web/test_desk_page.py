"""The desk page: a clerk calls and serves visitors with buttons or the keyboard."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.conftest import sign_in


def test_a_clerk_calls_starts_and_finishes_with_the_keyboard_and_sees_the_visitors_language(
        server, api, make_token, open_screen):
    kiosk, desk = make_token("kiosk"), make_token("desk")
    ticket = api.issue(kiosk, "paspoort", language="tr").json()
    screen = open_screen(f"{server.url}/desk/ijsselmonde/balie-1")
    sign_in(screen, desk)
    page = screen.page
    expect(page.locator("#waiting-count")).to_have_text("1")

    page.keyboard.press("n")
    expect(page.locator("#visitor-number")).to_have_text(ticket["number"])
    expect(page.locator("#visitor-language")).to_have_text("Türkçe (tr)")
    expect(page.locator("#visitor-status")).to_have_text("geroepen")
    page.keyboard.press("r")
    expect(page.locator("#toast")).to_have_text(f"{ticket['number']} opnieuw geroepen.")
    page.keyboard.press("s")
    expect(page.locator("#visitor-status")).to_have_text("wordt geholpen")
    expect(page.locator("#start")).to_be_disabled()
    page.keyboard.press("f")
    expect(page.locator("#visitor-empty")).to_be_visible()
    expect(page.locator("#toast")).to_have_text(f"Afgerond: {ticket['number']}.")

    steps = [s["step"] for s in api.get(f"/api/v1/tickets/{ticket['id']}").json()["timeline"]]
    assert steps == ["issued", "called", "recalled", "serving", "done"]

    page.keyboard.press("n")
    expect(page.locator("#toast")).to_have_text("Er wacht nu niemand voor de diensten van deze balie.")
    screen.expect_no_errors()


def test_a_reloaded_desk_page_shows_its_visitor_and_can_transfer_them(server, api, make_token, open_screen):
    kiosk, desk = make_token("kiosk"), make_token("desk")
    ticket = api.issue(kiosk, "identiteitskaart", language="pl").json()
    api.call_next(desk, "balie-2")
    screen = open_screen(f"{server.url}/desk/ijsselmonde/balie-2")
    sign_in(screen, desk)
    page = screen.page
    expect(page.locator("#visitor-number")).to_have_text(ticket["number"])

    page.keyboard.press("t")
    expect(page.locator("#transfer-service")).to_be_focused()
    page.select_option("#transfer-service", "rijbewijs")
    page.get_by_role("button", name="Doorsturen", exact=True).click()
    expect(page.locator("#visitor-empty")).to_be_visible()
    assert api.get(f"/api/v1/tickets/{ticket['id']}").json()["service"] == "rijbewijs"
    screen.expect_no_errors()


def test_a_no_show_ends_the_call(server, api, make_token, open_screen):
    kiosk, desk = make_token("kiosk"), make_token("desk")
    ticket = api.issue(kiosk, "rijbewijs").json()
    screen = open_screen(f"{server.url}/desk/ijsselmonde/balie-3")
    sign_in(screen, desk)
    page = screen.page
    page.get_by_role("button", name="Volgende roepen").click()
    expect(page.locator("#visitor-number")).to_have_text(ticket["number"])
    page.get_by_role("button", name="Niet verschenen").click()
    expect(page.locator("#visitor-empty")).to_be_visible()
    assert api.get(f"/api/v1/tickets/{ticket['id']}").json()["status"] == "no_show"
