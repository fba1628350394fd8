"""Drawing tickets, looking them up, and the desk's actions, through the real HTTP server."""

from __future__ import annotations

import logging
import uuid

import pytest

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from queue_ticketing.structured_logging import JsonLines
from tests.conftest import Api
from tests.support.live_server import ThreadServer


def test_a_kiosk_draws_a_ticket_with_number_position_and_mobile_link(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    response = api.issue(kiosk, "paspoort", language="en")
    assert response.status_code == 201
    ticket = response.json()
    assert ticket["number"] == "P001"
    assert ticket["status"] == "waiting"
    assert ticket["position"] == 1
    assert ticket["estimated_wait_minutes"] == 0
    assert ticket["language"] == "en"
    assert ticket["channel"] == "kiosk"
    assert ticket["mobile_url"] == f"https://gastvrij.test/t/{ticket['id']}"


def test_the_same_idempotency_key_returns_the_same_ticket_not_a_second_one(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    key = str(uuid.uuid4())
    first = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk, {"service": "paspoort"}, key=key)
    again = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk, {"service": "paspoort"}, key=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    queue = api.get("/api/v1/locations/ijsselmonde/queue").json()
    assert next(s for s in queue["services"] if s["service"] == "paspoort")["waiting"] == 1


def test_numbers_count_up_per_letter(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    numbers = [api.issue(kiosk, service).json()["number"] for service in
               ("paspoort", "paspoort", "rijbewijs", "paspoort")]
    assert numbers == ["P001", "P002", "R001", "P003"]


def test_a_desk_calls_the_longest_waiting_ticket_and_the_lifecycle_runs_to_done(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    first = api.issue(kiosk, "paspoort").json()
    api.issue(kiosk, "paspoort")
    called = api.call_next(desk, "balie-1")
    assert called.status_code == 200
    assert called.json()["id"] == first["id"]
    assert called.json()["status"] == "called"
    assert called.json()["desk_number"] == 1
    started = api.post(f"/api/v1/tickets/{first['id']}/start", desk)
    assert started.json()["status"] == "serving"
    done = api.post(f"/api/v1/tickets/{first['id']}/finish", desk)
    assert done.json()["status"] == "done"
    steps = [e["step"] for e in api.get(f"/api/v1/tickets/{first['id']}").json()["timeline"]]
    assert steps == ["issued", "called", "serving", "done"]


def test_numbers_restart_on_the_next_amsterdam_business_day_and_history_stays(api: Api, make_token,
                                                                              clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    clock.now = clock.now.replace(hour=23, minute=50)  # Monday 23:50 in Rotterdam, 22:50 UTC
    evening = [api.issue(kiosk, "paspoort").json() for _ in range(2)]
    clock.advance(minutes=15)  # Tuesday 00:05 in Rotterdam, still Monday in UTC
    morning = api.issue(kiosk, "paspoort").json()
    assert [t["number"] for t in evening] == ["P001", "P002"]
    assert morning["number"] == "P001"
    assert api.get(f"/api/v1/tickets/{evening[0]['id']}").json()["number"] == "P001"


def test_the_wait_estimate_grows_with_the_people_ahead_and_shrinks_with_open_desks(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    first = api.issue(kiosk, "uittreksel_brp").json()
    third = [api.issue(kiosk, "uittreksel_brp").json() for _ in range(2)][-1]
    assert first["estimated_wait_minutes"] == 0
    assert third["position"] == 3
    alone = third["estimated_wait_minutes"]
    assert alone > 0
    for balie in ("balie-4", "balie-5"):  # both serve uittreksel_brp
        api.post(f"/api/v1/locations/ijsselmonde/desks/{balie}/open", make_token("desk", desk=balie))
    shared = api.get(f"/api/v1/tickets/{third['id']}").json()["estimated_wait_minutes"]
    assert 0 < shared < alone


def test_the_access_log_names_routes_not_tickets(settings: Settings, clock: FixedClock, make_token,
                                                caplog: pytest.LogCaptureFixture) -> None:
    kiosk = make_token("kiosk")
    live = ThreadServer(create_app(settings.model_copy(update={"access_log": True}), clock=clock)).start()
    try:
        api = Api(live.url)
        with caplog.at_level(logging.INFO, logger="queue_ticketing.access"):
            ticket = api.issue(kiosk, "paspoort").json()
            api.get(f"/api/v1/tickets/{ticket['id']}")
    finally:
        live.stop()
    lines = [JsonLines().format(r) for r in caplog.records if r.name == "queue_ticketing.access"]
    assert any("/tickets/{ticket_id}" in line and '"status": 200' in line for line in lines), lines
    assert any('"role": "kiosk"' in line for line in lines), lines
    assert not any(ticket["id"] in line or ticket["number"] in line or kiosk in line for line in lines)
