"""Drawing tickets, looking them up, and the desk's actions, through the real HTTP server."""

from __future__ import annotations

import uuid

from tests.conftest import Api


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
    kiosk, desk = make_token("kiosk"), make_token("desk")
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
