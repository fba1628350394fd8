"""Booking on the spot through the client: free days and slots, a booking, the last place taken by
another device, a location that books on its website, no booking offline, and a lost answer that
books once. The clock is Monday 30 November 2026, 09:00; only balie-2 takes passport appointments
at IJsselmonde (Mondays 09:00-12:00, 13:00-16:30, 15 minutes each, from half an hour ahead)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from queue_ticketing.client import Client, Offline, Rejected
from queue_ticketing.domain.clock import FixedClock
from tests.client.conftest import HOME, CentralService
from tests.support.live_server import free_port
from tests.support.lossy_proxy import LossyProxy

MONDAY = date(2026, 11, 30)


@pytest.fixture
def client(central: CentralService, kiosk: str, clock: FixedClock, outbox_path: Path) -> Iterator[Client]:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as kiosk_client:
        yield kiosk_client


def test_the_location_says_how_visitors_book(client: Client) -> None:
    booking = client.location(HOME).booking
    assert booking is not None and booking.books_here
    assert "paspoort" in booking.services
    assert booking.booking_url is None
    elsewhere = client.location("hoogvliet").booking
    assert elsewhere is not None and not elsewhere.books_here
    assert elsewhere.services == ()
    assert elsewhere.booking_url is not None and elsewhere.booking_url.startswith("https://")


def test_days_slots_and_a_booking(client: Client) -> None:
    days = client.slot_days(HOME, "paspoort")
    assert days[0] == MONDAY
    free = client.slots(HOME, "paspoort", day=MONDAY)
    assert free.length_minutes == 15
    first = free.slots[0]
    assert first.starts_at == datetime.fromisoformat("2026-11-30T09:30:00+01:00")
    booked = client.book_appointment(HOME, "paspoort", first.starts_at, language="en")
    assert len(booked.code) == 6
    assert booked.visitor_url.endswith(f"/a/{booked.id}")
    assert booked.starts_at == first.starts_at and booked.language == "en"
    assert client.slots(HOME, "paspoort").slots[0].starts_at > first.starts_at


def test_two_appointments_in_one_booking(client: Client) -> None:
    start = client.slots(HOME, "paspoort").slots[0].starts_at
    booked = client.book_appointment(HOME, "paspoort", start, count=2)
    assert len(booked.also) == 1
    assert booked.also[0].starts_at == booked.ends_at


def test_the_last_place_taken_by_another_device_is_refused_with_the_next_free_ones(
        client: Client, central: CentralService, make_token: Callable[..., str], clock: FixedClock) -> None:
    start = client.slots(HOME, "paspoort").slots[0].starts_at
    with Client(central.url, make_token("robot"), clock=clock, background=False) as robot:
        robot.book_appointment(HOME, "paspoort", start)
    with pytest.raises(Rejected) as refused:
        client.book_appointment(HOME, "paspoort", start)
    assert refused.value.status == 409 and refused.value.code == "slot_taken"
    assert refused.value.problem["next_free"]


def test_where_the_city_books_on_its_website_the_client_is_told_where(
        central: CentralService, make_token: Callable[..., str], clock: FixedClock) -> None:
    with (Client(central.url, make_token("kiosk", "hoogvliet"), clock=clock, background=False) as client,
          pytest.raises(Rejected) as refused):
        client.slot_days("hoogvliet", "paspoort")
    assert refused.value.code == "booked_elsewhere"
    assert str(refused.value.problem["booking_url"]).startswith("https://")


def test_offline_nothing_is_booked_and_nothing_waits_to_be_sent(kiosk: str, clock: FixedClock,
                                                                outbox_path: Path) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    with Client(nobody, kiosk, outbox_path, clock=clock, background=False) as client:
        with pytest.raises(Offline):
            client.book_appointment(HOME, "paspoort", datetime.fromisoformat("2026-11-30T09:30:00+01:00"))
        assert client.pending == 0
        assert not client.online.value


def test_a_booking_whose_answer_was_lost_books_once(central: CentralService, kiosk: str, clock: FixedClock,
                                                     outbox_path: Path) -> None:
    proxy = LossyProxy(central.port).start()
    try:
        with Client(proxy.url, kiosk, outbox_path, clock=clock, background=False) as client:
            start = client.slots(HOME, "paspoort").slots[0].starts_at
            proxy.drop_answers(1)
            booked = client.book_appointment(HOME, "paspoort", start)
            assert proxy.dropped == 1
            assert booked.starts_at == start
            # the retry carried the same key: the slot after it is still free
            assert client.slots(HOME, "paspoort").slots[0].starts_at == booked.ends_at
    finally:
        proxy.close()
