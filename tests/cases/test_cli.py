"""The case and report commands of ``python -m queue_ticketing``, run as a user would (subprocesses)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.zgw_auth import ZgwAuthenticator
from queue_ticketing.store.database import Database
from tests.cases.conftest import SECRET, make_jwt

TWO_ZAAKTYPES = ["--zaaktype", "publieksreactie", "--zaaktype", "achterstallig_woningonderhoud"]


def run(*args: str, database: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "queue_ticketing", *args], capture_output=True, text=True,
                          input=stdin, env={**os.environ, "GASTVRIJ_DATABASE_URL": database}, timeout=120)


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


@pytest.mark.parametrize("command", [["zgw-clients", "add"], ["zgw-clients", "list"], ["zgw-clients", "remove"],
                                     ["report"], ["simulate-history"]])
def test_every_case_command_documents_its_options_with_help(command: list[str], database: str) -> None:
    result = run(*command, "--help", database=database)
    assert result.returncode == 0 and "usage: python -m queue_ticketing" in result.stdout


def test_a_client_added_on_the_command_line_can_sign_its_requests(database: str, clock: FixedClock) -> None:
    added = run("zgw-clients", "add", "klachtenbureau", SECRET, "--scopes", "zaken.lezen", "zaken.aanmaken",
                *TWO_ZAAKTYPES, database=database)
    assert added.returncode == 0, added.stderr
    assert "klachtenbureau: zaken.aanmaken zaken.lezen for zaaktype publieksreactie" in added.stdout
    assert SECRET not in added.stdout + added.stderr
    db = Database(database)
    try:
        client = ZgwAuthenticator(db, clock).client(make_jwt("klachtenbureau", SECRET, clock().timestamp()))
        assert client.may("zaken.aanmaken", "publieksreactie")
        assert not client.may("zaken.aanmaken", "aanvraag_akte_uittreksel_verklaring")
    finally:
        db.dispose()
    listed = run("zgw-clients", "list", database=database)
    assert "klachtenbureau\tpublieksreactie\tzaken.aanmaken zaken.lezen" in listed.stdout
    assert SECRET not in listed.stdout
    assert run("zgw-clients", "remove", "klachtenbureau", database=database).returncode == 0
    assert run("zgw-clients", "list", database=database).stdout == ""


def test_the_secret_can_come_from_standard_input(database: str) -> None:
    added = run("zgw-clients", "add", "balie-app", "-", "--scopes", "zaken.lezen", database=database,
                stdin=SECRET + "\n")
    assert added.returncode == 0, added.stderr
    assert "balie-app: zaken.lezen for zaaktype *" in added.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["short-secret", "--scopes", "zaken.lezen"], "at least 32 characters"),
    ([SECRET, "--scopes", "zaken.lezen", "--zaaktype", "paspoort"], "Unknown zaaktype 'paspoort'"),
])
def test_bad_clients_are_refused_with_the_reason(database: str, args: list[str], message: str) -> None:
    result = run("zgw-clients", "add", "x", *args, database=database)
    assert result.returncode == 2 and message in result.stderr


def test_simulated_history_shows_up_in_the_monthly_report(database: str) -> None:
    simulated = run("simulate-history", "--location", "ijsselmonde", "--days", "3", "--last-day", "2026-11-04",
                    database=database)
    assert simulated.returncode == 0, simulated.stderr
    assert "from 2026-11-02 to 2026-11-04" in simulated.stdout
    again = run("simulate-history", "--location", "ijsselmonde", "--days", "1", "--last-day", "2026-11-03",
                database=database)
    assert again.returncode == 1 and "already has" in again.stderr
    text = run("report", "--location", "ijsselmonde", "--month", "2026-11", database=database)
    assert text.returncode == 0, text.stderr
    assert "Service norms at ijsselmonde, 2026-11-01 to 2026-11-30" in text.stdout
    document = json.loads(run("report", "--location", "ijsselmonde", "--month", "2026-11", "--format", "json",
                              database=database).stdout)
    visitors = document["services"][-1]["visitors"]
    assert 300 < visitors < 1500  # three busy days of a six-desk location
    rows = list(csv.DictReader(io.StringIO(run("report", "--location", "ijsselmonde", "--from", "2026-11-02",
                                               "--to", "2026-11-04", "--format", "csv", database=database).stdout)))
    assert next(r for r in rows if (r["service"], r["hour"]) == ("all", "all"))["visitors"] == str(visitors)


def test_a_month_that_is_not_one_is_refused(database: str) -> None:
    result = run("report", "--location", "ijsselmonde", "--month", "november", database=database)
    assert result.returncode == 2 and "is not a month like 2026-11" in result.stderr
