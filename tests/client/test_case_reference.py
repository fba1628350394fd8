"""A ticket about a case, drawn through the client: online and offline the case number reaches the
clerk, never the visitor's ticket; anything but a case number is refused before a number is taken
(real server on loopback, on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from queue_ticketing.client import Client, Rejected
from queue_ticketing.domain.clock import FixedClock
from tests.client.conftest import HOME, CentralService
from tests.conftest import Api

CASE = "ZAAK-2026-0000000007"


def test_online_and_offline_the_case_reference_reaches_the_desk(
        central: CentralService, kiosk: str, clock: FixedClock, outbox_path: Path,
        make_token: Callable[..., str]) -> None:
    desk, api = make_token("desk", desk="balie-1"), Api(central.url)
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.keep_offline_numbers(HOME, ["paspoort"], block_size=5, low_water=5)
        client.sync()
        online = client.issue_ticket(HOME, "paspoort", case_reference=CASE.lower())
        central.stop()
        clock.advance(minutes=1)
        offline = client.issue_ticket(HOME, "paspoort", case_reference="ZAAK-2026-0000000008")
        assert offline.offline
        central.start()
        assert client.sync().remaining == 0
    called = []
    for _ in range(2):
        clock.advance(minutes=5)  # not a repeated click (those return the same call)
        called.append(api.call_next(desk).json())
    assert [(c["number"], c["case_reference"]) for c in called] == [
        (online.number, CASE), (offline.number, "ZAAK-2026-0000000008")]


def test_anything_but_a_case_number_is_refused_before_a_number_is_taken(
        central: CentralService, kiosk: str, clock: FixedClock, outbox_path: Path) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.keep_offline_numbers(HOME, ["paspoort"], block_size=5, low_water=5)
        client.sync()
        central.stop()
        client.online.set(False)
        with pytest.raises(Rejected) as refused:
            client.issue_ticket(HOME, "paspoort", case_reference="Jan de Vries")
        assert (refused.value.status, refused.value.code) == (422, "invalid_case_reference")
        assert client.offline_numbers_left(HOME, "paspoort") == 5 and client.pending == 0
        central.start()
