"""``db backup`` while tickets are being issued, ``db restore`` into an empty database: nothing
acknowledged before the backup began is missing, and numbering goes on without a duplicate."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select

from queue_ticketing.store.database import normalise_url
from queue_ticketing.store.schema import tickets
from tests.support.live_server import wait_until

from .conftest import make_token
from .load import TicketLoad


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "queue_ticketing", *args],
                          env={**os.environ, "GASTVRIJ_DATABASE_URL": database_url},
                          capture_output=True, text=True, timeout=120)


def stored_numbers(database_url: str) -> dict[str, str]:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as conn:
            return {row.id: row.number for row in conn.execute(select(tickets.c.id, tickets.c.number))}
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_databases(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """(the service's database, an empty one to restore into)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'live.sqlite'}", f"sqlite:///{tmp_path / 'restored' / 'gastvrij.sqlite'}"
    new = request.getfixturevalue("new_postgres_database")
    return new(), new()


def test_a_backup_under_load_restores_every_ticket_acknowledged_before_it_began_and_numbering_goes_on(
        two_databases: tuple[str, str], start_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    live, empty = two_databases
    token = make_token(live, "kiosk")
    server = start_server(live)
    backup_file = tmp_path / "backups" / "gastvrij.backup"
    with TicketLoad(server.url, token, clients=4) as load:
        wait_until(lambda: load.count() >= 60, 30, what="tickets before the backup")
        began = time.monotonic()
        acknowledged_before = {a.id: a.number for a in list(load.report.acknowledged) if a.at < began}
        taken = run_cli("db", "backup", "--to", str(backup_file), database_url=live)
        finished = time.monotonic()
        count_at_finish = load.count()
        wait_until(lambda: load.count() >= count_at_finish + 20, 30, what="tickets after the backup")
    report = load.report
    assert taken.returncode == 0, taken.stderr
    assert oct(backup_file.stat().st_mode & 0o777) == "0o600"
    assert any(began <= a.at <= finished for a in report.acknowledged), "the backup did not run under load"
    assert report.given_up == 0

    restored = run_cli("db", "restore", "--from", str(backup_file), database_url=empty)
    assert restored.returncode == 0, restored.stderr

    numbers = stored_numbers(empty)
    missing = {ticket for ticket in acknowledged_before if ticket not in numbers}
    assert not missing, f"{len(missing)} acknowledged tickets are not in the restored database"
    assert all(numbers[ticket] == number for ticket, number in acknowledged_before.items())
    assert len(set(numbers.values())) == len(numbers), "a number appears twice in the backup"

    again = start_server(empty)
    session = requests.Session()
    new_numbers = []
    for _ in range(5):
        response = session.post(f"{again.url}/api/v1/locations/ijsselmonde/tickets", json={"service": "paspoort"},
                                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
                                timeout=10)
        assert response.status_code == 201, response.text
        new_numbers.append(response.json()["number"])
    assert not set(new_numbers) & set(numbers.values())
    assert min(int(n[1:]) for n in new_numbers) == max(int(n[1:]) for n in numbers.values()) + 1


def test_restore_refuses_a_database_that_is_not_empty(tmp_path: Path, start_server) -> None:  # type: ignore[no-untyped-def]
    live = f"sqlite:///{tmp_path / 'live.sqlite'}"
    make_token(live, "kiosk")
    assert run_cli("db", "backup", "--to", str(tmp_path / "copy.sqlite"), database_url=live).returncode == 0
    refused = run_cli("db", "restore", "--from", str(tmp_path / "copy.sqlite"), database_url=live)
    assert refused.returncode == 1
    assert "not empty" in refused.stderr and "Restore into a new, empty database" in refused.stderr


def test_restore_refuses_a_backup_of_the_other_kind(tmp_path: Path) -> None:
    live = f"sqlite:///{tmp_path / 'live.sqlite'}"
    make_token(live, "kiosk")
    assert run_cli("db", "backup", "--to", str(tmp_path / "copy.sqlite"), database_url=live).returncode == 0
    refused = run_cli("db", "restore", "--from", str(tmp_path / "copy.sqlite"),
                      database_url="postgresql://postgres@127.0.0.1:1/none")
    assert refused.returncode == 1
    assert "SQLite backup; it cannot be restored into PostgreSQL" in refused.stderr
