"""Public reactions through the client: the case comes back typed; the same key never makes a
second case; offline the reaction waits in the outbox and becomes one case when the server is back
(real server on loopback, stopped and started again, on SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from queue_ticketing.client import Client, PublicReaction, Queued, Rejected
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from tests.client.conftest import HOME, CentralService

COMPLAINT = "De lift bij de ingang is al twee weken kapot."


def cases(settings: Settings) -> list[str]:
    db = Database(settings.database_url)
    try:
        with db.read() as conn:
            return list(conn.execute(text("SELECT identificatie FROM zaken ORDER BY identificatie")).scalars())
    finally:
        db.dispose()


def outbox_bodies(outbox_path: Path) -> list[str | None]:
    with sqlite3.connect(outbox_path) as outbox:
        return [body for (body,) in outbox.execute("SELECT body FROM entries WHERE action = 'public_reaction'")]


def test_a_complaint_comes_back_as_its_case_typed(central: CentralService, kiosk: str, clock: FixedClock,
                                                  outbox_path: Path, settings: Settings) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        reaction = client.submit_public_reaction(HOME, "complaint", COMPLAINT, email="bewoner@example.nl",
                                                 language="en")
    assert isinstance(reaction, PublicReaction)
    assert (reaction.identificatie, reaction.type) == ("ZAAK-2026-0000000001", "complaint")
    assert reaction.case_type == "Complaint, report or question"
    assert reaction.received_at == clock() and reaction.expected_end_date == date(2026, 12, 21)
    assert cases(settings) == ["ZAAK-2026-0000000001"]
    assert outbox_bodies(outbox_path) == [None]  # text and e-mail address leave the kiosk once answered


def test_the_same_key_twice_makes_one_case(central: CentralService, kiosk: str, clock: FixedClock,
                                           outbox_path: Path, settings: Settings) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        first = client.submit_public_reaction(HOME, "report", COMPLAINT, key="visit-3:reaction")
        again = client.submit_public_reaction(HOME, "report", COMPLAINT, key="visit-3:reaction")
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as restarted:
        after_restart = restarted.submit_public_reaction(HOME, "report", COMPLAINT, key="visit-3:reaction")
    assert isinstance(first, PublicReaction)
    assert first == again == after_restart
    assert cases(settings) == [first.identificatie]


def test_offline_a_reaction_is_queued_and_becomes_one_case_when_the_server_is_back(
        central: CentralService, kiosk: str, clock: FixedClock, outbox_path: Path, settings: Settings) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        central.stop()
        queued = client.submit_public_reaction(HOME, "question", "Wanneer is het stadhuis open?", key="visit-4")
        assert isinstance(queued, Queued)
        assert (queued.action, client.pending) == ("public_reaction", 1)
        again = client.submit_public_reaction(HOME, "question", "Wanneer is het stadhuis open?", key="visit-4")
        assert isinstance(again, Queued) and again.key == queued.key and client.pending == 1

        central.start()
        report = client.sync()
        assert (report.replayed, report.rejected, report.remaining) == (1, 0, 0)
        outcome = client.outcome(queued.key)
        assert outcome is not None and outcome.state == "done"
        delivered = client.submit_public_reaction(HOME, "question", "Wanneer is het stadhuis open?", key="visit-4")
        assert client.sync().replayed == 0
    assert isinstance(delivered, PublicReaction)
    assert delivered.identificatie == outcome.answer["identificatie"]
    assert cases(settings) == [delivered.identificatie]


def test_a_refused_reaction_raises_with_the_problems_code(central: CentralService, kiosk: str, clock: FixedClock,
                                                          outbox_path: Path) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client, \
            pytest.raises(Rejected) as refused:
        client.submit_public_reaction(HOME, "compliment", COMPLAINT)
    assert (refused.value.status, refused.value.code) == (422, "invalid_request")
    assert outbox_bodies(outbox_path) == [None]
