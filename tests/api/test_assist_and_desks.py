"""Assist requests for the hosts, and what desks do: open, close, call, transfer, requeue, priority,
no-show, cancel."""

from __future__ import annotations

import uuid
from typing import Any

from queue_ticketing.domain.clock import FixedClock
from tests.conftest import Api

LOC = "/api/v1/locations/ijsselmonde"


def queue(api: Api, token: str | None = None) -> dict[str, Any]:
    response = api.get(f"{LOC}/queue", token)
    assert response.status_code == 200
    return response.json()


def waiting(api: Api, service: str) -> int:
    return next(s["waiting"] for s in queue(api)["services"] if s["service"] == service)


def desk_state(api: Api, desk: str) -> dict[str, Any]:
    return next(d for d in queue(api)["desks"] if d["id"] == desk)


def status_of(api: Api, ticket_id: str) -> str:
    return str(api.get(f"/api/v1/tickets/{ticket_id}").json()["status"])


def act(api: Api, token: str, ticket_id: str, action: str, body: object = None) -> dict[str, Any]:
    response = api.post(f"/api/v1/tickets/{ticket_id}/{action}", token, body, key=str(uuid.uuid4()))
    assert response.status_code == 200, response.text
    return response.json()


# --- assist requests ----------------------------------------------------------------------------------


def ask_for_help(api: Api, token: str, **body: object) -> dict[str, Any]:
    response = api.post(f"{LOC}/assist-requests", token, {"reason": "language", **body}, key=str(uuid.uuid4()))
    assert response.status_code == 201, response.text
    return response.json()


def test_a_robots_assist_request_appears_for_the_hosts(api: Api, make_token) -> None:
    robot = make_token("robot", name="pepper-1")
    created = ask_for_help(api, robot, note="Visitor speaks only Tigrinya")
    assert (created["source"], created["status"], created["place"]) == ("robot", "open", "pepper-1")
    listed = api.get(f"{LOC}/assist-requests", make_token("host"))
    assert listed.status_code == 200
    assert [(r["id"], r["reason"], r["note"]) for r in listed.json()] == [
        (created["id"], "language", "Visitor speaks only Tigrinya")]


def test_a_resolved_assist_request_is_gone_from_the_open_list(api: Api, make_token) -> None:
    host = make_token("host")
    created = ask_for_help(api, make_token("robot"))
    resolved = api.post(f"{LOC}/assist-requests/{created['id']}/resolve", host)
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] != "open"
    assert resolved.json()["resolved_at"] is not None
    assert api.get(f"{LOC}/assist-requests", host).json() == []


def test_resolving_an_assist_request_twice_is_409(api: Api, make_token) -> None:
    host = make_token("host")
    created = ask_for_help(api, make_token("robot"))
    assert api.post(f"{LOC}/assist-requests/{created['id']}/resolve", host).status_code == 200
    again = api.post(f"{LOC}/assist-requests/{created['id']}/resolve", host)
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition"


def test_resolving_an_unknown_assist_request_is_404(api: Api, make_token) -> None:
    response = api.post(f"{LOC}/assist-requests/no-such-request/resolve", make_token("host"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_assist_request_of_another_location_cannot_be_resolved_here(api: Api, make_token) -> None:
    created = ask_for_help(api, make_token("robot"))
    elsewhere = api.post(f"/api/v1/locations/hoogvliet/assist-requests/{created['id']}/resolve",
                         make_token("host", "hoogvliet"))
    assert elsewhere.status_code == 404
    assert [r["id"] for r in api.get(f"{LOC}/assist-requests", make_token("host")).json()] == [created["id"]]


# --- desks open and closed ----------------------------------------------------------------------------


def test_opening_a_desk_shows_it_open_in_the_queue(api: Api, make_token) -> None:
    assert desk_state(api, "balie-2")["open"] is False
    response = api.post(f"{LOC}/desks/balie-2/open", make_token("desk", desk="balie-2"))
    assert response.status_code == 200, response.text
    assert response.json()["open"] is True
    assert desk_state(api, "balie-2")["open"] is True


def test_closing_a_desk_shows_it_closed_in_the_queue(api: Api, make_token) -> None:
    desk = make_token("desk", desk="balie-2")
    api.post(f"{LOC}/desks/balie-2/open", desk)
    response = api.post(f"{LOC}/desks/balie-2/close", desk)
    assert response.status_code == 200, response.text
    assert response.json()["open"] is False
    assert desk_state(api, "balie-2")["open"] is False


def test_an_unknown_desk_state_is_404(api: Api, make_token) -> None:
    response = api.post(f"{LOC}/desks/balie-2/explode", make_token("desk", desk="balie-2"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_opening_an_unknown_desk_is_404(api: Api, make_token) -> None:
    response = api.post(f"{LOC}/desks/balie-99/open", make_token("host"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- transfer, requeue, priority, no-show, cancel -----------------------------------------------------


def test_transfer_moves_the_ticket_to_another_service_keeping_its_number(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    ticket = api.issue(kiosk, "paspoort").json()
    assert api.call_next(desk, "balie-1").json()["id"] == ticket["id"]
    moved = act(api, desk, ticket["id"], "transfer", {"service": "rijbewijs"})
    assert (moved["id"], moved["number"], moved["service"], moved["status"]) == (
        ticket["id"], "P001", "rijbewijs", "waiting")
    assert moved["desk"] is None
    assert moved["timeline"][-1]["step"] == "transferred"
    assert (waiting(api, "paspoort"), waiting(api, "rijbewijs")) == (0, 1)
    assert desk_state(api, "balie-1").get("serving") is None


def test_a_transferred_ticket_keeps_its_place_in_time(api: Api, make_token, clock: FixedClock) -> None:
    kiosk, host, desk = make_token("kiosk"), make_token("host"), make_token("desk", desk="balie-3")
    early = api.issue(kiosk, "paspoort").json()
    clock.advance(minutes=5)
    api.issue(kiosk, "rijbewijs")
    act(api, host, early["id"], "transfer", {"service": "rijbewijs"})
    assert api.call_next(desk, "balie-3").json()["number"] == "P001"


def test_transfer_to_the_same_service_is_409(api: Api, make_token) -> None:
    ticket = api.issue(make_token("kiosk"), "paspoort").json()
    response = api.post(f"/api/v1/tickets/{ticket['id']}/transfer", make_token("host"), {"service": "paspoort"})
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"


def test_requeue_puts_a_called_ticket_back_in_line_first(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    first = api.issue(kiosk).json()
    api.issue(kiosk)
    api.call_next(desk, "balie-1")
    requeued = act(api, desk, first["id"], "requeue")
    assert (requeued["status"], requeued["desk"], requeued["position"]) == ("waiting", None, 1)
    assert waiting(api, "paspoort") == 2
    assert desk_state(api, "balie-1").get("serving") is None
    assert api.call_next(make_token("desk", desk="balie-2"), "balie-2").json()["id"] == first["id"]


def test_priority_from_a_host_puts_a_ticket_first(api: Api, make_token) -> None:
    kiosk, host, desk = make_token("kiosk"), make_token("host"), make_token("desk", desk="balie-1")
    api.issue(kiosk)
    later = api.issue(kiosk).json()
    marked = act(api, host, later["id"], "priority")
    assert (marked["priority"], marked["position"]) == (True, 1)
    assert api.call_next(desk, "balie-1").json()["id"] == later["id"]


def test_a_desk_may_not_give_priority(api: Api, make_token) -> None:
    ticket = api.issue(make_token("kiosk")).json()
    response = api.post(f"/api/v1/tickets/{ticket['id']}/priority", make_token("desk", desk="balie-1"))
    assert response.status_code == 403
    assert api.get(f"/api/v1/tickets/{ticket['id']}").json()["priority"] is False


def test_no_show_ends_a_called_ticket_and_the_desk_calls_the_next(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    first, second = api.issue(kiosk).json(), api.issue(kiosk).json()
    api.call_next(desk, "balie-1")
    gone = act(api, desk, first["id"], "no-show")
    assert gone["status"] == "no_show"
    assert api.call_next(desk, "balie-1").json()["id"] == second["id"]
    assert status_of(api, first["id"]) == "no_show"


def test_cancel_takes_a_waiting_ticket_out_of_the_queue(api: Api, make_token) -> None:
    desk = make_token("desk", desk="balie-1")
    ticket = api.issue(make_token("kiosk")).json()
    assert act(api, make_token("host"), ticket["id"], "cancel")["status"] == "cancelled"
    assert waiting(api, "paspoort") == 0
    assert api.call_next(desk, "balie-1").status_code == 204


def test_cancelling_a_cancelled_ticket_is_409(api: Api, make_token) -> None:
    host = make_token("host")
    ticket = api.issue(make_token("kiosk")).json()
    act(api, host, ticket["id"], "cancel")
    again = api.post(f"/api/v1/tickets/{ticket['id']}/cancel", host)
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition"


# --- call-next ----------------------------------------------------------------------------------------


def test_a_double_click_on_call_next_returns_the_same_ticket_and_calls_only_one(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    first, second = api.issue(kiosk).json(), api.issue(kiosk).json()
    click = api.call_next(desk, "balie-1")
    double = api.call_next(desk, "balie-1")  # another Idempotency-Key, within the debounce window
    assert (click.status_code, double.status_code) == (200, 200)
    assert click.json()["id"] == double.json()["id"] == first["id"]
    assert double.json()["status"] == "called"
    assert status_of(api, second["id"]) == "waiting"
    assert waiting(api, "paspoort") == 1


def test_call_next_after_the_debounce_window_calls_the_next_ticket(api: Api, make_token,
                                                                   clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    first, second = api.issue(kiosk).json(), api.issue(kiosk).json()
    api.call_next(desk, "balie-1")
    clock.advance(seconds=3)
    assert api.call_next(desk, "balie-1").json()["id"] == second["id"]
    assert status_of(api, first["id"]) == "done"


def test_call_next_with_nobody_waiting_is_204_without_a_body(api: Api, make_token) -> None:
    response = api.call_next(make_token("desk", desk="balie-1"), "balie-1")
    assert response.status_code == 204
    assert response.content == b""


def test_call_next_ends_the_desks_current_visit(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    first, second = api.issue(kiosk).json(), api.issue(kiosk).json()
    api.call_next(desk, "balie-1")
    act(api, desk, first["id"], "start")
    assert api.call_next(desk, "balie-1").json()["id"] == second["id"]
    done = api.get(f"/api/v1/tickets/{first['id']}").json()
    assert done["status"] == "done"
    assert [e["step"] for e in done["timeline"]] == ["issued", "called", "serving", "done"]
    assert desk_state(api, "balie-1")["serving"] == second["number"]


def test_call_next_with_nobody_waiting_still_ends_the_current_visit(api: Api, make_token) -> None:
    desk = make_token("desk", desk="balie-1")
    ticket = api.issue(make_token("kiosk")).json()
    api.call_next(desk, "balie-1")
    act(api, desk, ticket["id"], "start")
    assert api.call_next(desk, "balie-1").status_code == 204
    assert status_of(api, ticket["id"]) == "done"
    assert desk_state(api, "balie-1").get("serving") is None


def test_two_desks_calling_get_different_tickets(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    one_desk, other_desk = make_token("desk", desk="balie-1"), make_token("desk", desk="balie-2")
    api.issue(kiosk)
    api.issue(kiosk)
    one, two = api.call_next(one_desk, "balie-1"), api.call_next(other_desk, "balie-2")
    assert {one.json()["number"], two.json()["number"]} == {"P001", "P002"}


def test_an_idle_desk_is_listed_with_serving_null_as_the_openapi_document_promises(api: Api) -> None:
    schemas = api.get("/openapi.json").json()["components"]["schemas"]
    required = set(schemas["DeskOut"]["required"])
    idle = desk_state(api, "balie-1")
    assert required <= set(idle), f"missing required fields: {sorted(required - set(idle))}"
    assert (idle["serving"], idle["status"]) == (None, None)
