"""Errors leave as application/problem+json with a stable ``code`` and a human ``detail``; never a 500.
Plus the operational endpoints: health, the OpenAPI document and /metrics."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import requests

from tests.conftest import Api

TICKETS = "/api/v1/locations/ijsselmonde/tickets"
LIMIT = 64 * 1024


def assert_problem(response: requests.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, f"{response.status_code} {response.text[:500]}"
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    assert isinstance(body["code"], str) and re.fullmatch(r"[a-z_]+", body["code"]), body
    assert isinstance(body["detail"], str) and body["detail"].strip(), body
    assert body["type"].endswith(f"/{body['code']}") and body["title"], body
    return body


def raw_post(api: Api, path: str, token: str, data: Any, content_type: str = "application/json",
             **headers: str) -> requests.Response:
    return api.post(path, token, data=data, headers={"Content-Type": content_type, **headers})


# --- not found ----------------------------------------------------------------------------------------


def test_an_unknown_location_is_404_not_found(api: Api) -> None:
    body = assert_problem(api.get("/api/v1/locations/atlantis"), 404, "not_found")
    assert "atlantis" in body["detail"]


def test_an_unknown_service_is_404_not_found(api: Api, make_token) -> None:
    body = assert_problem(api.issue(make_token("kiosk"), "zwemdiploma"), 404, "not_found")
    assert "zwemdiploma" in body["detail"]


def test_an_appointment_only_service_as_walk_in_is_422_service_not_offered(api: Api, make_token) -> None:
    kiosk = make_token("kiosk", "centrum")
    assert_problem(api.issue(kiosk, "huwelijk", location="centrum"), 422, "service_not_offered")


def test_an_unknown_desk_is_404_not_found(api: Api, make_token) -> None:
    body = assert_problem(api.call_next(make_token("admin", None), "balie-99"), 404, "not_found")
    assert "balie-99" in body["detail"]


def test_an_unknown_ticket_is_404_not_found(api: Api) -> None:
    assert_problem(api.get("/api/v1/tickets/no-such-ticket"), 404, "not_found")


def test_an_action_on_an_unknown_ticket_is_404_not_found(api: Api, make_token) -> None:
    assert_problem(api.post("/api/v1/tickets/no-such-ticket/start", make_token("desk")), 404, "not_found")


def test_an_unknown_action_is_404_not_found_and_lists_the_actions(api: Api, make_token) -> None:
    ticket = api.issue(make_token("kiosk")).json()
    body = assert_problem(api.post(f"/api/v1/tickets/{ticket['id']}/teleport", make_token("desk")), 404,
                          "not_found")
    assert "teleport" in body["detail"]
    assert "finish" in body["actions"]


def test_an_unknown_address_is_404_problem(api: Api) -> None:
    assert_problem(api.get("/api/v1/nothing-here"), 404, "not_found")


def test_a_wrong_method_is_405_method_not_allowed(api: Api) -> None:
    assert_problem(api.get(TICKETS), 405, "method_not_allowed")


# --- bad requests -------------------------------------------------------------------------------------


def test_malformed_json_is_400_malformed_json(api: Api, make_token) -> None:
    assert_problem(raw_post(api, TICKETS, make_token("kiosk"), '{"service": "paspoort"'), 400, "malformed_json")


def test_a_missing_field_is_422_invalid_request_naming_it(api: Api, make_token) -> None:
    body = assert_problem(api.post(TICKETS, make_token("kiosk"), {"language": "en"}), 422, "invalid_request")
    assert {"name": "service", "code": "missing"}.items() <= body["invalid_params"][0].items()


def test_an_extra_field_is_422_invalid_request_naming_it(api: Api, make_token) -> None:
    body = assert_problem(api.post(TICKETS, make_token("kiosk"), {"service": "paspoort", "colour": "red"}), 422,
                          "invalid_request")
    assert [(p["name"], p["code"]) for p in body["invalid_params"]] == [("colour", "extra_forbidden")]


def test_a_value_of_the_wrong_kind_is_422_invalid_request_naming_it(api: Api, make_token) -> None:
    body = assert_problem(api.post(TICKETS, make_token("kiosk"), {"service": "paspoort", "language": "xx"}),
                          422, "invalid_request")
    assert [p["name"] for p in body["invalid_params"]] == ["language"]


def test_a_body_over_64_kib_with_content_length_is_413_too_large(api: Api, make_token) -> None:
    big = json.dumps({"service": "x" * LIMIT})
    response = raw_post(api, TICKETS, make_token("kiosk"), big)
    assert "chunked" not in response.request.headers.get("Transfer-Encoding", "")
    assert_problem(response, 413, "too_large")


def test_a_chunked_body_over_64_kib_is_413_too_large(api: Api, make_token) -> None:
    big = json.dumps({"service": "x" * LIMIT}).encode()
    chunks = (big[i:i + 8192] for i in range(0, len(big), 8192))  # a generator: sent chunked, no length
    response = raw_post(api, TICKETS, make_token("kiosk"), chunks)
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert_problem(response, 413, "too_large")


def test_a_body_just_under_the_limit_is_not_refused_as_too_large(api: Api, make_token) -> None:
    body = json.dumps({"service": "paspoort", "language": "nl"}).encode()
    body += b" " * (LIMIT - len(body))  # whitespace padding: still valid JSON, exactly at the limit
    response = raw_post(api, TICKETS, make_token("kiosk"), body)
    assert response.status_code == 201, response.text


def test_a_non_json_content_type_is_415_unsupported_media_type(api: Api, make_token) -> None:
    response = raw_post(api, TICKETS, make_token("kiosk"), "service=paspoort",
                        "application/x-www-form-urlencoded")
    assert_problem(response, 415, "unsupported_media_type")


def test_finishing_a_waiting_ticket_is_409_illegal_transition_saying_it_was_never_called(
        api: Api, make_token) -> None:
    ticket = api.issue(make_token("kiosk")).json()
    body = assert_problem(api.post(f"/api/v1/tickets/{ticket['id']}/finish", make_token("host")), 409,
                          "illegal_transition")
    assert "never called" in body["detail"]
    assert body["ticket_status"] == "waiting"
    assert api.get(f"/api/v1/tickets/{ticket['id']}").json()["status"] == "waiting"


def test_reusing_an_idempotency_key_with_another_body_is_422_idempotency_key_reused(
        api: Api, make_token) -> None:
    kiosk, key = make_token("kiosk"), str(uuid.uuid4())
    assert api.post(TICKETS, kiosk, {"service": "paspoort"}, key=key).status_code == 201
    assert_problem(api.post(TICKETS, kiosk, {"service": "rijbewijs"}, key=key), 422, "idempotency_key_reused")
    queue = api.get("/api/v1/locations/ijsselmonde/queue").json()
    assert {s["service"]: s["waiting"] for s in queue["services"]}["rijbewijs"] == 0


def test_an_idempotency_key_over_128_characters_is_422_invalid_request(api: Api, make_token) -> None:
    body = assert_problem(api.post(TICKETS, make_token("kiosk"), {"service": "paspoort"}, key="k" * 129), 422,
                          "invalid_request")
    assert [p["name"] for p in body["invalid_params"]] == ["header.Idempotency-Key"]


def test_an_idempotency_key_of_exactly_128_characters_is_accepted(api: Api, make_token) -> None:
    response = api.post(TICKETS, make_token("kiosk"), {"service": "paspoort"}, key="k" * 128)
    assert response.status_code == 201, response.text


def test_none_of_these_errors_is_ever_a_500(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk")
    waiting = api.issue(kiosk).json()["id"]
    big = json.dumps({"service": "x" * LIMIT}).encode()
    answers = [
        api.get("/api/v1/locations/atlantis"),
        api.issue(kiosk, "zwemdiploma"),
        api.call_next(desk, "balie-99"),
        api.get("/api/v1/tickets/" + "x" * 500),
        api.post(f"/api/v1/tickets/{waiting}/teleport", desk),
        api.post(f"/api/v1/tickets/{waiting}/finish", desk),
        api.post(f"/api/v1/tickets/{waiting}/transfer", desk, {"service": "zwemdiploma"}),
        api.post(f"/api/v1/tickets/{waiting}/transfer", desk),
        raw_post(api, TICKETS, kiosk, "{"),
        raw_post(api, TICKETS, kiosk, b"\xff\xfe"),
        raw_post(api, TICKETS, kiosk, "[]"),
        raw_post(api, TICKETS, kiosk, "null"),
        raw_post(api, TICKETS, kiosk, "service=paspoort", "text/plain"),
        raw_post(api, TICKETS, kiosk, (big[i:i + 8192] for i in range(0, len(big), 8192))),
        api.post(TICKETS, kiosk, {"service": "paspoort"}, key="k" * 129),
        api.post("/api/v1/locations/ijsselmonde/check-ins", kiosk, {"code": "\u0000" * 10}),
        api.post("/api/v1/appointments", make_token("integration"),
                 {"location": "ijsselmonde", "service": "paspoort", "starts_at": "2026-11-30T10:00:00"}),
    ]
    fives = [(a.request.method, a.request.url, a.status_code) for a in answers if a.status_code >= 500]
    assert not fives
    assert all(a.headers["content-type"].startswith("application/problem+json") for a in answers)
    metrics = api.get("/metrics").text
    assert not re.search(r'^gastvrij_http_requests_total\{.*status="5\d\d"', metrics, re.MULTILINE)


# --- health, OpenAPI, metrics -------------------------------------------------------------------------


def test_health_is_200_status_ok(api: Api) -> None:
    response = api.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_openapi_document_lists_the_contract_paths(api: Api) -> None:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    contract = {
        "/api/v1/health": "get",
        "/api/v1/locations": "get",
        "/api/v1/locations/{location}": "get",
        "/api/v1/locations/{location}/tickets": "post",
        "/api/v1/tickets/{ticket_id}": "get",
        "/api/v1/locations/{location}/queue": "get",
        "/api/v1/locations/{location}/desks/{desk}/call-next": "post",
        "/api/v1/tickets/{ticket_id}/{action}": "post",
        "/api/v1/appointments": "post",
        "/api/v1/locations/{location}/check-ins": "post",
        "/api/v1/locations/{location}/assist-requests": "post",
        "/api/v1/locations/{location}/assist-requests/{request_id}/resolve": "post",
        "/api/v1/locations/{location}/events": "get",
    }
    missing = {path: method for path, method in contract.items() if method not in paths.get(path, {})}
    assert not missing
    assert "get" in paths["/api/v1/locations/{location}/assist-requests"]


def test_metrics_are_prometheus_text_with_requests_and_waiting_tickets(api: Api, make_token) -> None:
    assert api.issue(make_token("kiosk"), "paspoort").status_code == 201
    response = api.get("/metrics", make_token("ops", None))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert re.search(r"^# TYPE gastvrij_http_requests(_total)? counter$", text, re.MULTILINE)
    assert re.search(r'^gastvrij_http_requests_total\{method="POST",.*status="201"\} 1\.0$', text, re.MULTILINE)
    assert re.search(r'^gastvrij_tickets_waiting\{location="ijsselmonde",service="paspoort"\} 1\.0$', text,
                     re.MULTILINE), text
