"""Booking an appointment on the spot: free slots, exactly one booking per last place, the visitor's
page with its calendar file, cancelling, and check-in with the code at its time.

IJsselmonde's calendar: only balie-2 takes passport appointments on Mondays (09:00-12:00,
13:00-16:30), 15 minutes each, the first at least 30 minutes from now. The clock is Monday
30 November 2026, 09:00."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import requests
from icalendar import Calendar

from queue_ticketing.domain.clock import FixedClock
from tests.conftest import Api

SLOTS = "/api/v1/locations/ijsselmonde/slots"
BOOK = "/api/v1/appointments"
FIRST = "2026-11-30T09:30:00+01:00"


def free(api: Api, service: str = "paspoort", day: str = "2026-11-30") -> list[str]:
    response = api.get(SLOTS, params={"service": service, "date": day})
    assert response.status_code == 200, response.text
    return [slot["starts_at"] for slot in response.json()["slots"]]


def book(api: Api, token: str, starts_at: str, service: str = "paspoort", **body: object) -> requests.Response:
    return api.post(BOOK, token, {"location": "ijsselmonde", "service": service, "starts_at": starts_at,
                                  "language": "en", **body}, key=str(uuid.uuid4()))


def same_moment(a: str, b: str) -> bool:
    return datetime.fromisoformat(a) == datetime.fromisoformat(b)


def test_free_slots_are_public_times_on_the_grid_from_half_an_hour_ahead(api: Api) -> None:
    response = api.get(SLOTS, params={"service": "paspoort", "date": "2026-11-30"})
    body = response.json()
    assert body["length_minutes"] == 15
    assert same_moment(body["slots"][0]["starts_at"], FIRST)
    assert same_moment(body["slots"][0]["ends_at"], "2026-11-30T09:45:00+01:00")
    assert len(body["slots"]) == 10 + 14  # 09:30-11:45 and 13:00-16:15
    assert set(body["slots"][0]) == {"starts_at", "ends_at"}


def test_a_kiosk_books_a_free_slot_and_it_is_no_longer_offered(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    response = book(api, kiosk, FIRST)
    assert response.status_code == 201, response.text
    appointment = response.json()
    assert len(appointment["code"]) == 6
    assert appointment["visitor_url"].endswith(f"/a/{appointment['id']}")
    assert same_moment(appointment["ends_at"], "2026-11-30T09:45:00+01:00")
    assert not any(same_moment(start, FIRST) for start in free(api))


def test_a_time_that_is_not_a_free_slot_is_refused_with_the_next_free_ones(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    off_grid = book(api, kiosk, "2026-11-30T09:37:00+01:00")
    assert off_grid.status_code == 409
    problem = off_grid.json()
    assert problem["code"] == "slot_taken"
    assert len(problem["next_free"]) == 3 and same_moment(problem["next_free"][0], "2026-11-30T09:45:00+01:00")


def test_sixteen_devices_booking_the_same_last_place_get_exactly_one_appointment(api: Api, make_token) -> None:
    tokens = [make_token("kiosk") for _ in range(8)] + [make_token("robot") for _ in range(8)]
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda token: book(api, token, FIRST), tokens))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * 15, [a.text for a in answers if a.status_code not in (201, 409)]
    refused = [a.json() for a in answers if a.status_code == 409]
    assert all(p["code"] == "slot_taken" and p["next_free"] for p in refused)


def test_one_booking_may_hold_appointments_one_after_another(api: Api, make_token) -> None:
    host = make_token("host")
    response = book(api, host, FIRST, count=2)
    assert response.status_code == 201, response.text
    both = response.json()
    assert same_moment(both["also"][0]["starts_at"], "2026-11-30T09:45:00+01:00")
    assert book(api, host, FIRST, count=3).status_code == 409  # more than max_per_booking (2)
    assert not any(same_moment(s, "2026-11-30T09:45:00+01:00") for s in free(api))


def test_the_booking_system_still_books_any_time_and_its_appointments_take_their_slot(api: Api, make_token) -> None:
    integration = make_token("integration")
    kiosk = make_token("kiosk")
    assert book(api, integration, "2026-11-30T09:40:00+01:00").status_code == 201  # off the grid: allowed
    assert book(api, integration, "2026-11-30T10:00:00+01:00").status_code == 201
    assert not any(same_moment(s, "2026-11-30T10:00:00+01:00") for s in free(api))
    assert book(api, kiosk, "2026-11-30T10:00:00+01:00").status_code == 409


def test_a_display_may_not_book(api: Api, make_token) -> None:
    assert book(api, make_token("display"), FIRST).status_code == 403


def test_a_location_that_books_elsewhere_says_where(api: Api, make_token) -> None:
    kiosk = make_token("kiosk", "hoogvliet")
    response = api.post(BOOK, kiosk, {"location": "hoogvliet", "service": "paspoort", "starts_at": FIRST},
                        key=str(uuid.uuid4()))
    assert response.status_code == 409
    assert response.json()["code"] == "booked_elsewhere"
    assert response.json()["booking_url"].startswith("https://")
    slots = api.get("/api/v1/locations/hoogvliet/slots", params={"service": "paspoort", "date": "2026-11-30"})
    assert slots.status_code == 409 and slots.json()["code"] == "booked_elsewhere"


def test_the_days_with_free_places_and_the_next_free_slots(api: Api) -> None:
    days = api.get("/api/v1/locations/ijsselmonde/slot-days", params={"service": "paspoort"}).json()["days"]
    assert days[0] == "2026-11-30" and "2026-12-05" not in days  # Saturday: closed
    next_free = api.get(SLOTS, params={"service": "paspoort", "from": "2026-11-30T16:20:00+01:00"}).json()
    assert same_moment(next_free["slots"][0]["starts_at"], "2026-12-01T09:00:00+01:00")  # Tuesday morning
    assert len(next_free["slots"]) == 3


def test_bad_slot_questions_get_clear_errors(api: Api) -> None:
    assert api.get(SLOTS, params={"service": "informatie", "date": "2026-11-30"}).status_code == 422
    assert api.get(SLOTS, params={"service": "rijbewijs-x", "date": "2026-11-30"}).status_code == 404
    assert api.get(SLOTS, params={"service": "paspoort", "date": "30-11-2026"}).status_code == 422
    assert api.get(SLOTS, params={"service": "paspoort", "date": "2027-06-01"}).json()["slots"] == []


def test_the_visitor_s_page_shows_the_appointment_and_its_calendar_file_parses(api: Api, make_token) -> None:
    appointment = book(api, make_token("kiosk"), FIRST).json()
    page = requests.get(appointment["visitor_url"].replace("https://gastvrij.test", api.base), timeout=10)
    assert page.status_code == 200
    assert appointment["code"] in page.text and "<svg" in page.text
    ics = requests.get(f"{api.base}/a/{appointment['id']}.ics", timeout=10)
    assert ics.headers["content-type"].startswith("text/calendar")
    event = next(c for c in Calendar.from_ical(ics.content).walk() if c.name == "VEVENT")
    assert event.decoded("dtstart") == datetime.fromisoformat(FIRST)
    assert appointment["code"] in str(event.get("description"))


def test_cancelling_on_the_visitor_s_page_frees_the_slot_at_once(api: Api, make_token) -> None:
    appointment = book(api, make_token("kiosk"), FIRST).json()
    page = f"{api.base}/a/{appointment['id']}"
    not_confirmed = requests.post(f"{page}/cancel", data={}, timeout=10, allow_redirects=False)
    assert not_confirmed.status_code == 303 and not any(same_moment(s, FIRST) for s in free(api))
    cancelled = requests.post(f"{page}/cancel", data={"confirm": "yes"}, timeout=10)
    assert cancelled.status_code == 200 and "cancelled" in cancelled.text
    assert any(same_moment(s, FIRST) for s in free(api))
    event = next(c for c in Calendar.from_ical(requests.get(f"{page}.ics", timeout=10).content).walk()
                 if c.name == "VEVENT")
    assert str(event.get("status")) == "CANCELLED"


def test_an_appointment_booked_on_the_spot_checks_in_at_its_time(api: Api, make_token, clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    appointment = book(api, kiosk, "2026-11-30T11:00:00+01:00").json()
    clock.advance(hours=1, minutes=45)  # 10:45: within the check-in window
    checked_in = api.post("/api/v1/locations/ijsselmonde/check-ins", kiosk, {"code": appointment["code"]},
                          key=str(uuid.uuid4()))
    assert checked_in.status_code == 201, checked_in.text
    assert checked_in.json()["kind"] == "appointment"


def test_an_unknown_appointment_page_is_a_kind_not_found(api: Api) -> None:
    assert requests.get(f"{api.base}/a/nope", timeout=10).status_code == 404
    assert requests.get(f"{api.base}/a/{'x' * 200}", timeout=10).status_code == 404
