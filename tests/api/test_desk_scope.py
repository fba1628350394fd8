"""A desk acts only at its own desk: the visitor called to or served at it, and the desk itself
(call next, open, close). A desk token made for one desk sits there; a clerk, or a desk token made
for no desk, sits at the desk whose page it opened last. Hosts and managers, on the floor, act on
any ticket of their location."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.unit_of_work import Stores
from tests.conftest import PERSON, Api
from tests.support.people import SAME_SITE, add_person, sign_in

LOC = "ijsselmonde"
TICKETS = "/api/v1/tickets"


@pytest.fixture
def db(settings: Settings, server: object) -> Iterator[Database]:
    """The server's database (after the server has upgraded it)."""
    database = Database(settings.database_url)
    yield database
    database.dispose()


def act(api: Api, token: str, ticket: dict[str, Any], action: str, body: object = None) -> requests.Response:
    return api.post(f"{TICKETS}/{ticket['id']}/{action}", token, body, key=str(uuid.uuid4()))


def called_at(api: Api, token: str, desk: str, kiosk: str) -> dict[str, Any]:
    """A ticket drawn now and called to ``desk`` (by ``token``, a credential of that desk)."""
    ticket = api.issue(kiosk, "paspoort").json()
    called = api.call_next(token, desk)
    assert called.status_code == 200, called.text
    assert called.json()["id"] == ticket["id"]
    return called.json()  # type: ignore[no-any-return]


def refused(response: requests.Response, code: str = "wrong_desk") -> dict[str, Any]:
    assert (response.status_code, response.headers["content-type"]) == (403, "application/problem+json"), \
        response.text
    body: dict[str, Any] = response.json()
    assert (body["code"], body["reason"]) == (code, "desk")
    return body


def desks_taken(db: Database) -> list[tuple[str, str | None]]:
    """Who took which desk, in the audit trail's order."""
    from queue_ticketing.services.audit import AuditQuery, find

    with db.read() as conn:
        records = find(Stores(conn), AuditQuery(LOC, action="desk.taken"))
    return [(r.actor_name, r.target) for r in sorted(records, key=lambda r: r.seq)]


def test_a_desk_adds_a_service_only_to_the_visit_at_its_own_desk(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    balie_1, balie_2 = make_token("desk", desk="balie-1"), make_token("desk", desk="balie-2")
    ticket = called_at(api, balie_2, "balie-2", kiosk)
    body = refused(act(api, balie_1, ticket, "add-service", {"service": "verhuizing"}))
    assert "not at your desk" in body["detail"] and body["desk"] == "balie-1"
    assert api.get(f"{TICKETS}/{ticket['id']}").json()["services"] == ["paspoort"]
    added = act(api, balie_2, ticket, "add-service", {"service": "verhuizing"})
    assert added.status_code == 200, added.text
    assert added.json()["services"] == ["paspoort", "verhuizing"]


@pytest.mark.parametrize(("action", "body"), [("recall", None), ("start", None), ("finish", None), ("no-show", None),
                                              ("requeue", None), ("cancel", None),
                                              ("transfer", {"service": "identiteitskaart"})])
def test_a_desk_may_not_act_on_the_visitor_of_another_desk(api: Api, make_token, action: str, body: object) -> None:
    kiosk = make_token("kiosk")
    ticket = called_at(api, make_token("desk", desk="balie-2"), "balie-2", kiosk)
    refused(act(api, make_token("desk", desk="balie-1"), ticket, action, body))
    after = api.get(f"{TICKETS}/{ticket['id']}").json()
    assert (after["status"], after["desk"], after["service"]) == ("called", "balie-2", "paspoort")


@pytest.mark.parametrize(("action", "body"), [("add-service", {"service": "verhuizing"}), ("cancel", None),
                                              ("transfer", {"service": "identiteitskaart"})])
def test_a_desk_may_not_change_a_waiting_ticket_but_a_host_may(api: Api, make_token, action: str,
                                                                body: object) -> None:
    ticket = api.issue(make_token("kiosk"), "paspoort").json()
    refused(act(api, make_token("desk", desk="balie-1"), ticket, action, body))
    assert api.get(f"{TICKETS}/{ticket['id']}").json()["status"] == "waiting"
    assert act(api, make_token("host"), ticket, action, body).status_code == 200


def test_a_manager_adds_a_service_to_a_visit_at_any_desk(api: Api, make_token, db: Database, clock: FixedClock) -> None:
    add_person(db, clock, "mila@rotterdam.nl", "manager", LOC, name="Mila")
    manager = PERSON + sign_in(api.base, "mila@rotterdam.nl").secret
    ticket = called_at(api, make_token("desk", desk="balie-2"), "balie-2", make_token("kiosk"))
    added = act(api, manager, ticket, "add-service", {"service": "verhuizing"})
    assert added.status_code == 200, added.text


def test_a_desk_calls_next_opens_and_closes_only_its_own_desk(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    api.issue(kiosk, "paspoort")
    body = refused(api.call_next(desk, "balie-2"))
    assert "balie-1" in body["detail"] and "balie-2" in body["detail"]
    refused(api.post(f"/api/v1/locations/{LOC}/desks/balie-2/open", desk))
    refused(api.post(f"/api/v1/locations/{LOC}/desks/balie-2/close", desk))
    queue = api.get(f"/api/v1/locations/{LOC}/queue").json()
    assert next(d for d in queue["desks"] if d["id"] == "balie-2")["open"] is False
    assert queue["services"][0]["waiting"] + sum(s["waiting"] for s in queue["services"][1:]) == 1
    assert api.post(f"/api/v1/locations/{LOC}/desks/balie-1/open", desk).status_code == 200
    assert api.call_next(desk, "balie-1").status_code == 200


def test_a_desk_token_made_for_no_desk_acts_at_no_desk_through_the_api(api: Api, make_token) -> None:
    kiosk, unbound = make_token("kiosk"), make_token("desk")
    body = refused(api.call_next(unbound, "balie-1"), "no_desk")
    assert "desk page" in body["detail"]
    ticket = called_at(api, make_token("desk", desk="balie-1"), "balie-1", kiosk)
    refused(act(api, unbound, ticket, "finish"), "no_desk")
    assert api.get(f"/api/v1/locations/{LOC}/queue", unbound).json()["tickets"] is not None  # it still reads


def test_a_clerk_acts_at_the_desk_whose_page_they_opened_last(api: Api, make_token, db: Database,
                                                               clock: FixedClock) -> None:
    add_person(db, clock, "anna@rotterdam.nl", "desk", name="Anna")
    anna = sign_in(api.base, "anna@rotterdam.nl")
    clerk, kiosk = PERSON + anna.secret, make_token("kiosk")
    refused(api.call_next(clerk, "balie-1"), "no_desk")  # signed in, but at no desk yet
    anna.sit_at(LOC, "balie-1")
    ticket = called_at(api, clerk, "balie-1", kiosk)
    assert act(api, clerk, ticket, "add-service", {"service": "verhuizing"}).status_code == 200
    anna.sit_at(LOC, "balie-2")  # moved over: the visitor at balie-1 is not hers any more
    refused(act(api, clerk, ticket, "finish"))
    refused(api.call_next(clerk, "balie-1"))
    anna.sit_at(LOC, "balie-2")  # the same desk again: nothing new to write down
    assert desks_taken(db) == [("Anna", "balie-1"), ("Anna", "balie-2")]


def test_a_token_made_for_one_desk_opens_only_that_desks_page(api: Api, make_token) -> None:
    token = make_token("desk", desk="balie-1")
    response = api.session.post(f"{api.base}/desk/{LOC}/session", json={"token": token}, timeout=5)
    assert response.status_code == 204, response.text
    cookie = {"Cookie": response.headers["set-cookie"].split(";")[0]}
    api.session.cookies.clear()
    other = requests.get(f"{api.base}/desk/{LOC}/balie-2?lang=en", headers=cookie, timeout=5)
    assert other.status_code == 403
    assert "This token is made for desk 1; it cannot be used at desk 2." in other.text
    assert 'href="/desk/ijsselmonde/balie-1"' in other.text and 'href="/desk/ijsselmonde/balie-2"' not in other.text
    own = requests.get(f"{api.base}/desk/{LOC}/balie-1", headers=cookie, timeout=5)
    assert own.status_code == 200 and 'id="call-next"' in own.text


def test_the_desk_page_of_a_token_made_for_no_desk_acts_at_the_desk_it_opened(api: Api, make_token) -> None:
    kiosk, token = make_token("kiosk"), make_token("desk")
    at_balie_1 = called_at(api, make_token("desk", desk="balie-1"), "balie-1", kiosk)
    response = api.session.post(f"{api.base}/desk/{LOC}/session", json={"token": token}, timeout=5)
    assert response.status_code == 204, response.text
    headers = {"Cookie": response.headers["set-cookie"].split(";")[0], **SAME_SITE}
    api.session.cookies.clear()
    assert requests.get(f"{api.base}/desk/{LOC}/balie-2", headers=headers, timeout=5).status_code == 200
    forward = f"{api.base}/desk/{LOC}/api"

    def post(path: str, body: object = None) -> requests.Response:
        return requests.post(f"{forward}/{path}", json=body, timeout=5,
                             headers={**headers, "Idempotency-Key": str(uuid.uuid4())})

    refused(post(f"tickets/{at_balie_1['id']}/add-service", {"service": "verhuizing"}))
    api.issue(kiosk, "paspoort")
    mine = post(f"locations/{LOC}/desks/balie-2/call-next")
    assert mine.status_code == 200, mine.text
    added = post(f"tickets/{mine.json()['id']}/add-service", {"service": "verhuizing"})
    assert added.status_code == 200, added.text
