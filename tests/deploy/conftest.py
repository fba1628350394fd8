"""Fixtures for the deployment tests: new PostgreSQL databases, tokens, service processes."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from queue_ticketing.domain.clock import system_clock
from queue_ticketing.services.devices import create_device
from queue_ticketing.store.database import Database, normalise_url
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.unit_of_work import UnitOfWork
from tests.conftest import POSTGRES_URL
from tests.support.live_server import ProcessServer, free_port

NewDatabase = Callable[[], str]


@pytest.fixture(scope="module")
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


def make_token(database_url: str, role: str, location: str | None = "ijsselmonde") -> str:
    """A device token in the database at ``database_url`` (schema brought up to date first)."""
    db = Database(database_url)
    try:
        upgrade(db)
        with UnitOfWork(db, system_clock()) as uow:
            token = create_device(uow, role, location, f"{role}-{uuid.uuid4().hex[:6]}").token
            uow.commit()
    finally:
        db.dispose()
    return token


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
