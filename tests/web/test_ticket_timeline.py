"""A ticket's timeline with people's names: the desk page shows its visitor's, the hosts' dashboard
opens any waiting ticket's from the waiting list, by keyboard; both read at 320 px."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from tests.support.people import PASSWORD, add_person
from tests.web.conftest import axe_violations, screens_dir, serious, sign_in


@pytest.fixture
def db(settings: Settings, server: object) -> Iterator[Database]:
    database = Database(settings.database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screens_dir(tmp_path_factory)


def test_the_clerk_sees_who_issued_prioritised_and_called_the_visitor_at_the_desk(
        server, api, db: Database, clock: FixedClock, make_token, open_screen, pictures: Path):
    kiosk, host = make_token("kiosk", name="kiosk-1"), make_token("host", name="hosts-pc")
    add_person(db, clock, "fatima@rotterdam.nl", "desk", name="Fatima de Vries")
    ticket = api.issue(kiosk, "paspoort", language="tr").json()
    assert api.post(f"/api/v1/tickets/{ticket['id']}/priority", host, key=str(uuid.uuid4())).status_code == 200

    screen = open_screen(f"{server.url}/sign-in?next=/desk/ijsselmonde/balie-2", viewport={"width": 320, "height": 900})
    page = screen.page
    page.fill("#email", "fatima@rotterdam.nl")
    page.fill("#password", PASSWORD)
    page.click("#account-form button[type=submit]")
    page.wait_for_selector("body[data-stream=online]")
    page.get_by_role("button", name="Volgende roepen").click()
    expect(page.locator("#visitor-number")).to_have_text(ticket["number"])
    steps = page.locator("#visitor-timeline-steps li")
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_contain_text("ticket uitgegeven")
    expect(steps.nth(0)).to_contain_text("door kiosk-1 (kiosk)")
    expect(steps.nth(1)).to_contain_text("voorrang gegeven")
    expect(steps.nth(1)).to_contain_text("door hosts-pc (gastheer/gastvrouw)")
    expect(steps.nth(2)).to_contain_text("geroepen naar balie 2")
    expect(steps.nth(2)).to_contain_text("door Fatima de Vries (balie)")
    expect(steps.nth(2).locator("time")).to_have_text("09:00")

    page.get_by_role("button", name="Beginnen").click()
    expect(steps).to_have_count(4)
    expect(steps.nth(3)).to_contain_text("begonnen met helpen")
    assert "fatima@rotterdam.nl" not in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not serious(axe_violations(page)), serious(axe_violations(page))
    page.locator("#visitor-timeline").scroll_into_view_if_needed()
    page.screenshot(path=str(pictures / "desk-timeline-320.png"), full_page=True)
    screen.expect_no_errors()


def test_a_host_opens_a_waiting_tickets_timeline_from_the_waiting_list_by_keyboard(
        server, api, make_token, open_screen, pictures: Path):
    kiosk, desk = make_token("kiosk", name="kiosk-1"), make_token("desk", name="balie-3-pc", desk="balie-3")
    ticket = api.issue(kiosk, "paspoort").json()
    assert api.call_next(desk, "balie-3").json()["id"] == ticket["id"]
    assert api.post(f"/api/v1/tickets/{ticket['id']}/requeue", desk, key=str(uuid.uuid4())).status_code == 200

    screen = open_screen(f"{server.url}/host/ijsselmonde", viewport={"width": 320, "height": 900})
    sign_in(screen, make_token("host", name="hosts-pc"))
    page = screen.page
    item = page.locator(f'#waiting .ticket-item[data-number="{ticket["number"]}"]')
    summary = item.locator(".timeline-details summary")
    expect(summary).to_have_text(f"Tijdlijn {ticket['number']}")
    summary.focus()
    page.keyboard.press("Enter")
    steps = item.locator(".timeline li")
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_contain_text("door kiosk-1 (kiosk)")
    expect(steps.nth(1)).to_contain_text("geroepen naar balie 3")
    expect(steps.nth(1)).to_contain_text("door balie-3-pc (balie)")
    expect(steps.nth(2)).to_contain_text("terug in de rij gezet")

    # A change while it is open is read again, and the focus stays on the disclosure.
    page.keyboard.press("Shift+Tab")  # the "Cancel ticket" button before it ... back again
    page.keyboard.press("Tab")
    expect(summary).to_be_focused()
    item.get_by_role("button", name="Voorrang geven").evaluate("b => b.click()")
    expect(steps).to_have_count(4)
    expect(steps.nth(3)).to_contain_text("voorrang gegeven")
    expect(steps.nth(3)).to_contain_text("door hosts-pc (gastheer/gastvrouw)")
    expect(summary).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not serious(axe_violations(page)), serious(axe_violations(page))
    item.scroll_into_view_if_needed()
    page.screenshot(path=str(pictures / "host-timeline-320.png"))
    screen.expect_no_errors()
