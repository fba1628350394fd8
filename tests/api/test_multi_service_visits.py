"""Several services in one visit (a passport, then a change of address), through the real HTTP
server on SQLite and PostgreSQL: one ticket, one number, one queue after the other."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from location_config import load_all
from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from tests.conftest import Api
from tests.support.live_server import ThreadServer

TICKETS = "/api/v1/locations/ijsselmonde/tickets"
REPORT = "/api/v1/locations/ijsselmonde/reports/service-norms"


def issue(api: Api, token: str, services: list[str], **body: Any) -> Any:
    response = api.post(TICKETS, token, {"services": services, **body}, key=str(uuid.uuid4()))
    assert response.status_code == 201, response.text
    return response.json()


def act(api: Api, token: str, ticket: dict[str, Any], action: str, body: Any = None) -> Any:
    return api.post(f"/api/v1/tickets/{ticket['id']}/{action}", token, body, key=str(uuid.uuid4()))


def waiting_numbers(api: Api, service: str) -> list[str]:
    queue = api.get("/api/v1/locations/ijsselmonde/queue").json()
    return [s["waiting"] for s in queue["services"] if s["service"] == service]


def test_a_ticket_of_several_services_takes_its_number_from_the_first(api: Api, make_token) -> None:
    ticket = issue(api, make_token("kiosk"), ["verhuizing", "paspoort"], language="en")
    assert ticket["number"][0] != "P"  # verhuizing's letter
    assert (ticket["service"], ticket["services"], ticket["service_index"]) == (
        "verhuizing", ["verhuizing", "paspoort"], 0)
    looked_up = api.get(f"/api/v1/tickets/{ticket['id']}").json()
    assert (looked_up["services"], looked_up["service_index"]) == (["verhuizing", "paspoort"], 0)


def test_a_ticket_of_one_service_says_so_in_services(api: Api, make_token) -> None:
    ticket = api.issue(make_token("kiosk"), "paspoort").json()
    assert (ticket["services"], ticket["service_index"]) == (["paspoort"], 0)


@pytest.mark.parametrize(("body", "code"), [
    ({"service": "paspoort", "services": ["paspoort"]}, "invalid_services"),
    ({"language": "nl"}, "invalid_request"),
    ({"services": []}, "invalid_services"),
    ({"services": ["paspoort", "rijbewijs", "verhuizing", "informatie"]}, "invalid_services"),
    ({"services": ["paspoort", "verhuizing", "paspoort"]}, "invalid_services"),
    ({"services": ["paspoort", "no_such_service"]}, "not_found"),
    ({"services": ["paspoort", 7]}, "invalid_request"),
])
def test_a_visit_that_cannot_be_is_refused_with_a_clear_problem(api: Api, make_token, body: dict[str, Any],
                                                                code: str) -> None:
    response = api.post(TICKETS, make_token("kiosk"), body, key=str(uuid.uuid4()))
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert api.get("/api/v1/locations/ijsselmonde/queue").json()["services"] == [] or all(
        s["waiting"] == 0 for s in api.get("/api/v1/locations/ijsselmonde/queue").json()["services"])


def test_finishing_the_first_service_puts_the_ticket_behind_those_waiting_for_the_next(
        api: Api, make_token, clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    visit = issue(api, kiosk, ["paspoort", "verhuizing"])
    clock.advance(minutes=2)
    earlier = api.issue(kiosk, "verhuizing").json()  # came later, but waits for verhuizing already
    assert api.call_next(desk, "balie-1").json()["id"] == visit["id"]
    clock.advance(minutes=10)
    finished = act(api, desk, visit, "finish")
    assert finished.status_code == 200, finished.text
    moved = finished.json()
    assert (moved["id"], moved["number"], moved["mobile_url"]) == (visit["id"], visit["number"], visit["mobile_url"])
    assert (moved["status"], moved["service"], moved["service_index"], moved["desk"]) == (
        "waiting", "verhuizing", 1, None)
    assert [(e["step"], e["service"], e["desk"]) for e in moved["timeline"][-2:]] == [
        ("done", "paspoort", "balie-1"), ("next_service", "verhuizing", None)]
    assert moved["position"] == 2  # by the end of its passport: behind the one already waiting
    clock.advance(seconds=5)
    balie_4 = make_token("desk", desk="balie-4")
    assert api.call_next(balie_4, "balie-4").json()["id"] == earlier["id"]
    clock.advance(seconds=5)
    second = api.call_next(balie_4, "balie-4").json()
    assert (second["id"], second["number"], second["service"], second["desk_number"]) == (
        visit["id"], visit["number"], "verhuizing", 4)
    done = act(api, balie_4, second, "finish").json()
    assert (done["status"], done["service_index"]) == ("done", 1)


def test_calling_the_next_visitor_moves_the_one_at_the_desk_on_to_their_next_service(
        api: Api, make_token, clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    visit = issue(api, kiosk, ["paspoort", "verhuizing"])
    other = api.issue(kiosk, "paspoort").json()
    assert api.call_next(desk, "balie-1").json()["id"] == visit["id"]
    clock.advance(seconds=3)  # past the call's debounce
    assert api.call_next(desk, "balie-1").json()["id"] == other["id"]
    moved = api.get(f"/api/v1/tickets/{visit['id']}").json()
    assert (moved["status"], moved["service"], moved["position"]) == ("waiting", "verhuizing", 1)
    assert [e["step"] for e in moved["timeline"]] == ["issued", "called", "done", "next_service"]
    clock.advance(seconds=3)
    assert api.call_next(make_token("desk", desk="balie-5"), "balie-5").json()["id"] == visit["id"]


@pytest.fixture
def by_arrival(settings: Settings, clock: FixedClock) -> Iterator[Api]:
    """A server whose IJsselmonde queues a visit's next service by the visitor's arrival."""
    locations = load_all()
    here = locations["ijsselmonde"]
    locations["ijsselmonde"] = replace(here, call_policy=replace(here.call_policy, next_service_queued_by="arrival"))
    live = ThreadServer(create_app(settings, clock=clock, locations=locations)).start()
    yield Api(live.url)
    live.stop()


def test_a_location_may_queue_the_next_service_by_the_visitor_s_arrival(by_arrival: Api, make_token,
                                                                        clock: FixedClock) -> None:
    api = by_arrival
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    visit = issue(api, kiosk, ["paspoort", "verhuizing"])
    clock.advance(minutes=2)
    later = api.issue(kiosk, "verhuizing").json()
    api.call_next(desk, "balie-1")
    clock.advance(minutes=10)
    moved = act(api, desk, visit, "finish").json()
    assert (moved["status"], moved["service"], moved["position"]) == ("waiting", "verhuizing", 1)
    assert api.call_next(make_token("desk", desk="balie-4"), "balie-4").json()["id"] == visit["id"]
    clock.advance(seconds=3)
    assert api.call_next(make_token("desk", desk="balie-4"), "balie-4").json()["id"] == later["id"]


def test_a_no_show_ends_the_whole_visit(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    visit = issue(api, kiosk, ["paspoort", "verhuizing"])
    api.call_next(desk, "balie-1")
    ended = act(api, desk, visit, "no-show").json()
    assert (ended["status"], ended["service"]) == ("no_show", "paspoort")
    assert all(s["waiting"] == 0 for s in api.get("/api/v1/locations/ijsselmonde/queue").json()["services"])


def test_a_transfer_replaces_the_current_service_of_the_visit(api: Api, make_token) -> None:
    kiosk, host = make_token("kiosk"), make_token("host")
    visit = issue(api, kiosk, ["paspoort", "verhuizing"])
    moved = act(api, host, visit, "transfer", {"service": "identiteitskaart"}).json()
    assert (moved["service"], moved["services"], moved["service_index"]) == (
        "identiteitskaart", ["identiteitskaart", "verhuizing"], 0)
    refused = act(api, host, visit, "transfer", {"service": "verhuizing"})
    assert (refused.status_code, refused.json()["code"]) == (409, "illegal_transition")


def test_a_desk_adds_a_service_to_the_visit_in_front_of_it(api: Api, make_token, clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    ticket = api.issue(kiosk, "paspoort").json()
    api.call_next(desk, "balie-1")
    added = act(api, desk, ticket, "add-service", {"service": "verhuizing"})
    assert added.status_code == 200, added.text
    assert (added.json()["services"], added.json()["status"], added.json()["desk"]) == (
        ["paspoort", "verhuizing"], "called", "balie-1")
    clock.advance(minutes=5)
    moved = act(api, desk, ticket, "finish").json()
    assert (moved["status"], moved["service"]) == ("waiting", "verhuizing")


@pytest.mark.parametrize(("services", "add", "detail"), [
    (["paspoort", "verhuizing"], "verhuizing", "already has verhuizing"),
    (["paspoort"], "paspoort", "already has paspoort"),
    (["paspoort", "verhuizing", "informatie"], "rijbewijs", "already has 3 services"),
])
def test_adding_a_service_is_refused_when_it_is_there_or_the_visit_is_full(
        api: Api, make_token, services: list[str], add: str, detail: str) -> None:
    kiosk, host = make_token("kiosk"), make_token("host")
    ticket = issue(api, kiosk, services)
    refused = act(api, host, ticket, "add-service", {"service": add})
    assert (refused.status_code, refused.json()["code"]) == (409, "illegal_transition")
    assert detail in refused.json()["detail"]
    assert api.get(f"/api/v1/tickets/{ticket['id']}").json()["services"] == services


def test_adding_a_service_needs_one_that_is_offered_here(api: Api, make_token) -> None:
    kiosk, desk, host = make_token("kiosk"), make_token("desk", desk="balie-1"), make_token("host")
    ticket = api.issue(kiosk, "paspoort").json()
    unknown = act(api, host, ticket, "add-service", {"service": "no_such_service"})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    nameless = act(api, host, ticket, "add-service")
    assert (nameless.status_code, nameless.json()["code"]) == (422, "invalid_services")
    api.call_next(desk, "balie-1")
    act(api, desk, ticket, "finish")
    over = act(api, desk, ticket, "add-service", {"service": "verhuizing"})
    assert (over.status_code, over.json()["code"]) == (409, "illegal_transition")


def test_the_queue_s_recent_calls_show_the_same_number_called_again_for_its_next_service(
        api: Api, make_token, clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    visit = issue(api, kiosk, ["paspoort", "verhuizing"])
    api.call_next(desk, "balie-1")
    clock.advance(minutes=5)
    act(api, desk, visit, "finish")
    clock.advance(seconds=3)
    api.call_next(make_token("desk", desk="balie-4"), "balie-4")
    calls = api.get("/api/v1/locations/ijsselmonde/queue").json()["recent_calls"]
    assert [(c["number"], c["desk_number"], c["service"]) for c in calls[:2]] == [
        (visit["number"], 4, "verhuizing"), (visit["number"], 1, "paspoort")]


def test_the_report_judges_each_service_of_a_visit_by_its_own_wait_and_gives_the_visit_time(
        api: Api, make_token, clock: FixedClock) -> None:
    kiosk, desk, host = make_token("kiosk"), make_token("desk", desk="balie-1"), make_token("host")
    visit = issue(api, kiosk, ["paspoort", "verhuizing"])
    clock.advance(minutes=4)
    api.call_next(desk, "balie-1")  # passport: waited 4 minutes
    clock.advance(minutes=10)
    act(api, desk, visit, "finish")  # served 10 minutes; now waits for verhuizing
    clock.advance(minutes=6)
    balie_4 = make_token("desk", desk="balie-4")
    api.call_next(balie_4, "balie-4")  # verhuizing: waited 6 minutes (not 20 since issue)
    clock.advance(minutes=5)
    act(api, balie_4, visit, "finish")  # visit: 25 minutes in all
    clock.advance(hours=1)
    report = api.get(REPORT, host, params={"from": "2026-11-30", "to": "2026-11-30"}).json()
    services = {s["service"]: s for s in report["services"]}
    assert (services["paspoort"]["visitors"], services["paspoort"]["median_wait_minutes"],
            services["paspoort"]["median_service_minutes"]) == (1, 4.0, 10.0)
    assert (services["verhuizing"]["visitors"], services["verhuizing"]["median_wait_minutes"],
            services["verhuizing"]["median_service_minutes"]) == (1, 6.0, 5.0)
    assert services["verhuizing"]["within_norm"] == 1
    assert services["all"]["visitors"] == 2
    assert (report["visit_time"]["multi_service_visits"], report["visit_time"]["median_visit_minutes"]) == (1, 25.0)
    csv_rows = api.get(REPORT, host, params={"from": "2026-11-30", "to": "2026-11-30", "format": "csv"}).text
    header, *rows = csv_rows.splitlines()
    assert "median_visit_minutes" in header.split(",")
    everything = next(r for r in rows if r.startswith("all,all,"))
    assert dict(zip(header.split(","), everything.split(","), strict=True))["median_visit_minutes"] == "25.0"


def test_the_audit_trail_records_an_added_service_once_with_who_added_it(api: Api, make_token,
                                                                         settings: Settings) -> None:
    from sqlalchemy import select

    from queue_ticketing.store.database import Database
    from queue_ticketing.store.schema import audit_events

    kiosk, host = make_token("kiosk"), make_token("host", name="hosts-pc")
    ticket = api.issue(kiosk, "paspoort").json()
    assert act(api, host, ticket, "add-service", {"service": "verhuizing"}).status_code == 200
    db = Database(settings.database_url)
    try:
        with db.read() as conn:
            rows = conn.execute(select(audit_events).where(audit_events.c.action == "ticket.service_added")).all()
    finally:
        db.dispose()
    assert len(rows) == 1
    assert (rows[0].ticket_id, rows[0].target, rows[0].actor_name) == (ticket["id"], "verhuizing", "hosts-pc")


def test_a_second_click_within_the_debounce_neither_finishes_nor_moves_the_visit_on(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    visit = issue(api, kiosk, ["paspoort", "verhuizing"])
    api.issue(kiosk, "paspoort")
    first = api.call_next(desk, "balie-1").json()
    again = api.call_next(desk, "balie-1").json()  # a double click: the same ticket, still at the desk
    assert first["id"] == again["id"] == visit["id"]
    still = api.get(f"/api/v1/tickets/{visit['id']}").json()
    assert (still["status"], still["service"]) == ("called", "paspoort")


def open_desks(api: Api, token: str, *desks: str) -> None:
    """Open ``desks`` with ``token``, a host's (a desk opens only its own)."""
    for desk in desks:
        assert api.post(f"/api/v1/locations/ijsselmonde/desks/{desk}/open", token).status_code == 200


def test_a_visit_is_told_between_which_times_its_next_service_is_expected_to_start(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    open_desks(api, make_token("host"), "balie-1", "balie-3")  # passports; driving licences first
    visit = issue(api, kiosk, ["paspoort", "rijbewijs"], language="nl")
    assert visit.get("next_service") is None  # a write's answer does not play the queue forward
    # At 9:00 the passport is called at once; about 10 minutes later (8 to 13) the driving licence.
    expected = {"service": "rijbewijs", "earliest": "2026-11-30T09:05:00+01:00", "latest": "2026-11-30T09:15:00+01:00"}
    assert api.get(f"/api/v1/tickets/{visit['id']}").json()["next_service"] == expected
    page = api.get(f"/t/{visit['id']}").text
    assert '<span class="visit-expected">Naar verwachting tussen 09:05 en 09:15</span>' in page
    # At the desk for the passport: still told, and the page follows.
    assert api.call_next(desk, "balie-1").json()["id"] == visit["id"]
    assert api.get(f"/api/v1/tickets/{visit['id']}").json()["next_service"] == expected
    # At the driving licence's desk there is nothing next to expect.
    assert act(api, desk, visit, "finish").json()["service"] == "rijbewijs"
    assert api.get(f"/api/v1/tickets/{visit['id']}").json()["next_service"] is None


def test_a_ticket_of_one_service_is_told_of_no_next_service(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    open_desks(api, make_token("host"), "balie-1", "balie-3")
    ticket = api.issue(kiosk, "paspoort", language="nl").json()
    assert api.get(f"/api/v1/tickets/{ticket['id']}").json()["next_service"] is None
    page = api.get(f"/t/{ticket['id']}").text
    assert 'class="visit-expected"' not in page


def test_no_time_is_given_for_a_next_service_no_open_desk_offers(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    open_desks(api, make_token("host"), "balie-1")  # passports only: no desk for driving licences
    visit = issue(api, kiosk, ["paspoort", "rijbewijs"], language="nl")
    assert api.get(f"/api/v1/tickets/{visit['id']}").json()["next_service"] is None
    assert 'class="visit-expected"' not in api.get(f"/t/{visit['id']}").text
