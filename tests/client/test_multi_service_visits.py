"""The client's ticket of several services in one visit: asked for online and offline (from a
leased number, handed in later), read back with its services, and answers of servers from before
several services per visit still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from queue_ticketing.client import BadResponse, Client, Rejected, Ticket
from queue_ticketing.client.models import QueueOverview
from queue_ticketing.domain.clock import FixedClock
from tests.client.conftest import HOME, CentralService
from tests.support.live_server import wait_until

FAST = {"sync_interval": 0.05, "max_sync_interval": 0.3}


def test_a_ticket_of_several_services_comes_back_with_them_in_order(central: CentralService, kiosk: str,
                                                                   clock: FixedClock, outbox_path: Path) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        ticket = client.issue_ticket(HOME, services=["paspoort", "verhuizing"], language="en")
        assert (ticket.service, ticket.services, ticket.service_index, ticket.next_services) == (
            "paspoort", ("paspoort", "verhuizing"), 0, ("verhuizing",))
        assert ticket.number.startswith("P")
        looked_up = client.ticket(ticket.id or "")
        assert looked_up.services == ("paspoort", "verhuizing")


@pytest.mark.parametrize("services", [[], ["paspoort", "rijbewijs", "verhuizing", "informatie"],
                                      ["paspoort", "paspoort"]])
def test_a_visit_that_cannot_be_is_refused_before_anything_is_sent(central: CentralService, kiosk: str,
                                                                   clock: FixedClock, outbox_path: Path,
                                                                   services: list[str]) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        with pytest.raises(Rejected) as refused:
            client.issue_ticket(HOME, services=services)
        assert refused.value.code == "invalid_services"
        assert client.pending == 0


def test_an_offline_ticket_of_two_services_is_handed_in_with_both(central: CentralService, kiosk: str,
                                                                 desk_view: Client, clock: FixedClock,
                                                                 outbox_path: Path) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, **FAST) as client:
        client.keep_offline_numbers(HOME, ["paspoort"], block_size=5, low_water=5)
        wait_until(lambda: client.offline_numbers_left(HOME, "paspoort") == 5, what="a block leased")
        central.stop()
        offline = client.issue_ticket(HOME, services=["paspoort", "verhuizing"])
        assert offline.offline and offline.services == ("paspoort", "verhuizing")
        central.start()
        wait_until(lambda: client.online.value and client.pending == 0, what="the outbox drained")
    waiting = desk_view.queue(HOME).tickets
    assert waiting is not None
    handed_in = next(t for t in waiting if t.number == offline.number)
    assert (handed_in.services, handed_in.service_index) == (("paspoort", "verhuizing"), 0)
    assert desk_view.ticket(handed_in.id).services == ("paspoort", "verhuizing")


def test_an_answer_without_services_from_an_older_server_reads_as_one_service() -> None:
    ticket = Ticket.from_json({"id": "t1", "number": "P001", "location": HOME, "service": "paspoort",
                               "status": "waiting", "issued_at": "2026-11-30T09:00:00+01:00"})
    assert (ticket.services, ticket.service_index, ticket.next_services) == (("paspoort",), 0, ())


@pytest.mark.parametrize("visit", [{"services": ["rijbewijs"]}, {"services": ["paspoort"], "service_index": 1},
                                   {"services": ["paspoort", 7]}])
def test_a_queue_s_waiting_ticket_whose_services_disagree_with_its_service_is_a_bad_answer(visit: dict) -> None:
    waiting = {"id": "t1", "number": "P001", "service": "paspoort", "kind": "walk_in", "priority": False,
               "queued_at": "2026-11-30T09:00:00+01:00", **visit}
    with pytest.raises(BadResponse, match="waiting ticket"):
        QueueOverview.from_json({"location": HOME, "at": "2026-11-30T09:00:00+01:00", "services": [],
                                 "recent_calls": [], "tickets": [waiting]})
