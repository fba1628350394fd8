"""Central-service commands through the one HTTP client, against the real service on loopback."""

from __future__ import annotations

import queue
from datetime import datetime

import pytest
import requests

from queue_ticketing.client import Client
from robot_host.central_service import CentralService
from robot_host.commands import BookAppointment, CheckIn, DrawTicket, FindSlots, RequestAssist
from robot_host.events import (
    Booked,
    BookingFailed,
    BookingOptions,
    CheckInFailed,
    ServiceDown,
    SlotsFound,
    TicketIssued,
)
from tests.support.bad_server import BadServer
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


def test_free_times_a_booking_and_a_time_taken_meanwhile(central: ThreadServer, token_for, clock) -> None:  # type: ignore[no-untyped-def]
    with Client(central.url, token_for("robot"), clock=clock, background=False) as client:
        service, events = _answers(client)
        service.execute(FindSlots(None, "1:slots"))
        options = _next(events, BookingOptions)
        assert isinstance(options, BookingOptions) and "paspoort" in options.services and options.booking_url is None
        service.execute(FindSlots("paspoort", "1:slots:paspoort"))
        found = _next(events, SlotsFound)
        assert isinstance(found, SlotsFound) and found.starts[0] == datetime.fromisoformat("2026-11-30T09:30:00+01:00")
        service.execute(BookAppointment("paspoort", found.starts[0], "nl", "1:book:0930"))
        booked = _next(events, Booked)
        assert isinstance(booked, Booked) and len(booked.code) == 6
        assert booked.visitor_url == f"https://gastvrij.test/a/{booked.appointment_id}"
        service.execute(BookAppointment("paspoort", found.starts[0], "nl", "2:book:0930"))  # another visitor
        taken = _next(events, BookingFailed)
        assert isinstance(taken, BookingFailed) and taken.reason == "slot_taken"
        assert taken.next_free and taken.next_free[0] == found.starts[1]
        service.close()


def test_a_location_that_books_on_its_website_says_where(central: ThreadServer, token_for, clock) -> None:  # type: ignore[no-untyped-def]
    with Client(central.url, token_for("robot", "hoogvliet"), clock=clock, background=False) as client:
        events: queue.Queue = queue.Queue()
        service = CentralService(client, "hoogvliet", events.put)
        service.execute(FindSlots("paspoort", "1:slots"))
        assert _next(events, BookingOptions) == BookingOptions("1:slots", (), "https://www.rotterdam.nl/afspraak-maken")
        service.close()


@pytest.mark.parametrize("kind", ["server_error", "cut_json", "html_error"])
def test_a_failing_server_is_told_as_booking_needing_the_connection(kind: str, clock) -> None:  # type: ignore[no-untyped-def]
    bad = BadServer().start()
    bad.answer_with(kind)
    try:
        with Client(bad.url, "token", clock=clock, background=False) as client:
            service, events = _answers(client)
            service.execute(FindSlots("paspoort", "1:slots"))
            assert _next(events, BookingFailed) == BookingFailed("1:slots", "offline")
            service.close()
    finally:
        bad.stop()
