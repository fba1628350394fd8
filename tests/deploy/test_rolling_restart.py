"""A rolling restart behind the shipped nginx site: stop one service process, start it again, then
the other, while kiosks issue tickets through nginx, retrying with their Idempotency-Key as the
client library does. No request fails and every acknowledged ticket is stored exactly once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from queue_ticketing.store.database import normalise_url
from queue_ticketing.store.schema import tickets
from tests.support.live_server import ProcessServer, free_port, wait_until

from .conftest import make_token
from .load import TicketLoad
from .stack import Nginx, missing_parts

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(missing_parts() is not None, reason=str(missing_parts()))]

STEP = 40
"""Tickets acknowledged between two steps of the restart."""


def served_by(nginx: Nginx, port: int, after_line: int) -> bool:
    """Whether nginx has handed a ticket issue to the process on ``port`` since log line ``after_line``."""
    for line in nginx.access_log().splitlines()[after_line:]:
        entry = json.loads(line)
        if entry["upstream"].split(", ")[-1] == f"127.0.0.1:{port}" and entry["status"] == 201:
            return True
    return False


def test_a_rolling_restart_under_load_fails_no_request_and_stores_every_acknowledged_ticket_once(
        new_postgres_database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    database = new_postgres_database()
    kiosk = make_token(database, "kiosk")
    processes = [ProcessServer(database, free_port(), tmp_path / f"server-{i}.log",
                               env={"GASTVRIJ_HOUSEKEEPING": "false"}).start() for i in (1, 2)]
    nginx = Nginx(tmp_path / "nginx", [p.port for p in processes]).start()
    try:
        with TicketLoad(nginx.url, kiosk, clients=4, verify=nginx.certificate) as load:

            def goes_on(what: str) -> None:
                target = load.count() + STEP
                wait_until(lambda: load.count() >= target, 60, what=f"{STEP} tickets {what}")

            goes_on("before the restart")
            for process in processes:
                process.stop()  # SIGTERM, as systemctl restart sends it
                goes_on(f"while the process on {process.port} is down")
                log_lines = len(nginx.access_log().splitlines())
                process.start()  # returns once it answers its health check
                # nginx tries a process that refused it again after fail_timeout: only then is it
                # safe to stop the other one (deploy/rolling-restart.sh waits the same way).
                wait_until(lambda p=process, n=log_lines: served_by(nginx, p.port, n), 30,  # type: ignore[misc]
                           what=f"nginx sending requests to {process.port} again")
            goes_on("after the restart")
        report = load.report
    finally:
        nginx.stop()
        for process in processes:
            process.stop()

    assert report.failed_attempts == [], f"clients saw {len(report.failed_attempts)} failures"
    assert report.given_up == 0
    acknowledged = [a.id for a in report.acknowledged]
    assert len(acknowledged) == len(set(acknowledged))
    engine = create_engine(normalise_url(database))
    with engine.connect() as conn:
        stored = {row.id: row.number for row in conn.execute(select(tickets.c.id, tickets.c.number))}
    engine.dispose()
    assert set(stored) == set(acknowledged), "a ticket is missing, or a retry issued a second one"
    assert len(set(stored.values())) == len(stored)
