"""The caller's Idempotency-Key for one visitor action: a double tap or a retry (also by a new
Client on the same outbox file, after a restart) never makes a second ticket (real server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from queue_ticketing.client import Client, Queued, Rejected, Ticket
from queue_ticketing.domain.clock import FixedClock
from tests.client.conftest import HOME, CentralService
from tests.support.live_server import wait_until


def waiting(desk_view: Client) -> int:
    return sum(s.waiting for s in desk_view.queue(HOME).services)


def test_the_same_key_twice_makes_one_ticket(central: CentralService, kiosk: str, clock: FixedClock,
                                             outbox_path: Path, desk_view: Client) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        first = client.issue_ticket(HOME, "paspoort", key="visit-1:ticket")
        again = client.issue_ticket(HOME, "paspoort", key="visit-1:ticket")
        other = client.issue_ticket(HOME, "paspoort", key="visit-2:ticket")
    assert (first.id, first.number) == (again.id, again.number) == (first.id, "P001")
    assert other.number == "P002"
    assert waiting(desk_view) == 2


def test_the_same_key_after_a_restart_on_the_same_outbox_makes_one_ticket(
        central: CentralService, kiosk: str, clock: FixedClock, outbox_path: Path, desk_view: Client) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        first = client.issue_ticket(HOME, "rijbewijs", key="tap-7")
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as restarted:
        again = restarted.issue_ticket(HOME, "rijbewijs", key="tap-7")
    assert again.id == first.id and again.number == first.number
    assert waiting(desk_view) == 1


def test_a_pending_request_is_sent_again_under_its_key_not_added_twice(
        central: CentralService, kiosk: str, clock: FixedClock, outbox_path: Path, desk_view: Client) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.online.set(False)
        queued = client.check_in(HOME, "NOPE42", key="visit-3:check_in")
        assert isinstance(queued, Queued) and queued.key == "visit-3:check_in"
        assert isinstance(client.check_in(HOME, "NOPE42", key="visit-3:check_in"), Queued)
        assert client.pending == 1
        client.online.set(True)
        with pytest.raises(Rejected):
            client.check_in(HOME, "NOPE42", key="visit-3:check_in")
        with pytest.raises(Rejected):  # the refusal is kept, not asked again
            client.check_in(HOME, "NOPE42", key="visit-3:check_in")
        assert client.pending == 0

        client.online.set(False)
        assert isinstance(client.request_assist(HOME, key="visit-3:assist"), Queued)
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as restarted:
        assist = restarted.request_assist(HOME, key="visit-3:assist")
        assert not isinstance(assist, Queued) and assist.status == "open"
        assert restarted.request_assist(HOME, key="visit-3:assist") == assist
        assert restarted.pending == 0


def test_an_offline_ticket_is_the_same_ticket_for_the_same_key(
        central: CentralService, kiosk: str, clock: FixedClock, outbox_path: Path, desk_view: Client) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.keep_offline_numbers(HOME, ["paspoort"], block_size=5, low_water=1)
        client.sync()
        assert client.offline_numbers_left(HOME, "paspoort") == 5
        central.stop()
        offline = client.issue_ticket(HOME, "paspoort", key="tap-9")
        assert offline.offline
        assert client.issue_ticket(HOME, "paspoort", key="tap-9") == offline
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as restarted:
        restarted.online.set(False)
        assert restarted.issue_ticket(HOME, "paspoort", key="tap-9") == offline
        assert restarted.offline_numbers_left(HOME, "paspoort") == 4
        central.start()
        restarted.online.set(True)
        wait_until(lambda: restarted.sync().remaining == 0, what="the offline ticket handed in")
        synced = restarted.issue_ticket(HOME, "paspoort", key="tap-9")
    assert isinstance(synced, Ticket) and not synced.offline and synced.number == offline.number
    assert waiting(desk_view) == 1
