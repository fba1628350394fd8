"""Fixtures for the deployment tests: new PostgreSQL databases, tokens, service processes, and nginx
before two of them (``stack``)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from queue_ticketing.domain.clock import system_clock
from queue_ticketing.services.devices import create_device
from queue_ticketing.store.database import Database, normalise_url
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.write_batch import write_alone
from tests.conftest import POSTGRES_URL
from tests.support.live_server import ProcessServer, free_port
from tests.support.sse import SseReader

from .stack import Nginx

NewDatabase = Callable[[], str]


@pytest.fixture(scope="package")
def new_postgres_database() -> Iterator[NewDatabase]:
    """Creates empty PostgreSQL databases on the machine's server (dropped at the end)."""
    admin_url = normalise_url(POSTGRES_URL)
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {type(error).__name__}: {error}".splitlines()[0])
    made: list[str] = []

    def new() -> str:
        name = f"gastvrij_deploy_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"

    yield new
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


HEARTBEAT_SECONDS = 5.0
"""Short in the test; the idle stream below still stays quiet for the full two minutes."""
IDLE_SECONDS = 120.0


@dataclass
class Stack:
    nginx: Nginx
    processes: list[ProcessServer]
    kiosk: str
    desks: dict[str, str]
    """A desk token for balie-1 and one for balie-2 (a desk calls only at its own desk)."""
    hoogvliet_kiosk: str
    ops: str
    idle_stream: SseReader
    """Opened on hoogvliet when the stack started; nothing happens there until the last test of
    the package (see ``pytest_collection_modifyitems``)."""
    idle_since: float

    def post(self, path: str, token: str, body: object = None, *, raw: bytes | None = None,
             key: bool = True) -> requests.Response:
        """POST through nginx; ``raw`` sends those bytes as the JSON body instead of ``body``."""
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        data = raw if raw is not None else json.dumps(body).encode()
        return requests.post(f"{self.nginx.url}{path}", data=data, headers=headers, verify=self.nginx.certificate,
                             timeout=10)


@pytest.fixture(scope="package")
def stack(new_postgres_database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    """Debian's nginx with the shipped site before two service processes on one new PostgreSQL database."""
    folder = tmp_path_factory.mktemp("nginx-stack")
    database = new_postgres_database()
    kiosk = make_token(database, "kiosk")
    desks = {desk: make_token(database, "desk", desk=desk) for desk in ("balie-1", "balie-2")}
    hoogvliet_kiosk = make_token(database, "kiosk", "hoogvliet")
    ops = make_token(database, "ops", None)
    env = {"GASTVRIJ_SSE_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS), "GASTVRIJ_HOUSEKEEPING": "false"}
    processes = [ProcessServer(database, free_port(), folder / f"server-{i}.log", env=env).start() for i in (1, 2)]
    nginx = Nginx(folder / "nginx", [p.port for p in processes]).start()
    idle = SseReader(f"{nginx.url}/api/v1/locations/hoogvliet/events", verify=nginx.certificate)
    try:
        yield Stack(nginx, processes, kiosk, desks, hoogvliet_kiosk, ops, idle, time.monotonic())
    finally:
        idle.close()
        for process in processes:  # first: they end their streams, so nginx has nothing left to wait for
            process.stop()
        nginx.stop()


def make_token(database_url: str, role: str, location: str | None = "ijsselmonde", desk: str | None = None) -> str:
    """A device token in the database at ``database_url`` (schema brought up to date first); a desk
    token made for ``desk``."""
    db = Database(database_url)
    try:
        upgrade(db)
        return write_alone(db, system_clock,
                           lambda uow: create_device(uow, role, location, f"{role}-{uuid.uuid4().hex[:6]}", desk).token)
    finally:
        db.dispose()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., ProcessServer]]:
    """``start_server(url, port=None, **env)``: ``python -m queue_ticketing serve`` as a child process;
    every one still running is stopped at the end."""
    started: list[ProcessServer] = []

    def start(database_url: str, port: int | None = None, **env: str) -> ProcessServer:
        port = port or free_port()
        server = ProcessServer(database_url, port, tmp_path / f"server-{port}.log", env=env).start()
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()


QUIET_STREAM_TEST = "test_an_event_stream_stays_open_through_nginx_for_two_quiet_minutes"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The nginx tests first and their two-quiet-minutes check last: the other deployment tests run
    while the stream waits, instead of the suite waiting two minutes for it."""
    here = Path(__file__).parent
    deploy = [item for item in items if item.path.is_relative_to(here)]
    if not deploy:
        return

    def rank(item: pytest.Item) -> int:
        if item.name == QUIET_STREAM_TEST:
            return 2
        return 0 if item.path.name == "test_nginx.py" else 1

    at = items.index(deploy[0])
    others = [item for item in items if not item.path.is_relative_to(here)]
    items[:] = others[:at] + sorted(deploy, key=rank) + others[at:]
