"""The desk page: a clerk calls and serves visitors with buttons or the keyboard."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.web.conftest import sign_in
from tests.web.keyboard import assert_focus_is_kept, tab_to


def test_a_clerk_calls_starts_and_finishes_with_the_keyboard_and_sees_the_visitors_language(
        server, api, make_token, open_screen):
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
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
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-2")
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
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-3")
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
    host, desk = make_token("host"), make_token("desk", desk="balie-1")
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


def visit(api, token, services, language="nl"):
    return api.post("/api/v1/locations/ijsselmonde/tickets", token, {"services": services, "language": language},
                    key=str(uuid.uuid4())).json()


def test_the_desk_shows_a_visits_services_adds_one_by_keyboard_and_finishing_sends_the_visitor_on(
        server, api, make_token, open_screen):
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    ticket = visit(api, kiosk, ["paspoort", "rijbewijs"])
    screen = open_screen(f"{server.url}/desk/ijsselmonde/balie-1")
    sign_in(screen, desk)
    page = screen.page
    page.keyboard.press("n")
    expect(page.locator("#visitor-number")).to_have_text(ticket["number"])
    steps = page.locator("#visitor-visit li")
    expect(steps).to_have_text(["▶PaspoortNu", "○RijbewijsHierna"])
    expect(steps.nth(0)).to_have_attribute("aria-current", "step")
    expect(steps.nth(0).locator("strong")).to_have_text("Paspoort")
    offered = page.locator("#add-service option").evaluate_all("options => options.map((o) => o.value)")
    assert "verhuizing" in offered and not {"paspoort", "rijbewijs"} & set(offered)  # none already in the visit

    select = page.locator("#add-service")
    tab_to(page, select)
    page.keyboard.type("Verh")  # the select's own type-ahead
    expect(select).to_have_value("verhuizing")
    tab_to(page, page.locator("#add-service-button"))
    page.keyboard.press("Enter")
    expect(page.locator("#toast")).to_have_text(
        f"Verhuizing doorgeven toegevoegd aan het bezoek van {ticket['number']}.")
    expect(steps).to_have_text(["▶PaspoortNu", "○RijbewijsHierna", "○Verhuizing doorgevenDaarna"])
    # three is the most: the control says so instead of offering more
    expect(page.locator("#add-service-button")).to_be_disabled()
    expect(page.locator("#add-service-note")).to_have_text(
        "Dit bezoek heeft al drie diensten: meer kan één ticket niet dragen. "
        "Geef een nieuw ticket uit voor een andere dienst.")
    assert_focus_is_kept(page, "after adding the third service")
    assert api.get(f"/api/v1/tickets/{ticket['id']}").json()["services"] == ["paspoort", "rijbewijs", "verhuizing"]

    page.keyboard.press("s")
    expect(page.locator("#visitor-status")).to_have_text("wordt geholpen")
    page.keyboard.press("f")
    expect(page.locator("#visitor-empty")).to_be_visible()
    expect(page.locator("#toast")).to_have_text(f"{ticket['number']} wacht nu op de volgende dienst: Rijbewijs.")
    after = api.get(f"/api/v1/tickets/{ticket['id']}").json()
    assert (after["status"], after["service"], after["service_index"]) == ("waiting", "rijbewijs", 1)
    queue = api.get("/api/v1/locations/ijsselmonde/queue", desk).json()
    assert [t["id"] for t in queue["tickets"] if t["service"] == "rijbewijs"] == [ticket["id"]]
    screen.expect_no_errors()


def test_a_full_visit_refuses_one_more_service_and_says_why(server, api, make_token, open_screen):
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    ticket = visit(api, kiosk, ["identiteitskaart", "rijbewijs"], language="pl")
    api.call_next(desk, "balie-1")
    screen = open_screen(f"{server.url}/desk/ijsselmonde/balie-1")
    page = screen.page
    # The page misses the live update (its event stream is cut), as a desk does whose network hiccups:
    # it still offers to add, and the server's refusal is said in words.
    page.route("**/events*", lambda route: route.abort())
    page.fill("#token", desk)
    page.click("#sign-in-form button[type=submit]")
    expect(page.locator("#visitor-number")).to_have_text(ticket["number"])
    expect(page.locator("#visitor-visit li")).to_have_count(2)
    api.post(f"/api/v1/tickets/{ticket['id']}/add-service", desk, {"service": "verhuizing"}, key="add-1")

    page.select_option("#add-service", "informatie")
    page.get_by_role("button", name="Dienst toevoegen").click()
    expect(page.locator("#toast")).to_have_text(
        "Dit bezoek heeft al drie diensten: meer kan één ticket niet dragen. "
        "Geef een nieuw ticket uit voor een andere dienst.")
    expect(page.locator("#toast")).to_have_attribute("data-kind", "error")
    # the visitor is read again: the three services, and no more offered
    expect(page.locator("#visitor-visit li")).to_have_count(3)
    expect(page.locator("#add-service-button")).to_be_disabled()
    expect(page.locator("#add-service")).to_be_disabled()
    assert api.get(f"/api/v1/tickets/{ticket['id']}").json()["services"] == [
        "identiteitskaart", "rijbewijs", "verhuizing"]
    screen.expect_no_errors("409", "ERR_FAILED", "EventSource")


def test_a_desk_page_left_open_after_moving_to_another_desk_says_the_desk_is_not_yours(
        server, api, make_token, open_screen):
    kiosk, token = make_token("kiosk"), make_token("desk")  # made for no desk: it sits where its page opens
    ticket = api.issue(kiosk, "paspoort").json()
    screen = open_screen(f"{server.url}/desk/ijsselmonde/balie-1")
    sign_in(screen, token)
    first = screen.page
    expect(first.locator("#waiting-count")).to_have_text("1")
    moved = first.context.new_page()  # the same session, now at balie-2
    moved.goto(f"{server.url}/desk/ijsselmonde/balie-2")
    moved.wait_for_selector("body[data-stream=online]")

    first.click("#call-next")
    expect(first.locator("#toast")).to_have_text(
        "Die bezoeker of balie is niet van u: u werkt alleen aan de balie waarvan u het laatst de pagina opende. "
        "Laad deze pagina opnieuw om weer aan deze balie te werken.")
    expect(first.locator("#toast")).to_have_attribute("data-kind", "error")
    assert api.get(f"/api/v1/tickets/{ticket['id']}").json()["status"] == "waiting"
    moved.click("#call-next")
    expect(moved.locator("#visitor-number")).to_have_text(ticket["number"])
    screen.expect_no_errors("403")
