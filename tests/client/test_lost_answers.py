"""Answers lost after the server committed (a proxy cuts the connection once the server has
answered): the retry, with the same Idempotency-Key, gets the same ticket, never a second one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from queue_ticketing.client import Client, Queued
from queue_ticketing.domain.clock import FixedClock
from tests.client.conftest import HOME, CentralService
from tests.conftest import Api
from tests.support.lossy_proxy import LossyProxy


@pytest.fixture
def proxy(central: CentralService) -> Iterator[LossyProxy]:
    lossy = LossyProxy(central.port).start()
    yield lossy
    lossy.close()


def test_a_ticket_whose_answer_was_lost_is_fetched_again_not_issued_twice(
        proxy: LossyProxy, kiosk: str, desk_view: Client, clock: FixedClock, outbox_path: Path) -> None:
    with Client(proxy.url, kiosk, outbox_path, clock=clock, background=False) as client:
        proxy.drop_answers(1)
        ticket = client.issue_ticket(HOME, "paspoort")
        assert proxy.dropped == 1
        assert not ticket.offline
        assert client.outcome(ticket.key).state == "done"
        assert client.pending == 0
    waiting = desk_view.queue(HOME).tickets
    assert waiting is not None
    assert [(t.id, t.number) for t in waiting] == [(ticket.id, ticket.number)]


def test_a_check_in_whose_answer_was_lost_checks_in_once(proxy: LossyProxy, central: CentralService, kiosk: str,
                                                         make_token, desk_view: Client, clock: FixedClock,
                                                         outbox_path: Path) -> None:
    booked = Api(central.url).post("/api/v1/appointments", make_token("integration"), {
        "location": HOME, "service": "paspoort", "starts_at": clock().isoformat()}, key="booking-1").json()
    with Client(proxy.url, kiosk, outbox_path, clock=clock, background=False) as client:
        proxy.drop_answers(1)
        ticket = client.check_in(HOME, booked["code"])
        assert not isinstance(ticket, Queued)
        assert ticket.kind == "appointment"
    waiting = desk_view.queue(HOME).tickets
    assert waiting is not None and [t.id for t in waiting] == [ticket.id]


def test_when_every_answer_is_lost_the_visitor_gets_an_offline_ticket_and_is_queued_once(
        proxy: LossyProxy, kiosk: str, desk_view: Client, clock: FixedClock, outbox_path: Path) -> None:
    with Client(proxy.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.keep_offline_numbers(HOME, ["paspoort"], block_size=5, low_water=5)
        client.sync()
        proxy.drop_answers(3)  # the first try and both retries: the server made a ticket nobody holds
        ticket = client.issue_ticket(HOME, "paspoort")
        assert ticket.offline
        assert proxy.dropped == 3
        proxy.forward_all()
        assert client.sync().remaining == 0
    waiting = desk_view.queue(HOME).tickets
    assert waiting is not None
    assert [t.number for t in waiting] == [ticket.number]  # the unseen online ticket was cancelled
