"""The client's typed calls against the real server: dataclasses back, refusals as ``Rejected``
with the problem's code and detail."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from location_config.zaaktypes import load_zaaktypes
from queue_ticketing.client import (
    AssistRequest,
    CaseStatus,
    Client,
    LocationInfo,
    NotFound,
    Queued,
    Rejected,
    Ticket,
    Unauthorized,
)
from queue_ticketing.domain.cases import Zaak
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.cases import NewRol, NewZaak, add_rol, create_zaak
from queue_ticketing.services.catalogi import CaseTypes
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.unit_of_work import UnitOfWork
from queue_ticketing.store.write_batch import write_alone
from tests.client.conftest import HOME, CentralService
from tests.support.sse import SseReader


@pytest.fixture
def client(central: CentralService, kiosk: str, clock: FixedClock, outbox_path: Path):  # type: ignore[no-untyped-def]
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as kiosk_client:
        yield kiosk_client


def test_the_location_configuration_comes_back_typed(client: Client) -> None:
    location = client.location(HOME)
    assert isinstance(location, LocationInfo)
    assert location.id == HOME and "nl" in location.languages
    paspoort = location.service("paspoort")
    assert paspoort is not None and paspoort.letter == "P" and paspoort.walk_in
    assert location.desks and location.desks[0].services


def test_an_issued_ticket_can_be_looked_up_by_its_id(client: Client) -> None:
    issued = client.issue_ticket(HOME, "paspoort", language="en")
    assert isinstance(issued, Ticket) and not issued.offline
    assert (issued.number, issued.language, issued.position) == ("P001", "en", 1)
    looked_up = client.ticket(issued.id or "")
    assert (looked_up.id, looked_up.number, looked_up.status) == (issued.id, "P001", "waiting")
    queue = client.queue(HOME)
    assert next(s for s in queue.services if s.service == "paspoort").waiting == 1
    assert queue.tickets is None  # a kiosk sees counts, not tickets


def test_an_assist_request_and_a_heartbeat_reach_the_hosts(central: CentralService, client: Client,
                                                           make_token) -> None:  # type: ignore[no-untyped-def]
    hosts = SseReader(f"{central.url}/api/v1/locations/{HOME}/events", make_token("host"), params={"scope": "hosts"})
    try:
        assist = client.request_assist(HOME, reason="printer", place="kiosk-1")
        assert isinstance(assist, AssistRequest)
        assert (assist.reason, assist.status, assist.place) == ("printer", "open", "kiosk-1")
        assert client.report_status(printer="paper_low", battery_percent=80) is True
        assert hosts.next("assist.requested").data["reason"] == "printer"
        assert hosts.next("device.status").data["printer"] == "paper_low"
    finally:
        hosts.close()


def test_offline_only_the_latest_heartbeat_is_sent_later(central: CentralService, client: Client,
                                                         make_token) -> None:  # type: ignore[no-untyped-def]
    client.online.set(False)
    for percent in (90, 80, 70):
        assert isinstance(client.report_status(battery_percent=percent), Queued)
    assert client.pending == 1
    hosts = SseReader(f"{central.url}/api/v1/locations/{HOME}/events", make_token("host"), params={"scope": "hosts"})
    try:
        assert client.sync().replayed == 1
        assert hosts.next("device.status").data["battery_percent"] == 70
    finally:
        hosts.close()


def test_a_refusal_carries_the_problems_code_and_detail(client: Client) -> None:
    with pytest.raises(NotFound) as unknown:
        client.issue_ticket(HOME, "vuurwerk")
    assert unknown.value.code == "not_found" and "vuurwerk" in unknown.value.detail
    with pytest.raises(Rejected) as refused:
        client.check_in(HOME, "NOPE1234")
    assert (refused.value.status, refused.value.code) == (409, "appointment_not_found")
    assert "draw a ticket" in refused.value.detail
    assert client.pending == 0  # a refusal is final: nothing to replay
    assert client.online.value is True


def test_a_revoked_or_unknown_token_is_unauthorized(central: CentralService, outbox_path: Path,
                                                   clock: FixedClock) -> None:
    with (Client(central.url, "not-a-token", outbox_path, clock=clock, background=False) as client,
          pytest.raises(Unauthorized) as caught):
        client.request_assist(HOME)
    assert caught.value.code == "unauthorized"


def test_a_case_lookup_comes_back_as_the_visitors_timeline_and_a_miss_as_not_found(
        client: Client, settings: Settings, clock: FixedClock) -> None:
    catalogue = load_zaaktypes()
    types = CaseTypes(catalogue)
    db = Database(settings.database_url)
    def open_case(uow: UnitOfWork) -> Zaak:
        zaak = create_zaak(uow, types, NewZaak("002220647", "publieksreactie", "002220647", date(2026, 11, 30)))
        add_rol(uow, types, zaak, NewRol(catalogue.zaaktypes["publieksreactie"].initiator.uuid,
                                             "natuurlijk_persoon", postcode="3078 AK", huisnummer=16))
        return zaak

    zaak = write_alone(db, clock, open_case)
    db.dispose()
    case = client.case_lookup(zaak.identificatie, "3078 AK", 16, language="en")
    assert isinstance(case, CaseStatus)
    assert case.identificatie == zaak.identificatie
    assert case.closed_on is None
    with pytest.raises(NotFound) as miss:
        client.case_lookup(zaak.identificatie, "3011 AB", 16)
    assert miss.value.code == "case_not_found"
    assert sum(client.outbox_counts().values()) == 0  # a look-up is never written to the outbox
