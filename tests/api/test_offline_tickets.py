"""Number blocks leased to kiosks and the offline tickets handed in from them, through the real
HTTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

from queue_ticketing.domain.clock import FixedClock
from tests.conftest import Api
from tests.support.live_server import ThreadServer
from tests.support.sse import SseReader

HERE = "/api/v1/locations/ijsselmonde"


def lease(api: Api, token: str, service: str = "paspoort", size: int = 10, **extra: Any) -> dict[str, Any]:
    response = api.post(f"{HERE}/number-blocks", token, {"service": service, "size": size, **extra},
                        key=str(uuid.uuid4()))
    assert response.status_code == 201, response.text
    return response.json()


def hand_in(api: Api, token: str, block: dict[str, Any], number: str, issued_at: str, key: str | None = None,
            **extra: Any):  # type: ignore[no-untyped-def]
    return api.post(f"{HERE}/number-blocks/{block['block_id']}/tickets", token,
                    {"number": number, "issued_at": issued_at, **extra}, key=key or str(uuid.uuid4()))


def waiting_numbers(api: Api, desk: str) -> list[str]:
    queue = api.get(f"{HERE}/queue", desk).json()
    return [t["number"] for t in sorted(queue["tickets"], key=lambda t: (t["queued_at"], t["number"]))]


def test_leasing_a_block_moves_the_online_numbers_past_it(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    assert api.issue(kiosk, "paspoort").json()["number"] == "P001"
    block = lease(api, kiosk, size=10)
    assert (block["letter"], block["first"], block["last"]) == ("P", 2, 11)
    assert (block["first_number"], block["last_number"], block["business_day"]) == ("P002", "P011", "2026-11-30")
    assert api.issue(kiosk, "paspoort").json()["number"] == "P012"


def test_the_same_key_leases_the_same_block_once(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    key = str(uuid.uuid4())
    first = api.post(f"{HERE}/number-blocks", kiosk, {"service": "paspoort", "size": 5}, key=key)
    again = api.post(f"{HERE}/number-blocks", kiosk, {"service": "paspoort", "size": 5}, key=key)
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api.issue(kiosk, "paspoort").json()["number"] == "P006"


def test_an_offline_ticket_is_queued_by_its_real_issue_time_on_channel_offline(api: Api, make_token,
                                                                               clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    block = lease(api, kiosk, size=5)
    printed_at = clock().isoformat()
    clock.advance(minutes=10)
    online = api.issue(kiosk, "paspoort").json()
    response = hand_in(api, kiosk, block, "P001", printed_at, language="en")
    assert response.status_code == 201, response.text
    offline = response.json()
    assert (offline["number"], offline["channel"], offline["status"], offline["language"]) == (
        "P001", "offline", "waiting", "en")
    assert datetime.fromisoformat(offline["issued_at"]) == datetime.fromisoformat(printed_at)
    assert offline["position"] == 1
    assert [e["step"] for e in offline["timeline"]] == ["issued"]
    assert waiting_numbers(api, desk) == ["P001", online["number"]]
    assert api.call_next(desk).json()["number"] == "P001"


def test_an_offline_ticket_is_accepted_exactly_once_under_its_key(api: Api, make_token, clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    block = lease(api, kiosk, size=5)
    key = str(uuid.uuid4())
    first = hand_in(api, kiosk, block, "P002", clock().isoformat(), key=key)
    again = hand_in(api, kiosk, block, "P002", clock().isoformat(), key=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert waiting_numbers(api, desk) == ["P002"]


def test_the_same_number_under_another_key_is_refused(api: Api, make_token, clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    block = lease(api, kiosk, size=5)
    assert hand_in(api, kiosk, block, "P003", clock().isoformat()).status_code == 201
    response = hand_in(api, kiosk, block, "P003", clock().isoformat())
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "number_already_used"


@pytest.mark.parametrize("number", ["P006", "P000", "I001", "P0001", "P1", "paspoort"])
def test_a_number_outside_the_kiosks_block_is_refused_with_a_problem(api: Api, make_token, clock: FixedClock,
                                                                     number: str) -> None:
    kiosk = make_token("kiosk")
    block = lease(api, kiosk, size=5)
    response = hand_in(api, kiosk, block, number, clock().isoformat())
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "number_outside_block"
    assert (problem["first"], problem["last"]) == ("P001", "P005")


def test_another_kiosks_block_does_not_exist_for_this_kiosk(api: Api, make_token, clock: FixedClock) -> None:
    mine, theirs = make_token("kiosk", name="kiosk-1"), make_token("kiosk", name="kiosk-2")
    block = lease(api, theirs, size=5)
    response = hand_in(api, mine, block, "P001", clock().isoformat())
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    unknown = hand_in(api, mine, {"block_id": "no-such-block"}, "P001", clock().isoformat())
    assert unknown.status_code == 404


def test_an_admin_may_hand_in_a_ticket_from_any_kiosks_block(api: Api, make_token, clock: FixedClock) -> None:
    kiosk, admin = make_token("kiosk"), make_token("admin", None)
    block = lease(api, kiosk, size=5)
    assert hand_in(api, admin, block, "P004", clock().isoformat()).status_code == 201


def test_a_ticket_from_a_kiosk_whose_clock_runs_ahead_queues_from_now(api: Api, make_token,
                                                                     clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    block = lease(api, kiosk, size=5)
    ahead = hand_in(api, kiosk, block, "P001", (clock() + timedelta(minutes=20)).isoformat())
    assert ahead.status_code == 201
    assert datetime.fromisoformat(ahead.json()["issued_at"]) == clock()


def test_an_issue_time_off_the_blocks_day_is_refused(api: Api, make_token, clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    block = lease(api, kiosk, size=5)
    yesterday = hand_in(api, kiosk, block, "P002", (clock() - timedelta(days=1)).isoformat())
    assert (yesterday.status_code, yesterday.json()["code"]) == (422, "issued_outside_block_day")
    naive = hand_in(api, kiosk, block, "P003", clock().replace(tzinfo=None).isoformat())
    assert (naive.status_code, naive.json()["code"]) == (422, "invalid_request")


def test_tickets_of_a_business_day_that_is_over_are_refused(api: Api, make_token, clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    block = lease(api, kiosk, size=5)
    printed_at = clock().isoformat()
    clock.advance(days=1)
    response = hand_in(api, kiosk, block, "P001", printed_at)
    assert (response.status_code, response.json()["code"]) == (409, "business_day_over")


def test_blocks_are_leased_for_today_or_tomorrow_only(api: Api, make_token, clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    tomorrow = lease(api, kiosk, size=5, business_day="2026-12-01")
    assert (tomorrow["business_day"], tomorrow["first"]) == ("2026-12-01", 1)
    for day in ("2026-11-29", "2026-12-02"):
        response = api.post(f"{HERE}/number-blocks", kiosk, {"service": "paspoort", "business_day": day},
                            key=str(uuid.uuid4()))
        assert (response.status_code, response.json()["code"]) == (422, "business_day_out_of_range")
    clock.advance(days=1)
    assert api.issue(kiosk, "paspoort").json()["number"] == "P006"  # tomorrow's numbers go on after it


def test_a_kiosk_leases_at_most_its_daily_share_of_numbers(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    for _ in range(5):
        lease(api, kiosk, size=200)
    response = api.post(f"{HERE}/number-blocks", kiosk, {"service": "paspoort", "size": 1}, key=str(uuid.uuid4()))
    assert (response.status_code, response.json()["code"]) == (409, "block_limit_reached")
    other_service = lease(api, kiosk, service="rijbewijs", size=1)
    assert other_service["first_number"] == "R001"
    too_big = api.post(f"{HERE}/number-blocks", kiosk, {"service": "paspoort", "size": 201}, key=str(uuid.uuid4()))
    assert (too_big.status_code, too_big.json()["code"]) == (422, "invalid_request")


def test_no_block_for_an_unknown_or_appointment_only_service(api: Api, make_token) -> None:
    kiosk, centrum = make_token("kiosk"), make_token("kiosk", "centrum")
    unknown = api.post(f"{HERE}/number-blocks", kiosk, {"service": "vuurwerk"}, key=str(uuid.uuid4()))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    by_appointment = api.post("/api/v1/locations/centrum/number-blocks", centrum, {"service": "huwelijk"},
                              key=str(uuid.uuid4()))
    assert (by_appointment.status_code, by_appointment.json()["code"]) == (422, "service_not_offered")


def test_an_offline_ticket_announces_itself_like_an_online_one(server: ThreadServer, api: Api, make_token,
                                                               clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    block = lease(api, kiosk, size=5)
    stream = SseReader(f"{server.url}{HERE}/events")
    try:
        assert hand_in(api, kiosk, block, "P005", clock().isoformat()).status_code == 201
        issued = stream.next("ticket.issued")
        assert issued.data == {"number": "P005", "service": "paspoort", "kind": "walk_in"}
        assert stream.next("queue.changed").data["waiting"] == {"paspoort": 1}
    finally:
        stream.close()


def test_superseding_cancels_the_online_ticket_whose_answer_the_kiosk_never_got(api: Api, make_token,
                                                                                 clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    block = lease(api, kiosk, size=5)
    lost_key = str(uuid.uuid4())
    lost = api.post(f"{HERE}/tickets", kiosk, {"service": "paspoort"}, key=lost_key).json()
    response = hand_in(api, kiosk, block, "P001", clock().isoformat(), supersedes=lost_key)
    assert response.status_code == 201
    assert waiting_numbers(api, desk) == ["P001"]
    assert api.get(f"/api/v1/tickets/{lost['id']}").json()["status"] == "cancelled"


def test_superseding_uses_up_the_key_of_a_request_that_never_arrived(api: Api, make_token,
                                                                     clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    block = lease(api, kiosk, size=5)
    late_key = str(uuid.uuid4())
    assert hand_in(api, kiosk, block, "P001", clock().isoformat(), supersedes=late_key).status_code == 201
    late = api.post(f"{HERE}/tickets", kiosk, {"service": "paspoort"}, key=late_key)
    assert (late.status_code, late.json()["code"]) == (422, "idempotency_key_reused")
    assert waiting_numbers(api, desk) == ["P001"]


def test_an_offline_ticket_of_several_services_is_handed_in_with_them(api: Api, make_token,
                                                                       clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    block = lease(api, kiosk)
    issued = (clock() - timedelta(minutes=5)).isoformat()
    handed = hand_in(api, kiosk, block, block["first_number"], issued, services=["paspoort", "verhuizing"])
    assert handed.status_code == 201, handed.text
    assert (handed.json()["services"], handed.json()["service_index"]) == (["paspoort", "verhuizing"], 0)


@pytest.mark.parametrize("services", [["verhuizing", "paspoort"], ["paspoort", "paspoort"], []])
def test_an_offline_visit_that_cannot_be_is_refused_and_its_number_stays_free(api: Api, make_token,
                                                                             clock: FixedClock,
                                                                             services: list[str]) -> None:
    kiosk = make_token("kiosk")
    block = lease(api, kiosk)
    issued = (clock() - timedelta(minutes=5)).isoformat()
    refused = hand_in(api, kiosk, block, block["first_number"], issued, services=services)
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_services")
    assert hand_in(api, kiosk, block, block["first_number"], issued).status_code == 201
