"""Visits about a case: a ticket may carry a case number for the clerk. Desks, hosts and admins see
it; public answers, events and logs never hold it. Through the real HTTP server, on SQLite and
PostgreSQL."""

from __future__ import annotations

import logging
import uuid

import pytest

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.events import EventStore
from queue_ticketing.structured_logging import JsonLines
from tests.api.test_offline_tickets import hand_in, lease
from tests.conftest import Api
from tests.support.live_server import ThreadServer

HERE = "/api/v1/locations/ijsselmonde"
CASE = "ZAAK-2026-0000000042"


def test_desks_and_hosts_see_a_tickets_case_reference_and_public_answers_never_do(api: Api, make_token) -> None:
    kiosk, desk, host = make_token("kiosk"), make_token("desk", desk="balie-1"), make_token("host")
    issued = api.issue(kiosk, "paspoort", case_reference=" zaak-2026-0000000042")
    assert issued.status_code == 201, issued.text
    ticket = issued.json()
    assert "case_reference" not in ticket  # the kiosk's own answer is a public one
    for token in (None, kiosk, desk):
        assert "case_reference" not in api.get(f"/api/v1/tickets/{ticket['id']}", token).json()
    assert api.get(f"{HERE}/queue").json()["tickets"] is None

    waiting = api.get(f"{HERE}/queue", host).json()["tickets"]
    assert [(t["number"], t["case_reference"]) for t in waiting] == [(ticket["number"], CASE)]
    called = api.call_next(desk, "balie-1").json()
    assert (called["id"], called["case_reference"]) == (ticket["id"], CASE)
    transferred = api.post(f"/api/v1/tickets/{ticket['id']}/transfer", desk, {"service": "rijbewijs"},
                           key=str(uuid.uuid4())).json()
    assert (transferred["service"], transferred["case_reference"]) == ("rijbewijs", CASE)

    by_host = api.issue(host, "informatie", channel="web", case_reference=CASE).json()
    assert by_host["case_reference"] == CASE
    assert api.issue(host, "informatie", channel="web").json()["case_reference"] is None


def test_anything_but_a_case_number_is_refused_with_a_problem_that_does_not_repeat_it(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    for wrong in ("Jan de Vries, Hoofdweg 12", "123456782", "ZAAK-2026-42", f"{CASE} over de dakgoot",
                  "ZAAK-26-0000000042", "ZAAK-٢٠٢٦-0000000042", ""):
        response = api.issue(kiosk, "paspoort", case_reference=wrong)
        assert response.status_code == 422, wrong
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["code"] == "invalid_case_reference"
        assert "ZAAK-2026-0000000001" in problem["detail"] and "leave it out" in problem["detail"]
        assert not wrong or wrong not in response.text
    assert api.issue(kiosk, "paspoort", case_reference=42).json()["code"] == "invalid_request"
    waiting = api.get(f"{HERE}/queue").json()["services"]
    assert sum(s["waiting"] for s in waiting) == 0


def test_the_same_key_with_another_case_reference_is_refused(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    key = str(uuid.uuid4())
    first = api.post(f"{HERE}/tickets", kiosk, {"service": "paspoort", "case_reference": CASE}, key=key)
    again = api.post(f"{HERE}/tickets", kiosk, {"service": "paspoort", "case_reference": CASE}, key=key)
    other = api.post(f"{HERE}/tickets", kiosk, {"service": "paspoort", "case_reference": "ZAAK-2026-0000000043"},
                     key=key)
    assert (first.status_code, again.status_code, again.json()) == (201, 201, first.json())
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")


def test_an_offline_ticket_brings_its_case_reference_with_it(api: Api, make_token, clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    block = lease(api, kiosk, size=5)
    refused = hand_in(api, kiosk, block, block["first_number"], clock().isoformat(), case_reference="Jan de Vries")
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_case_reference")
    handed_in = hand_in(api, kiosk, block, block["first_number"], clock().isoformat(), case_reference=CASE)
    assert handed_in.status_code == 201, handed_in.text
    assert "case_reference" not in handed_in.json()
    called = api.call_next(desk, "balie-1").json()
    assert (called["number"], called["channel"], called["case_reference"]) == (block["first_number"], "offline", CASE)


def test_the_case_reference_stays_out_of_live_events_and_logs(settings: Settings, clock: FixedClock, make_token,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    live = ThreadServer(create_app(settings.model_copy(update={"access_log": True}), clock=clock)).start()
    try:
        api = Api(live.url)
        with caplog.at_level(logging.DEBUG):
            ticket = api.issue(kiosk, "paspoort", case_reference=CASE).json()
            assert api.call_next(desk, "balie-1").json()["case_reference"] == CASE
            api.post(f"/api/v1/tickets/{ticket['id']}/finish", desk, key=str(uuid.uuid4()))
            assert api.issue(kiosk, "paspoort", case_reference="ZAAK 42").status_code == 422
    finally:
        live.stop()
    lines = [JsonLines().format(record) for record in caplog.records]
    assert any('"route": "/locations/{location}/tickets"' in line for line in lines), lines
    assert not any("ZAAK" in line for line in lines), lines
    db = Database(settings.database_url)
    with db.read() as conn:
        events = EventStore(conn).since("ijsselmonde", 0)
    db.dispose()
    assert {e.type for e in events} >= {"ticket.issued", "ticket.called", "ticket.updated"}
    assert not any("ZAAK" in repr(e) for e in events)
