"""Central-service commands through the one HTTP client, against the real service on loopback."""

from __future__ import annotations

import queue

import requests

from queue_ticketing.client import Client
from robot_host.central_service import CentralService
from robot_host.commands import CheckIn, DrawTicket, RequestAssist
from robot_host.events import CheckInFailed, ServiceDown, TicketIssued
from tests.support.live_server import ThreadServer, free_port


def _answers(client: Client) -> tuple[CentralService, queue.Queue]:
    events: queue.Queue = queue.Queue()
    return CentralService(client, "ijsselmonde", events.put), events


def _next(events: queue.Queue, kind: type) -> object:
    while True:
        event = events.get(timeout=10)
        if isinstance(event, kind):
            return event


def test_the_same_action_key_twice_gives_one_ticket(central: ThreadServer, token_for, clock) -> None:  # type: ignore[no-untyped-def]
    with Client(central.url, token_for("robot"), clock=clock, background=False) as client:
        service, events = _answers(client)
        service.execute(DrawTicket("paspoort", "nl", "1:ticket:paspoort"))
        service.execute(DrawTicket("paspoort", "nl", "1:ticket:paspoort"))
        first, second = _next(events, TicketIssued), _next(events, TicketIssued)
        service.close()
    assert first == second and first.number == "P001"  # type: ignore[attr-defined]
    queue_now = requests.get(f"{central.url}/api/v1/locations/ijsselmonde/queue", timeout=5).json()
    assert sum(s["waiting"] for s in queue_now["services"]) == 1


def test_an_unknown_appointment_code_is_reported_as_not_found(central: ThreadServer, token_for, clock) -> None:  # type: ignore[no-untyped-def]
    with Client(central.url, token_for("robot"), clock=clock, background=False) as client:
        service, events = _answers(client)
        service.execute(CheckIn("NOPE99", "1:check_in:NOPE99"))
        assert _next(events, CheckInFailed) == CheckInFailed("1:check_in:NOPE99", "not_found")
        service.close()


def test_an_unreachable_service_is_reported_down(clock) -> None:  # type: ignore[no-untyped-def]
    with Client(f"http://127.0.0.1:{free_port()}", "token", clock=clock, background=False) as client:
        service, events = _answers(client)
        service.execute(RequestAssist("visitor_needs_help", "asked for a person"))
        assert _next(events, ServiceDown) == ServiceDown()
        service.close()
