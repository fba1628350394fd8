"""Appointments: the booking system books them (integration role), visitors check in at the kiosk.

The server shares the test's FixedClock (Monday 2026-11-30 09:00 in Rotterdam); ``clock.advance``
moves the server's time too. Check-in windows come from the location's configuration.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests

from queue_ticketing.domain.clock import FixedClock
from tests.conftest import Api

CHECK_INS = "/api/v1/locations/ijsselmonde/check-ins"


@pytest.fixture
def window(locations) -> Any:  # type: ignore[no-untyped-def]
    """ijsselmonde's check-in window (early_minutes, late_minutes)."""
    return locations["ijsselmonde"].check_in


@pytest.fixture
def book(api: Api, make_token):  # type: ignore[no-untyped-def]
    """Book an appointment through the API as the booking system: ``book(starts_at, **fields)``."""
    integration = make_token("integration")

    def make(starts_at: datetime, location: str = "ijsselmonde", service: str = "paspoort",
             language: str = "nl", **extra: object) -> dict[str, Any]:
        response = api.post("/api/v1/appointments", integration,
                            {"location": location, "service": service, "starts_at": starts_at.isoformat(),
                             "language": language, **extra}, key=f"book-{starts_at.isoformat()}-{extra}")
        assert response.status_code == 201, response.text
        return response.json()

    return make


def check_in(api: Api, token: str, code: str, location: str = "ijsselmonde") -> requests.Response:
    return api.post(f"/api/v1/locations/{location}/check-ins", token, {"code": code})


def assert_refused(response: requests.Response, code: str) -> dict[str, Any]:
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    return body


def test_the_booking_system_books_an_appointment_and_gets_a_code(api: Api, make_token, clock: FixedClock,
                                                                 window) -> None:
    starts_at = clock() + timedelta(hours=2)
    response = api.post("/api/v1/appointments", make_token("integration"),
                        {"location": "ijsselmonde", "service": "paspoort", "starts_at": starts_at.isoformat(),
                         "language": "en"})
    assert response.status_code == 201, response.text
    appointment = response.json()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", appointment["code"])
    assert appointment["status"] == "booked"
    assert appointment["language"] == "en"
    assert appointment["ticket_id"] is None
    assert datetime.fromisoformat(appointment["starts_at"]) == starts_at
    assert datetime.fromisoformat(appointment["check_in_opens_at"]) == starts_at - timedelta(
        minutes=window.early_minutes)


def test_an_appointment_time_without_a_time_zone_is_422(api: Api, make_token) -> None:
    response = api.post("/api/v1/appointments", make_token("integration"),
                        {"location": "ijsselmonde", "service": "paspoort", "starts_at": "2026-11-30T10:00:00"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert [p["name"] for p in response.json()["invalid_params"]] == ["starts_at"]


def test_checking_in_on_time_gives_an_appointment_ticket(api: Api, make_token, clock: FixedClock, book) -> None:
    appointment = book(clock() + timedelta(minutes=10), language="en")
    response = check_in(api, make_token("kiosk"), appointment["code"])
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["kind"] == "appointment"
    assert ticket["status"] == "waiting"
    assert ticket["service"] == "paspoort"
    assert ticket["language"] == "en"
    assert ticket["number"] == "P001"
    assert datetime.fromisoformat(ticket["appointment_at"]) == clock() + timedelta(minutes=10)


def test_checking_in_again_returns_the_same_ticket_with_200(api: Api, make_token, clock: FixedClock,
                                                            book) -> None:
    kiosk = make_token("kiosk")
    appointment = book(clock() + timedelta(minutes=10))
    first = check_in(api, kiosk, appointment["code"])
    again = check_in(api, kiosk, appointment["code"])
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["number"] == first.json()["number"]
    queue = api.get("/api/v1/locations/ijsselmonde/queue").json()
    assert next(s for s in queue["services"] if s["service"] == "paspoort")["waiting"] == 1


def test_check_in_opens_exactly_early_minutes_before_the_appointment(api: Api, make_token, clock: FixedClock,
                                                                     book, window) -> None:
    appointment = book(clock() + timedelta(minutes=window.early_minutes))
    assert check_in(api, make_token("kiosk"), appointment["code"]).status_code == 201


def test_checking_in_more_than_early_minutes_before_is_409_too_early(api: Api, make_token, clock: FixedClock,
                                                                     book, window) -> None:
    starts_at = clock() + timedelta(minutes=window.early_minutes, seconds=1)
    appointment = book(starts_at)
    body = assert_refused(check_in(api, make_token("kiosk"), appointment["code"]), "too_early")
    assert datetime.fromisoformat(body["check_in_opens_at"]) == starts_at - timedelta(minutes=window.early_minutes)


def test_check_in_still_works_exactly_late_minutes_after_the_start(api: Api, make_token, clock: FixedClock,
                                                                   book, window) -> None:
    appointment = book(clock())
    clock.advance(minutes=window.late_minutes)
    assert check_in(api, make_token("kiosk"), appointment["code"]).status_code == 201


def test_checking_in_more_than_late_minutes_after_the_start_is_409_too_late(api: Api, make_token,
                                                                            clock: FixedClock, book,
                                                                            window) -> None:
    appointment = book(clock())
    clock.advance(minutes=window.late_minutes, seconds=1)
    assert_refused(check_in(api, make_token("kiosk"), appointment["code"]), "too_late")


def test_a_code_of_another_location_is_answered_as_an_unknown_code(api: Api, make_token, clock: FixedClock,
                                                                   book) -> None:
    appointment = book(clock() + timedelta(minutes=10))
    elsewhere = check_in(api, make_token("kiosk", "hoogvliet"), appointment["code"], "hoogvliet")
    unknown = check_in(api, make_token("kiosk", "hoogvliet"), "ZZZZ99", "hoogvliet")
    assert assert_refused(elsewhere, "appointment_not_found") == assert_refused(unknown, "appointment_not_found")


def test_an_unknown_code_is_409_appointment_not_found(api: Api, make_token) -> None:
    assert_refused(check_in(api, make_token("kiosk"), "ZZZZ99"), "appointment_not_found")


def test_a_cancelled_appointment_is_409_appointment_cancelled(api: Api, make_token, clock: FixedClock,
                                                              book) -> None:
    appointment = book(clock() + timedelta(minutes=10))
    cancelled = api.post(f"/api/v1/appointments/{appointment['id']}/cancel", make_token("integration"))
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert_refused(check_in(api, make_token("kiosk"), appointment["code"]), "appointment_cancelled")


def test_a_code_typed_with_spaces_and_in_lower_case_checks_in(api: Api, make_token, clock: FixedClock,
                                                              book) -> None:
    appointment = book(clock() + timedelta(minutes=10))
    code = appointment["code"]
    typed = f" {code[:3].lower()} {code[3:].lower()} "
    response = check_in(api, make_token("kiosk"), typed)
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "appointment"


def test_a_due_appointment_ticket_is_called_before_earlier_walk_ins(api: Api, make_token, clock: FixedClock,
                                                                    book, locations) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    api.issue(kiosk, "paspoort")
    api.issue(kiosk, "paspoort")
    appointment = book(clock() + timedelta(minutes=20))
    ticket = check_in(api, kiosk, appointment["code"]).json()
    due_before = locations["ijsselmonde"].call_policy.appointment_due_before_minutes
    clock.advance(minutes=20 - due_before)
    called = api.call_next(desk, "balie-1")
    assert called.status_code == 200
    assert called.json()["id"] == ticket["id"]
    assert called.json()["kind"] == "appointment"


def test_an_appointment_ticket_that_is_not_yet_due_waits_behind_earlier_walk_ins(
        api: Api, make_token, clock: FixedClock, book, locations) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    walk_in = api.issue(kiosk, "paspoort").json()
    appointment = book(clock() + timedelta(minutes=20))
    check_in(api, kiosk, appointment["code"])
    due_before = locations["ijsselmonde"].call_policy.appointment_due_before_minutes
    clock.advance(minutes=20 - due_before, seconds=-1)
    called = api.call_next(desk, "balie-1")
    assert called.json()["id"] == walk_in["id"]


def test_the_booking_systems_retry_with_the_same_idempotency_key_books_only_once(
        api: Api, make_token, clock: FixedClock) -> None:
    integration = make_token("integration")
    body = {"location": "ijsselmonde", "service": "paspoort", "starts_at": (clock() + timedelta(hours=1)).isoformat()}
    first = api.post("/api/v1/appointments", integration, body, key="booking-4711")
    retry = api.post("/api/v1/appointments", integration, body, key="booking-4711")
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers.get("Idempotent-Replayed") == "true"


def test_a_checked_in_appointment_cannot_be_cancelled(api: Api, make_token, clock: FixedClock, book) -> None:
    appointment = book(clock() + timedelta(minutes=10))
    check_in(api, make_token("kiosk"), appointment["code"])
    response = api.post(f"/api/v1/appointments/{appointment['id']}/cancel", make_token("integration"))
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
