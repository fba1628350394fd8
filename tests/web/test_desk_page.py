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


def test_the_clerk_sees_the_case_a_visit_is_about_and_the_public_screens_never_do(
        server, api, make_token, open_screen):
    host, desk = make_token("host"), make_token("desk")
    dashboard = open_screen(f"{server.url}/host/ijsselmonde")
    sign_in(dashboard, host)
    form = dashboard.page
    form.fill("#issue-case", "Jan de Vries")
    form.get_by_role("button", name="Ticket uitgeven").click()
    expect(form.locator("#toast")).to_have_text(
        "Een zaaknummer ziet eruit als ZAAK-2026-0000000001. Controleer het, of laat het veld leeg.")
    expect(form.locator("#issue-case")).to_have_attribute("aria-invalid", "true")
    form.fill("#issue-case", " zaak-2026-0000000042 ")
    form.get_by_role("button", name="Ticket uitgeven").click()
    expect(form.locator("#issue-result")).to_contain_text("Ticket P001 uitgegeven")
    expect(form.locator('#waiting .ticket-item[data-number="P001"]')).to_contain_text("zaak ZAAK-2026-0000000042")
    expect(form.locator("#issue-case")).to_have_value("")
    ticket_id = api.get("/api/v1/locations/ijsselmonde/queue", host).json()["tickets"][0]["id"]

    display = open_screen(f"{server.url}/display/ijsselmonde")
    display.page.wait_for_selector("body[data-stream=online]")
    mobile = open_screen(f"{server.url}/t/{ticket_id}", phone=True)
    mobile.page.wait_for_selector("body[data-stream=online]")
    screen = open_screen(f"{server.url}/desk/ijsselmonde/balie-1")
    sign_in(screen, desk)
    page = screen.page
    expect(page.locator("#visitor-case-row")).to_be_hidden()
    page.keyboard.press("n")
    expect(page.locator("#visitor-number")).to_have_text("P001")
    expect(page.locator("#visitor-case")).to_have_text("ZAAK-2026-0000000042")
    page.reload()  # the desk's own view of its visitor, from the server
    expect(page.locator("#visitor-case")).to_have_text("ZAAK-2026-0000000042")

    expect(display.page.locator("#current-calls")).to_contain_text("P001")
    expect(mobile.page.locator("#state")).to_have_attribute("data-status", "called")
    for public in (display.page, mobile.page):
        assert "ZAAK" not in public.content()
        assert "ZAAK" not in public.locator("body").inner_text()
    for shown in (dashboard, display, mobile, screen):
        shown.expect_no_errors("422")
