"""The audit trail: every action leaves exactly one record with the right actor (a person, a device
or the operator at the command line), written in the same transaction as the change; the hash chain
holds under concurrent writers (PostgreSQL: several processes); editing, removing or inserting any
stored record makes ``audit verify`` fail naming the record; managers and admins read it through
the API and the manager's page (filters, CSV); housekeeping keeps it for its retention."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
import requests
from sqlalchemy import delete, select, update

from queue_ticketing.domain.audit import ACTIONS, AuditRecord
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.accounts import disable_account
from queue_ticketing.services.devices import create_device
from queue_ticketing.services.housekeeping import forget_old
from queue_ticketing.services.zgw_auth import SCOPES, put_client
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.schema import audit_events
from queue_ticketing.store.unit_of_work import OPERATOR, UnitOfWork
from queue_ticketing.store.write_batch import write_alone
from tests.support.people import SAME_SITE, add_person, sign_in, try_sign_in

LOC = "ijsselmonde"
V1 = f"/api/v1/locations/{LOC}"


@pytest.fixture
def db(settings: Settings, server: object) -> Iterator[Database]:
    database = Database(settings.database_url)
    yield database
    database.dispose()


def records(db: Database) -> list[tuple[str, str, str, str | None, str | None]]:
    with db.read() as conn:
        return [(r.action, r.actor_kind, r.actor_name, r.ticket_number, r.target)
                for r in conn.execute(select(audit_events).order_by(audit_events.c.seq))]


def verify(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "queue_ticketing", "audit", "verify", "--database-url", url],
                          capture_output=True, text=True, timeout=60, env={**os.environ})


def test_every_action_leaves_exactly_one_record_with_its_actor(api, db, clock: FixedClock, make_token,
                                                               settings: Settings) -> None:
    kiosk, host = make_token("kiosk", name="kiosk-1"), make_token("host", name="hosts-pc")
    robot = make_token("robot", name="pepper")
    add_person(db, clock, "anna@rotterdam.nl", "desk", name="Anna")
    before = len(records(db))
    anna = sign_in(api.base, "anna@rotterdam.nl")
    csrf = anna.csrf(f"/desk/{LOC}/balie-1")

    def desk(path: str, body: object = None) -> requests.Response:
        return requests.post(f"{api.base}/desk/{LOC}/api/{path}", json=body, timeout=10,
                             headers={**anna.cookie, **SAME_SITE, "X-CSRF-Token": csrf,
                                      "Idempotency-Key": str(uuid.uuid4())})

    def ticket() -> dict[str, str]:
        issued = api.issue(kiosk)
        assert issued.status_code == 201
        return issued.json()  # type: ignore[no-any-return]

    expected: list[tuple[str, str, str]] = [("sign_in", "person", "Anna"), ("desk.taken", "person", "Anna")]
    assert desk(f"locations/{LOC}/desks/balie-1/open").status_code == 200
    expected.append(("desk.opened", "person", "Anna"))
    first = ticket()
    expected.append(("ticket.issued", "device", "kiosk-1"))
    assert desk(f"locations/{LOC}/desks/balie-1/call-next").json()["id"] == first["id"]
    expected.append(("ticket.called", "person", "Anna"))
    for action, record in (("recall", "ticket.recalled"), ("start", "ticket.started"),
                           ("finish", "ticket.finished")):
        assert desk(f"tickets/{first['id']}/{action}").status_code == 200, action
        expected.append((record, "person", "Anna"))
    second = ticket()
    expected.append(("ticket.issued", "device", "kiosk-1"))
    for action, record in (("priority", "ticket.priority"),):
        assert api.post(f"/api/v1/tickets/{second['id']}/{action}", host, key=str(uuid.uuid4())).status_code == 200
        expected.append((record, "device", "hosts-pc"))
    assert api.post(f"/api/v1/tickets/{second['id']}/add-service", host, {"service": "verhuizing"},
                    key=str(uuid.uuid4())).status_code == 200
    expected.append(("ticket.service_added", "device", "hosts-pc"))
    assert api.post(f"/api/v1/tickets/{second['id']}/transfer", host, {"service": "identiteitskaart"},
                    key=str(uuid.uuid4())).status_code == 200
    expected.append(("ticket.transferred", "device", "hosts-pc"))
    assert api.post(f"/api/v1/tickets/{second['id']}/cancel", host, key=str(uuid.uuid4())).status_code == 200
    expected.append(("ticket.cancelled", "device", "hosts-pc"))
    third = ticket()
    expected.append(("ticket.issued", "device", "kiosk-1"))
    assert desk(f"locations/{LOC}/desks/balie-1/call-next").json()["id"] == third["id"]
    expected.append(("ticket.called", "person", "Anna"))
    assert desk(f"tickets/{third['id']}/requeue").status_code == 200
    expected.append(("ticket.requeued", "person", "Anna"))
    clock.advance(seconds=5)  # past the call's debounce
    assert desk(f"locations/{LOC}/desks/balie-1/call-next").json()["id"] == third["id"]
    expected.append(("ticket.called", "person", "Anna"))
    assert desk(f"tickets/{third['id']}/no-show").status_code == 200
    expected.append(("ticket.no_show", "person", "Anna"))
    assert desk(f"locations/{LOC}/desks/balie-1/close").status_code == 200
    expected.append(("desk.closed", "person", "Anna"))
    assist = api.post(f"{V1}/assist-requests", kiosk, {"reason": "other"}, key=str(uuid.uuid4())).json()
    assert api.post(f"{V1}/assist-requests/{assist['id']}/resolve", host).status_code == 200
    expected.append(("assist.resolved", "device", "hosts-pc"))
    robot_id = api.get("/api/v1/devices/me", robot).json()["id"]
    for command in ("pause", "resume"):
        assert api.post(f"{V1}/devices/{robot_id}/commands", host, {"command": command}).status_code in (200, 201, 202)
        expected.append((f"robot.{command}d", "device", "hosts-pc"))
    write_alone(db, clock, lambda uow: create_device(uow, "display", LOC, "screen-hall"), OPERATOR)
    expected.append(("token.created", "system", OPERATOR.name))
    revoked = subprocess.run([sys.executable, "-m", "queue_ticketing", "tokens", "revoke", "screen-hall",
                              "--database-url", settings.database_url], capture_output=True, text=True, timeout=60)
    assert revoked.returncode == 0, revoked.stderr
    expected.append(("token.revoked", "system", OPERATOR.name))
    add_person(db, clock, "bert@rotterdam.nl", "host", name="Bert")
    expected.append(("account.created", "system", OPERATOR.name))
    write_alone(db, clock, lambda uow: disable_account(uow, "bert@rotterdam.nl"), OPERATOR)
    expected.append(("account.disabled", "system", OPERATOR.name))
    write_alone(db, clock, lambda uow: put_client(uow, "zaaksysteem", "s" * 32, list(SCOPES), None, []), OPERATOR)
    expected.append(("zgw_client.changed", "system", OPERATOR.name))
    assert try_sign_in(api.base, "anna@rotterdam.nl", "not her password").status_code == 401
    expected.append(("sign_in.failed", "person", "Anna"))
    assert requests.post(f"{api.base}/sign-out", data={"csrf": csrf}, allow_redirects=False, timeout=10,
                         headers={"Content-Type": "application/x-www-form-urlencoded", **SAME_SITE,
                                  **anna.cookie}).status_code == 303
    expected.append(("sign_out", "person", "Anna"))

    got = [(action, kind, name) for action, kind, name, _, _ in records(db)[before:]]
    assert got == expected
    assert {action for action, _, _ in expected} <= set(ACTIONS)
    numbers = {r[3] for r in records(db) if r[0] == "ticket.issued"}
    assert numbers == {first["number"], second["number"], third["number"]}
    assert verify(settings.database_url).returncode == 0


def test_a_failed_change_leaves_no_record(api, db, make_token) -> None:
    host = make_token("host")
    before = records(db)
    refused = api.post("/api/v1/tickets/no-such-ticket/cancel", host, key=str(uuid.uuid4()))
    assert refused.status_code == 404
    assert records(db) == before


@pytest.mark.parametrize("tamper", ["edit", "remove", "insert", "rehash"])
def test_editing_any_stored_record_makes_audit_verify_fail_at_that_record(api, db, clock, make_token,
                                                                          settings: Settings, tamper: str) -> None:
    kiosk = make_token("kiosk")
    for _ in range(4):
        assert api.issue(kiosk).status_code == 201
    ok = verify(settings.database_url)
    assert ok.returncode == 0 and "intact" in ok.stdout
    with db.write_connection() as conn, conn.begin():
        target = audit_events.c.seq == 3
        if tamper == "edit":
            conn.execute(update(audit_events).where(target).values(ticket_number="Z999"))
        elif tamper == "remove":
            conn.execute(delete(audit_events).where(target))
        elif tamper == "insert":
            row = conn.execute(select(audit_events).where(target)).mappings().one()
            conn.execute(delete(audit_events).where(audit_events.c.seq >= 3))
            conn.execute(audit_events.insert().values({**row, "actor_name": "someone else"}))
        else:  # edited and sealed anew with a correct hash of its own: the next record's link breaks
            row = conn.execute(select(audit_events).where(target)).mappings().one()
            resealed = replace(AuditRecord(**row), actor_name="someone else").sealed()
            conn.execute(update(audit_events).where(target).values(actor_name=resealed.actor_name,
                                                                   hash=resealed.hash))
    broken = verify(settings.database_url)
    assert broken.returncode == 1
    assert f"record {4 if tamper == 'rehash' else 3}" in broken.stderr, broken.stderr


@pytest.mark.postgres
def test_the_chain_holds_with_several_writers_at_once_on_postgresql(postgres_server_url: str, tmp_path,
                                                                     clock: FixedClock) -> None:
    """Two engines stand for two server processes: each batch takes the group commit's advisory
    lock, so the chain's head is read and extended by one writer at a time."""
    from tests.conftest import _empty_postgres  # the suite's own fresh database

    _empty_postgres(postgres_server_url)
    engines = [Database(postgres_server_url) for _ in range(2)]

    def write(db: Database, n: int) -> None:
        for i in range(n):
            write_alone(db, clock, lambda uow, i=i: uow.record("desk.opened", LOC, target=f"balie-{i}"), OPERATOR)

    threads = [threading.Thread(target=write, args=(engines[i % 2], 40)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = verify(postgres_server_url)
    assert result.returncode == 0, result.stderr
    assert "160 record(s)" in result.stdout
    for engine in engines:
        engine.dispose()


def test_managers_and_admins_read_the_trail_filtered_and_as_csv(api, db, clock, make_token) -> None:
    kiosk = make_token("kiosk", name="kiosk-1")
    issued = api.issue(kiosk).json()
    api.issue(make_token("kiosk", "hoogvliet"), location="hoogvliet")
    add_person(db, clock, "mia@rotterdam.nl", "manager", name="Mia")
    mia = sign_in(api.base, "mia@rotterdam.nl")
    own = mia.get("/api/v1/audit-events", params={"actor": "kiosk-1"}).json()
    assert own["location"] == LOC and [e["action"] for e in own["events"]] == ["ticket.issued"]
    assert own["events"][0]["ticket_number"] == issued["number"]
    assert mia.get("/api/v1/audit-events", params={"location": "hoogvliet"}).status_code == 403
    exported = mia.get("/api/v1/audit-events", params={"format": "csv", "from": "2026-11-30", "to": "2026-11-30"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert exported.headers["content-type"].startswith("text/csv")
    assert {r["action"] for r in rows} == {"token.created", "ticket.issued", "account.created", "sign_in"}
    assert api.get("/api/v1/audit-events", make_token("host")).status_code == 403
    everywhere = api.get("/api/v1/audit-events", make_token("admin", None)).json()
    assert everywhere["location"] is None and {e["location"] for e in everywhere["events"]} >= {LOC, "hoogvliet"}
    page = mia.get(f"/manage/{LOC}/audit", params={"ticket": issued["number"], "day": "2026-11-30"})
    assert page.status_code == 200 and "kiosk-1" in page.text and "ticket.issued" in page.text
    assert "sign_in" not in page.text.split('id="audit-table"')[1]
    csv_page = mia.get(f"/manage/{LOC}/audit", params={"action": "sign_in", "format": "csv"})
    assert [r["actor_name"] for r in csv.DictReader(io.StringIO(csv_page.text))] == ["Mia"]


def test_housekeeping_forgets_records_past_the_retention_and_the_rest_still_verifies(
        db, clock: FixedClock, settings: Settings) -> None:
    import asyncio

    from queue_ticketing.services.group_commit import GroupCommit

    def note(uow: UnitOfWork) -> None:
        uow.record("desk.opened", LOC, target="balie-1")

    for _ in range(3):
        write_alone(db, clock, note, OPERATOR)
    clock.advance(days=20)
    for _ in range(2):
        write_alone(db, clock, note, OPERATOR)

    async def housekeeping() -> int:
        return (await forget_old(GroupCommit(db, clock), clock, audit_retention=timedelta(days=10))).audit_events

    assert asyncio.run(housekeeping()) == 3
    assert len(records(db)) == 2
    assert verify(settings.database_url).returncode == 0
