"""Check-in codes cannot be guessed: failed tries are limited per device and per code (like the
case look-up), and a code of another location gets the very answer an unknown code gets."""

from __future__ import annotations

import uuid
from datetime import timedelta

import requests

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.appointments import MAX_FAILED_CHECK_INS_PER_CODE, MAX_FAILED_CHECK_INS_PER_DEVICE
from tests.conftest import Api


def check_in(api: Api, token: str, code: str, location: str = "ijsselmonde") -> requests.Response:
    return api.post(f"/api/v1/locations/{location}/check-ins", token, {"code": code}, key=str(uuid.uuid4()))


def book(api: Api, token: str, clock: FixedClock, location: str = "ijsselmonde") -> str:
    response = api.post("/api/v1/appointments", token, {
        "location": location, "service": "paspoort", "starts_at": (clock() + timedelta(minutes=10)).isoformat()},
        key=str(uuid.uuid4()))
    assert response.status_code == 201, response.text
    return str(response.json()["code"])


def test_a_device_that_guesses_codes_is_stopped_and_then_even_a_good_code_waits(api: Api, make_token,
                                                                                 clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    good = book(api, make_token("integration"), clock)
    for i in range(MAX_FAILED_CHECK_INS_PER_DEVICE):
        assert check_in(api, kiosk, f"GUESS{i:03d}").json()["code"] == "appointment_not_found"
    refused = check_in(api, kiosk, "GUESS999")
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_attempts"
    assert check_in(api, kiosk, good).status_code == 429
    # Another kiosk is not held up, and after the hour this one tries again.
    assert check_in(api, make_token("kiosk", name="kiosk-2"), good).status_code == 201
    clock.advance(hours=1, seconds=1)
    assert check_in(api, kiosk, "GUESS000").json()["code"] == "appointment_not_found"


def test_one_code_tried_from_many_devices_is_stopped(api: Api, make_token) -> None:
    for i in range(MAX_FAILED_CHECK_INS_PER_CODE):
        assert check_in(api, make_token("kiosk", name=f"kiosk-{i}"), "ABCD99").status_code == 409
    assert check_in(api, make_token("kiosk", name="kiosk-x"), "abcd 99").status_code == 429


def test_checking_in_successfully_and_being_early_do_not_count_as_failed_tries(api: Api, make_token,
                                                                               clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    integration = make_token("integration")
    early = api.post("/api/v1/appointments", integration, {
        "location": "ijsselmonde", "service": "paspoort", "starts_at": (clock() + timedelta(hours=3)).isoformat()},
        key="early").json()["code"]
    for _ in range(MAX_FAILED_CHECK_INS_PER_CODE + 1):
        assert check_in(api, kiosk, early).json()["code"] == "too_early"
    code = book(api, integration, clock)
    for _ in range(MAX_FAILED_CHECK_INS_PER_CODE + 1):
        assert check_in(api, kiosk, code).status_code in (200, 201)


def test_a_code_of_another_location_and_an_unknown_code_get_the_same_answer(api: Api, make_token,
                                                                            clock: FixedClock) -> None:
    code = book(api, make_token("integration"), clock, location="ijsselmonde")
    kiosk = make_token("kiosk", "hoogvliet")
    elsewhere = check_in(api, kiosk, code, "hoogvliet")
    unknown = check_in(api, kiosk, "ZZZZ99", "hoogvliet")
    assert (elsewhere.status_code, elsewhere.json()) == (unknown.status_code, unknown.json())
