"""A kiosk that loses its server: it keeps issuing tickets from its leased numbers, queues what it
cannot send, and hands everything in exactly once when the server is back (real server, stopped and
started again on the same port, on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from queue_ticketing.client import Client, NoOfflineNumbers, Offline, Queued, Ticket
from queue_ticketing.domain.clock import FixedClock
from tests.client.conftest import HOME, CentralService
from tests.conftest import Api
from tests.support.live_server import wait_until

FAST = {"sync_interval": 0.05, "max_sync_interval": 0.3}


def waiting_in_line(desk_view: Client) -> list[tuple[str, datetime]]:
    """(number, queued_at) of every waiting ticket, in the order they queue."""
    tickets = desk_view.queue(HOME).tickets
    assert tickets is not None
    return [(t.number, t.queued_at) for t in sorted(tickets, key=lambda t: (t.queued_at, t.number))]


def test_fifty_tickets_issued_while_the_server_is_down_are_queued_once_in_issue_order(
        central: CentralService, kiosk: str, desk_view: Client, clock: FixedClock, outbox_path: Path) -> None:
    badge: list[bool] = []
    with Client(central.url, kiosk, outbox_path, clock=clock, **FAST) as client:
        client.online.subscribe(badge.append)
        client.keep_offline_numbers(HOME, ["paspoort"], block_size=25, low_water=50)
        wait_until(lambda: client.offline_numbers_left(HOME, "paspoort") == 50, what="two blocks leased")
        online_before = [client.issue_ticket(HOME, "paspoort") for _ in range(3)]

        central.stop()
        offline: list[Ticket] = []
        for _ in range(50):
            clock.advance(seconds=20)
            offline.append(client.issue_ticket(HOME, "paspoort", language="en"))
        assert all(t.offline and t.id is None and t.channel == "offline" for t in offline)
        assert client.online.value is False
        with pytest.raises(NoOfflineNumbers) as exhausted:
            client.issue_ticket(HOME, "paspoort")
        assert exhausted.value.reason == "exhausted"
        assert client.pending == 50

        central.start()
        wait_until(lambda: client.online.value and client.pending == 0, what="the outbox drained")
        clock.advance(minutes=1)
        online_after = [client.issue_ticket(HOME, "paspoort") for _ in range(3)]

    offline_numbers = [t.number for t in offline]
    online_numbers = [t.number for t in online_before + online_after]
    assert len(set(offline_numbers)) == 50
    assert not set(offline_numbers) & set(online_numbers)
    line = waiting_in_line(desk_view)
    numbers = [number for number, _ in line]
    assert Counter(numbers) == Counter(offline_numbers + online_numbers)  # each exactly once
    assert numbers == [t.number for t in online_before] + offline_numbers + [t.number for t in online_after]
    queued_at = {number: at for number, at in line}
    assert [queued_at[t.number] for t in offline] == [t.issued_at for t in offline]
    assert badge[:2] == [False, True]


def test_an_offline_check_in_is_queued_and_goes_through_when_the_server_is_back(
        central: CentralService, kiosk: str, make_token: Callable[..., str], clock: FixedClock,
        outbox_path: Path) -> None:
    booked = Api(central.url).post("/api/v1/appointments", make_token("integration"), {
        "location": HOME, "service": "paspoort", "starts_at": clock().isoformat()}, key=str(uuid.uuid4()))
    code = booked.json()["code"]
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        central.stop()
        queued = client.check_in(HOME, code)
        assert isinstance(queued, Queued)
        assert queued.action == "check_in"
        assert client.outcome(queued.key).state == "pending"
        again = client.check_in(HOME, "NO-SUCH-CODE")
        assert isinstance(again, Queued)  # offline now: queued without trying
        central.start()
        report = client.sync()
        assert (report.replayed, report.rejected, report.remaining) == (1, 1, 0)
        done = client.outcome(queued.key)
        assert done.state == "done"
        assert done.answer["kind"] == "appointment"
        refused = client.outcome(again.key)
        assert (refused.state, refused.code) == ("rejected", "appointment_not_found")


def test_an_offline_check_in_made_in_time_is_judged_at_its_own_time_when_it_arrives_late(
        central: CentralService, kiosk: str, make_token: Callable[..., str], clock: FixedClock,
        outbox_path: Path) -> None:
    booked = Api(central.url).post("/api/v1/appointments", make_token("integration"), {
        "location": HOME, "service": "paspoort", "starts_at": clock().isoformat()}, key=str(uuid.uuid4()))
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        central.stop()
        queued = client.check_in(HOME, booked.json()["code"])  # in time: the appointment starts now
        clock.advance(minutes=40)  # the link is back long after check-in closed (15 minutes late)
        central.start()
        assert client.sync().replayed == 1
        done = client.outcome(queued.key)
        assert (done.state, done.answer["kind"]) == ("done", "appointment")


def test_without_leased_numbers_an_offline_kiosk_says_so_clearly(central: CentralService, kiosk: str,
                                                                 clock: FixedClock, outbox_path: Path) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        central.stop()
        with pytest.raises(Offline):
            client.issue_ticket(HOME, "paspoort")  # no offline stock: the real reason
        with pytest.raises(NoOfflineNumbers) as caught:
            client.issue_ticket(HOME, "paspoort")
        assert caught.value.reason == "none_leased"
        assert "paspoort" in str(caught.value)
        assert client.pending == 0  # nothing half-done is left to replay
        central.start()


def test_priority_tickets_are_not_given_out_offline(central: CentralService, kiosk: str, clock: FixedClock,
                                                    outbox_path: Path) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.keep_offline_numbers(HOME, ["paspoort"], block_size=5, low_water=5)
        client.sync()
        central.stop()
        with pytest.raises(NoOfflineNumbers) as caught:
            client.issue_ticket(HOME, "paspoort", priority=True)
        assert caught.value.reason == "priority"
        assert client.offline_numbers_left(HOME, "paspoort") == 5
        central.start()


def test_numbers_leased_for_today_are_not_used_tomorrow(central: CentralService, kiosk: str, clock: FixedClock,
                                                        outbox_path: Path) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.lease_block(HOME, "paspoort", size=5)
        assert client.offline_numbers_left(HOME, "paspoort") == 5
        central.stop()
        clock.advance(days=1)
        assert client.offline_numbers_left(HOME, "paspoort") == 0
        client.online.set(False)
        with pytest.raises(NoOfflineNumbers):
            client.issue_ticket(HOME, "paspoort")
        central.start()


def test_tomorrows_block_is_leased_in_the_afternoon_and_used_the_next_morning(
        central: CentralService, kiosk: str, clock: FixedClock, outbox_path: Path) -> None:
    clock.advance(hours=8)  # 17:00
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.keep_offline_numbers(HOME, ["paspoort"], block_size=5, low_water=5)
        client.sync()
    central.stop()
    clock.advance(hours=15)  # 08:00 the next day, and the link is down
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.online.set(False)
        ticket = client.issue_ticket(HOME, "paspoort")
        assert (ticket.offline, ticket.number) == (True, "P001")
        central.start()
        assert client.sync().replayed >= 1


def test_the_background_thread_never_blocks_a_caller_and_stops_cleanly(
        central: CentralService, kiosk: str, clock: FixedClock, outbox_path: Path) -> None:
    client = Client(central.url, kiosk, outbox_path, clock=clock, **FAST)
    client.keep_offline_numbers(HOME, ["paspoort"], block_size=10, low_water=10)
    wait_until(lambda: client.offline_numbers_left(HOME, "paspoort") == 10, what="a block leased")
    central.stop()
    started = time.monotonic()
    for _ in range(5):
        client.issue_ticket(HOME, "paspoort")
        _ = client.online.value, client.pending
    assert time.monotonic() - started < 2.0
    started = time.monotonic()
    client.close()
    assert time.monotonic() - started < 3.0
    assert not [t for t in threading.enumerate() if t.name == "gastvrij-outbox-sync"]
    central.start()
