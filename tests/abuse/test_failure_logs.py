"""When a statement fails, the log says which statement, the exception's type and the driver's
error code, once, and never the statement's parameters (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import jwt
import pytest
import requests
from sqlalchemy import text

from location_config.zaaktypes import load_zaaktypes
from queue_ticketing.services.zgw_auth import SCOPES, put_client
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.write_batch import write_alone
from queue_ticketing.structured_logging import statement_name
from tests.support.live_server import ProcessServer, free_port

SECRET = "a-secret-of-at-least-thirty-two-characters"
PERSONAL = ("Anna", "Jansen", "Herenwaard", "3078", "anna.jansen@example.org")
TOELICHTING = "Gebeld met Anna Jansen, Herenwaard 16, 3078 AK, anna.jansen@example.org"


@pytest.fixture
def refusing_database(database_url: str) -> Iterator[str]:
    """The database with a trigger that refuses every new case status, as a full disk or a broken
    constraint would."""
    db = Database(database_url)
    upgrade(db)
    zaaktypes = list(load_zaaktypes().zaaktypes)
    write_alone(db, lambda: datetime.now(UTC),
                lambda uow: put_client(uow, "behandelaar", SECRET, list(SCOPES), None, zaaktypes))
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.execute(text("CREATE TRIGGER refuse_status BEFORE INSERT ON zaak_statussen "
                              "BEGIN SELECT RAISE(ABORT, 'refused'); END"))
        else:
            conn.execute(text("CREATE FUNCTION refuse_status() RETURNS trigger AS $$ BEGIN "
                              "RAISE EXCEPTION 'refused' USING ERRCODE = 'P0001'; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER refuse_status BEFORE INSERT ON zaak_statussen "
                              "FOR EACH ROW EXECUTE FUNCTION refuse_status()"))
    try:
        yield database_url
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER refuse_status" + ("" if db.is_sqlite else " ON zaak_statussen")))
            if not db.is_sqlite:
                conn.execute(text("DROP FUNCTION refuse_status()"))
        db.dispose()


def test_a_failed_statement_is_logged_once_by_name_and_code_without_its_parameters(
        refusing_database: str, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    server = ProcessServer(refusing_database, free_port(), log).start()
    catalogue = load_zaaktypes()
    zaaktype = catalogue.zaaktypes["achterstallig_woningonderhoud"]
    token = jwt.encode({"iss": "behandelaar", "client_id": "behandelaar", "iat": int(time.time())}, SECRET,
                       algorithm="HS256")
    headers = {"Authorization": f"Bearer {token}", "Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
    try:
        zaak = requests.post(f"{server.url}/zaken/api/v1/zaken", headers=headers, timeout=10, json={
            "bronorganisatie": "002220647", "zaaktype": catalogue.url("zaaktypen", zaaktype.uuid),
            "verantwoordelijkeOrganisatie": "002220647", "startdatum": "2026-11-30", "omschrijving": "Lekkage"})
        assert zaak.status_code == 201, zaak.text
        status = requests.post(f"{server.url}/zaken/api/v1/statussen", headers=headers, timeout=10, json={
            "zaak": f"{server.url}/zaken/api/v1/zaken/{zaak.json()['uuid']}",
            "statustype": catalogue.url("statustypen", zaaktype.statustypen[0].uuid),
            "datumStatusGezet": "2026-11-30T10:00:00", "statustoelichting": TOELICHTING})
    finally:
        server.stop()
    assert status.status_code == 500
    written = log.read_text()
    for personal in PERSONAL:
        assert personal not in written
    errors = [json.loads(line) for line in written.splitlines() if '"level": "error"' in line]
    assert len(errors) == 1, errors
    assert errors[0]["statement"] == "INSERT zaak_statussen"
    assert errors[0]["driver_code"] in ("SQLITE_CONSTRAINT_TRIGGER", "P0001")
    assert errors[0]["error"].startswith("sqlalchemy.exc.")


@pytest.mark.parametrize(("sql", "name"), [
    ("INSERT INTO zaak_statussen (uuid, zaak) VALUES (?, ?)", "INSERT zaak_statussen"),
    ("INSERT OR IGNORE INTO tickets (id) VALUES (?)", "INSERT tickets"),
    ('UPDATE "tickets" SET status=%(status)s', "UPDATE tickets"),
    ("DELETE FROM events WHERE at < ?", "DELETE events"),
    ("SELECT tickets.id, tickets.number\nFROM tickets WHERE id = ?", "SELECT tickets"),
    ("BEGIN IMMEDIATE", "BEGIN"),
])
def test_a_statement_is_named_by_what_it_does_to_which_table(sql: str, name: str) -> None:
    assert statement_name(sql) == name
