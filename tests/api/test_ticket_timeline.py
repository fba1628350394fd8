"""A ticket's timeline for staff: each step with who took it (a person's display name, a device's
name, the service itself), in order, with no visitor data; a ticket of another location is not there."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from tests.conftest import PERSON, Api
from tests.support.people import add_person, sign_in

LOC = "ijsselmonde"


@pytest.fixture
def db(settings: Settings, server: object) -> Iterator[Database]:
    database = Database(settings.database_url)
    yield database
    database.dispose()


def timeline(api: Api, ticket_id: str, token: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """(step, desk, actor kind, actor name) of each step."""
    response = api.get(f"/api/v1/tickets/{ticket_id}/timeline", token)
    assert response.status_code == 200, response.text
    return [(s["step"], s["desk"], s["by"] and s["by"]["kind"], s["by"] and s["by"]["name"])
            for s in response.json()["steps"]]


def test_each_step_names_the_person_or_device_that_took_it(api: Api, db: Database, clock: FixedClock,
                                                           make_token) -> None:
    kiosk, host = make_token("kiosk", name="kiosk-1"), make_token("host", name="hosts-pc")
    add_person(db, clock, "fatima@rotterdam.nl", "desk", name="Fatima de Vries")
    person = sign_in(api.base, "fatima@rotterdam.nl")
    person.sit_at(LOC, "balie-2")
    fatima = PERSON + person.secret
    ticket = api.issue(kiosk, "paspoort", language="ar").json()
    assert api.post(f"/api/v1/tickets/{ticket['id']}/priority", host, key=str(uuid.uuid4())).status_code == 200
    assert api.call_next(fatima, "balie-2").json()["id"] == ticket["id"]
    clock.advance(seconds=30)
    assert api.post(f"/api/v1/tickets/{ticket['id']}/transfer", host, {"service": "identiteitskaart"},
                    key=str(uuid.uuid4())).status_code == 200
    assert api.call_next(fatima, "balie-2").json()["id"] == ticket["id"]
    clock.advance(seconds=30)
    api.issue(kiosk, "identiteitskaart")
    assert api.call_next(fatima, "balie-2").status_code == 200  # calling the next visitor ends this visit

    assert timeline(api, ticket["id"], host) == [
        ("issued", None, "device", "kiosk-1"),
        ("priority", None, "device", "hosts-pc"),
        ("called", "balie-2", "person", "Fatima de Vries"),
        ("transferred", "balie-2", "device", "hosts-pc"),
        ("called", "balie-2", "person", "Fatima de Vries"),
        ("done", "balie-2", "person", "Fatima de Vries"),
    ]
    answer = api.get(f"/api/v1/tickets/{ticket['id']}/timeline", fatima).json()
    assert answer["number"] == ticket["number"] and answer["status"] == "done"
    assert answer["steps"][2]["desk_number"] == 2 and answer["steps"][2]["by"]["role"] == "desk"
    assert [s["service"] for s in answer["steps"]][-1] == "identiteitskaart"
    assert "fatima@rotterdam.nl" not in str(answer)  # a person by display name, not by account
    assert "language" not in answer and "ar" not in {str(v) for s in answer["steps"] for v in s.values()}


def test_a_ticket_of_another_location_is_not_there_and_the_public_may_not_read_it(api: Api, make_token) -> None:
    ticket = api.issue(make_token("kiosk"), "paspoort").json()
    path = f"/api/v1/tickets/{ticket['id']}/timeline"
    assert api.get(path, make_token("host", "hoogvliet")).status_code == 404
    assert api.get(path, make_token("desk", "hoogvliet")).status_code == 404
    assert api.get(path, make_token("kiosk")).status_code == 403
    assert api.get(path, make_token("display")).status_code == 403
    assert api.get(path).status_code == 401
    assert api.get(path, make_token("admin", None)).status_code == 200
    assert api.get(f"/api/v1/tickets/{'x' * 80}/timeline", make_token("desk")).status_code == 404
    assert api.get("/api/v1/tickets/no-such-ticket/timeline", make_token("desk")).status_code == 404


def test_a_visit_s_next_service_is_a_step_taken_by_whoever_finished_the_one_before(api: Api, db: Database,
                                                                                   clock: FixedClock,
                                                                                   make_token) -> None:
    kiosk, desk = make_token("kiosk", name="kiosk-1"), make_token("desk", name="desk-pc", desk="balie-1")
    visit = api.post(f"/api/v1/locations/{LOC}/tickets", kiosk, {"services": ["paspoort", "verhuizing"]},
                     key=str(uuid.uuid4())).json()
    api.call_next(desk, "balie-1")
    clock.advance(minutes=5)
    assert api.post(f"/api/v1/tickets/{visit['id']}/finish", desk, key=str(uuid.uuid4())).status_code == 200
    assert timeline(api, visit["id"], desk) == [
        ("issued", None, "device", "kiosk-1"), ("called", "balie-1", "device", "desk-pc"),
        ("done", "balie-1", "device", "desk-pc"), ("next_service", None, "device", "desk-pc")]


def test_an_offline_ticket_handed_in_later_is_issued_by_its_kiosk(api: Api, clock: FixedClock, make_token) -> None:
    kiosk, host = make_token("kiosk", name="kiosk-1"), make_token("host", name="hosts-pc")
    block = api.post(f"/api/v1/locations/{LOC}/number-blocks", kiosk, {"service": "paspoort", "size": 5},
                     key=str(uuid.uuid4())).json()
    printed_at = clock().isoformat()
    clock.advance(minutes=10)  # the kiosk is back online: its ticket is recorded now, issued then
    handed_in = api.post(f"/api/v1/locations/{LOC}/number-blocks/{block['block_id']}/tickets", kiosk,
                         {"number": block["first_number"], "issued_at": printed_at}, key=str(uuid.uuid4()))
    assert handed_in.status_code == 201, handed_in.text
    assert timeline(api, handed_in.json()["id"], host) == [("issued", None, "device", "kiosk-1")]
