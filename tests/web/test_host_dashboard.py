"""The hosts' dashboard: signed in with a host token, live through the host stream."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.conftest import sign_in


def test_the_dashboard_shows_an_assist_request_when_one_is_posted_and_resolves_it_in_one_click(
        server, api, make_token, open_screen):
    host, robot = make_token("host"), make_token("robot", name="pepper")
    screen = open_screen(f"{server.url}/host/ijsselmonde")
    sign_in(screen, host)
    page = screen.page
    expect(page.locator("#assist .empty")).to_have_text("Geen open hulpvragen.")

    posted = api.post("/api/v1/locations/ijsselmonde/assist-requests", robot,
                      {"reason": "language", "place": "hal"}, key="help-1").json()
    item = page.locator(f'#assist .assist-item[data-id="{posted["id"]}"]')
    expect(item).to_contain_text("hulp met taal", timeout=2000)
    expect(item).to_contain_text("hal · robot")
    expect(page.locator("#assist-count")).to_have_text("1")

    item.get_by_role("button", name="Afgehandeld").click()
    expect(item).to_have_count(0)
    assert api.get("/api/v1/locations/ijsselmonde/assist-requests", host).json() == []
    screen.expect_no_errors()


def test_the_dashboard_shows_devices_and_the_longest_wait_against_its_norm_in_words(
        server, api, make_token, open_screen, clock):
    host, kiosk = make_token("host"), make_token("kiosk", name="kiosk-ingang")
    api.issue(kiosk, "paspoort")
    clock.advance(minutes=14)  # paspoort's norm is 10 minutes
    api.issue(kiosk, "informatie")
    screen = open_screen(f"{server.url}/host/ijsselmonde")
    sign_in(screen, host)
    page = screen.page

    paspoort = page.locator('#services tr[data-service="paspoort"]')
    expect(paspoort).to_contain_text("14 min / 10 min · boven norm")
    expect(paspoort.locator(".norm")).to_have_class("norm norm-over")
    expect(page.locator('#services tr[data-service="informatie"]')).to_contain_text("binnen norm")

    api.post("/api/v1/devices/me/status", kiosk, {"online": True, "printer": "paper_out"})
    device = page.locator("#devices .device-item")
    expect(device).to_contain_text("kiosk-ingang", timeout=2000)
    expect(device).to_contain_text("papier op")
    expect(page.locator("#chart-summary")).to_contain_text("Nu 2 wachtend")
    screen.expect_no_errors()


def test_a_host_issues_a_priority_ticket_transfers_one_and_cancels_one(server, api, make_token, open_screen):
    host, kiosk = make_token("host"), make_token("kiosk")
    first = api.issue(kiosk, "paspoort").json()
    second = api.issue(kiosk, "informatie").json()
    screen = open_screen(f"{server.url}/host/ijsselmonde")
    sign_in(screen, host)
    page = screen.page

    page.select_option("#issue-service", "rijbewijs")
    page.select_option("#issue-language", "tr")
    page.check("#issue-priority")
    page.get_by_role("button", name="Ticket uitgeven").click()
    expect(page.locator("#issue-result")).to_contain_text("Ticket R001 uitgegeven")
    issued = page.locator('#waiting .ticket-item[data-number="R001"]')
    expect(issued).to_contain_text("Voorrang")
    expect(issued).to_contain_text("Türkçe")

    row = page.locator(f'#waiting .ticket-item[data-number="{first["number"]}"]')
    row.get_by_role("button", name="Doorsturen…").click()
    row.get_by_label(f"{first['number']} doorsturen naar").select_option("identiteitskaart")
    row.get_by_role("button", name="Doorsturen", exact=True).click()
    expect(page.locator("#toast")).to_contain_text(f"{first['number']} wacht nu voor Identiteitskaart")
    assert api.get(f"/api/v1/tickets/{first['id']}").json()["service"] == "identiteitskaart"

    row = page.locator(f'#waiting .ticket-item[data-number="{second["number"]}"]')
    row.get_by_role("button", name="Ticket annuleren").click()
    row.get_by_role("button", name=f"{second['number']} echt annuleren?").click()
    expect(row).to_have_count(0)
    assert api.get(f"/api/v1/tickets/{second['id']}").json()["status"] == "cancelled"
    screen.expect_no_errors()


def test_a_wrong_token_is_refused_with_a_kind_message_in_the_pages_language(server, make_token, open_screen):
    screen = open_screen(f"{server.url}/host/ijsselmonde?lang=en")
    page = screen.page
    page.fill("#token", make_token("kiosk"))
    page.click("#sign-in-form button[type=submit]")
    expect(page.locator("#sign-in-error")).to_have_text(
        "This token belongs to another kind of device and cannot sign in on this screen.")
    page.fill("#token", make_token("host", "hoogvliet"))
    page.click("#sign-in-form button[type=submit]")
    expect(page.locator("#sign-in-error")).to_have_text(
        "This token belongs to another location. Use a token of this location.")
    page.fill("#token", "not-a-token")
    page.click("#sign-in-form button[type=submit]")
    expect(page.locator("#sign-in-error")).to_contain_text("unknown or has been revoked")
    names = {c["name"] for c in page.context.cookies()}
    assert "gastvrij_lang" in names and not names & {"gastvrij_host", "gastvrij_staff"}, \
        "a refused sign-in sets no session"


def test_a_host_pauses_and_resumes_a_robot_from_the_devices_list(server, api, make_token, open_screen):
    host, robot = make_token("host"), make_token("robot", name="pepper")
    api.post("/api/v1/devices/me/status", robot, {"online": True, "battery_percent": 70})
    screen = open_screen(f"{server.url}/host/ijsselmonde")
    sign_in(screen, host)
    page = screen.page
    pepper = page.locator("#devices .device-item", has_text="pepper")
    pepper.get_by_role("button", name="Robot pauzeren").click()
    expect(pepper).to_contain_text("gepauzeerd")
    commands = api.get("/api/v1/devices/me/commands", robot).json()["commands"]
    assert [c["command"] for c in commands] == ["pause"]

    page.reload()  # the paused state comes back from the event log
    pepper = page.locator("#devices .device-item", has_text="pepper")
    pepper.get_by_role("button", name="Robot hervatten").click()
    expect(pepper.get_by_role("button", name="Robot pauzeren")).to_be_visible()
    assert api.get("/api/v1/devices/me/commands", robot).json()["commands"][0]["command"] == "resume"
    screen.expect_no_errors()


def test_the_service_norm_chart_shows_todays_figures_per_service_in_words_and_numbers(
        server, api, make_token, open_screen, clock):
    host, kiosk = make_token("host"), make_token("kiosk")
    passports = [api.issue(kiosk, "paspoort").json()["number"] for _ in range(3)]  # 09:00; norm 80% ≤ 10 min
    api.issue(kiosk, "informatie")  # norm 90% ≤ 5 min
    for minutes, desk_id in ((2, "balie-6"), (2, "balie-1"), (4, "balie-1"), (6, "balie-1")):
        clock.advance(minutes=minutes)
        assert api.call_next(make_token("desk", desk=desk_id), desk_id).status_code == 200
    # Waits: informatie 2 min; paspoort 4, 8 and 14 min: 2 of 3 within 10 min, median 8, 80th percentile 11.6;
    # all four: 3 of 4 within their norm, median 6, 80th percentile 10.4.
    screen = open_screen(f"{server.url}/host/ijsselmonde", at=clock())
    sign_in(screen, host)
    page = screen.page

    chart = page.locator("#norms-svg")
    expect(chart.locator(".norms-name")).to_have_text(["Paspoort", "Informatie"])
    expect(chart).to_contain_text("67% ✕ niet gehaald (doel 80%)")
    expect(chart).to_contain_text("mediaan 8 · 80%: 12 · norm 10 min")
    expect(chart).to_contain_text("100% ✓ gehaald (doel 90%)")
    expect(chart).to_contain_text("mediaan 2 · 80%: 2 · norm 5 min")
    expect(chart.locator(".norms-missed")).to_have_count(1)
    expect(chart.locator(".norms-met")).to_have_count(1)
    expect(page.locator("#norms-summary")).to_have_text(
        "1 van 2 diensten halen vandaag hun norm. Alle diensten: 75% binnen hun norm geholpen; "
        "mediane wachttijd 6 min, 80% wachtte hooguit 10 min.")

    page.get_by_text("De cijfers als tabel").click()
    row = page.locator('#norms-table tr[data-service="paspoort"] > *')
    expect(row).to_have_text(["Paspoort", "67% · niet gehaald (doel 80%)", "80% ≤ 10 min", "8 min", "12 min", "3"])
    assert passports == ["P001", "P002", "P003"]
    screen.expect_no_errors()


def test_the_devices_list_shows_a_robot_tablet_that_lost_its_wi_fi(server, api, make_token, open_screen):
    host, robot = make_token("host"), make_token("robot", name="pepper")
    api.post("/api/v1/devices/me/status", robot, {"online": True, "battery_percent": 70, "tablet": "wifi_disconnected"})
    screen = open_screen(f"{server.url}/host/ijsselmonde")
    sign_in(screen, host)
    pepper = screen.page.locator("#devices .device-item", has_text="pepper")
    expect(pepper).to_contain_text("wifi van de tablet verbroken")
    api.post("/api/v1/devices/me/status", robot, {"online": True, "battery_percent": 70, "tablet": "ok"})
    expect(pepper).to_contain_text("tablet OK")
    screen.expect_no_errors()


def test_the_waiting_list_shows_a_visits_services_and_a_host_issues_a_visit_of_three(
        server, api, make_token, open_screen):
    host, kiosk, desk = make_token("host"), make_token("kiosk"), make_token("desk", desk="balie-1")
    on_to_second = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,
                            {"services": ["identiteitskaart", "verhuizing"]}, key="visit-1").json()
    assert api.call_next(desk, "balie-1").json()["id"] == on_to_second["id"]
    api.post(f"/api/v1/tickets/{on_to_second['id']}/finish", desk, key="finish-1")  # now waits for verhuizing
    single = api.issue(kiosk, "informatie").json()
    screen = open_screen(f"{server.url}/host/ijsselmonde")
    sign_in(screen, host)
    page = screen.page

    item = page.locator(f'#waiting .ticket-item[data-number="{on_to_second["number"]}"]')
    steps = item.get_by_role("list", name="Diensten van dit bezoek").get_by_role("listitem")
    expect(steps).to_have_text(["✓Identiteitskaart (klaar)", "→▶Verhuizing doorgeven (nu)"])
    expect(steps.nth(1)).to_have_attribute("aria-current", "step")
    expect(steps.nth(1).locator("strong")).to_have_text("Verhuizing doorgeven")
    plain = page.locator(f'#waiting .ticket-item[data-number="{single["number"]}"]')
    expect(plain).to_contain_text("Informatie")
    expect(plain.locator("ol.visit")).to_have_count(0)  # one service: no visit list

    page.select_option("#issue-service", "paspoort")
    page.select_option("#issue-also-1", "uittreksel_brp")
    page.select_option("#issue-also-2", "rijbewijs")
    page.get_by_role("button", name="Ticket uitgeven").click()
    expect(page.locator("#issue-result")).to_contain_text("Ticket P001 uitgegeven")
    expect(page.locator("#issue-also-1")).to_have_value("")
    issued = page.locator('#waiting .ticket-item[data-number="P001"] ol.visit li')
    expect(issued).to_have_text(["▶Paspoort (nu)", "→○Uittreksel BRP (hierna)", "→○Rijbewijs (daarna)"])
    queue = api.get("/api/v1/locations/ijsselmonde/queue", host).json()
    assert [t["services"] for t in queue["tickets"] if t["number"] == "P001"] == [
        ["paspoort", "uittreksel_brp", "rijbewijs"]]

    page.select_option("#issue-also-1", "paspoort")  # the same service twice: said in words
    page.get_by_role("button", name="Ticket uitgeven").click()
    expect(page.locator("#toast")).to_have_text(
        "Kies elke dienst van het bezoek één keer, hoogstens drie, en alleen diensten die hier worden aangeboden.")
    screen.expect_no_errors("422")
