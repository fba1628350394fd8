"""Fixtures: databases (SQLite file and the machine's PostgreSQL), a clock, the real server, tokens."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import create_engine, text

from location_config import load_all
from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.devices import create_device
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database, normalise_url
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.schema import metadata
from queue_ticketing.store.write_batch import write_alone
from tests.support.live_server import ThreadServer

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
POSTGRES_URL = os.environ.get("GASTVRIJ_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def locations():  # type: ignore[no-untyped-def]
    return load_all()


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL for this test session (dropped afterwards)."""
    admin_url = normalise_url(POSTGRES_URL)
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {type(error).__name__}: {error}".splitlines()[0])
    name = f"gastvrij_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    db = Database(url)
    upgrade(db)
    db.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(t.name for t in metadata.sorted_tables)))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database at the newest schema, made once per session: a test's copy of it costs a
    millisecond, migrating a new file about a tenth of a second of CPU."""
    path = tmp_path_factory.mktemp("migrated") / "gastvrij.sqlite"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every store test runs twice: on a SQLite file and on PostgreSQL, each at the newest schema
    with no rows."""
    if request.param == "sqlite":
        path = tmp_path / "gastvrij.sqlite"
        template, copy = sqlite3.connect(request.getfixturevalue("migrated_sqlite")), sqlite3.connect(path)
        template.backup(copy)
        template.close()
        copy.close()
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_server_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gastvrij.sqlite'}"


@pytest.fixture
def clock() -> FixedClock:
    """Monday 30 November 2026, 09:00 in Rotterdam."""
    return FixedClock(datetime(2026, 11, 30, 9, 0, tzinfo=AMSTERDAM))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, access_log=False, sse_heartbeat_seconds=0.5,
                    public_url="https://gastvrij.test")


@pytest.fixture
def server(settings: Settings, clock: FixedClock) -> Iterator[ThreadServer]:
    """The real central service on a loopback port, with the test's clock."""
    live = ThreadServer(create_app(settings, clock=clock)).start()
    yield live
    live.stop()


@pytest.fixture
def make_token(settings: Settings, clock: FixedClock) -> Iterator[Callable[..., str]]:
    """Create a device token: ``make_token("kiosk")``, ``make_token("host", "hoogvliet")``, or a desk
    token made for one desk, ``make_token("desk", desk="balie-2")`` (without ``desk``: a desk token
    that sits at the desk whose page it opens, and at no desk through the API alone)."""
    db = Database(settings.database_url)
    upgrade(db)

    def make(role: str, location: str | None = "ijsselmonde", name: str | None = None, desk: str | None = None) -> str:
        return write_alone(db, clock, lambda uow: create_device(uow, role, location, name, desk).token)

    yield make
    db.dispose()


PERSON = "person:"
"""A credential of the tests that is a person's session (``person:<secret>``), not a device token."""


def credential_headers(token: str) -> dict[str, str]:
    """How a credential travels: a device token as a bearer token; a person's session as the
    browser sends it, its cookie and (for a change) the page's anti-forgery token."""
    if token.startswith(PERSON):
        from queue_ticketing.services.auth import csrf_token

        secret = token.removeprefix(PERSON)
        return {"Cookie": f"gastvrij_staff={secret}", "X-CSRF-Token": csrf_token(secret)}
    return {"Authorization": f"Bearer {token}"}


class Api:
    """A small HTTP helper bound to the live server; every call is a real request on loopback."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()

    def request(self, method: str, path: str, token: str | None = None, key: str | None = None,
                **kwargs: object) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})  # type: ignore[call-overload]
        if token:
            headers.update(credential_headers(token))
        if key:
            headers["Idempotency-Key"] = key
        return self.session.request(method, f"{self.base}{path}", headers=headers, timeout=10, **kwargs)

    def get(self, path: str, token: str | None = None, **kwargs: object) -> requests.Response:
        return self.request("GET", path, token, **kwargs)

    def post(self, path: str, token: str | None = None, json: object = None, key: str | None = None,
             **kwargs: object) -> requests.Response:
        return self.request("POST", path, token, key, json=json, **kwargs)

    def issue(self, token: str, service: str = "paspoort", location: str = "ijsselmonde",
              **body: object) -> requests.Response:
        return self.post(f"/api/v1/locations/{location}/tickets", token, {"service": service, **body},
                         key=str(uuid.uuid4()))

    def call_next(self, token: str, desk: str = "balie-1", location: str = "ijsselmonde") -> requests.Response:
        return self.post(f"/api/v1/locations/{location}/desks/{desk}/call-next", token, key=str(uuid.uuid4()))


@pytest.fixture
def api(server: ThreadServer) -> Api:
    return Api(server.url)


FIRST = ("deploy/", "cases/conformance/")
"""What mostly waits (nginx and its quiet stream, a rolling restart, backups and upgrades under load,
newman's runs of VNG's collections): handed out first, while the other worker runs the rest."""
SHARED_WORKER = {"deploy/test_nginx.py": "deploy", "deploy/test_rolling_restart.py": "deploy",
                 "deploy/test_systemd_units.py": "deploy"}
"""Modules that run on one worker, in the order tests/deploy/conftest.py gives them: test_nginx.py's stack
and enough other deployment tests to fill its two quiet minutes (its stream waits while they run)."""


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0].removeprefix("tests/")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``make test`` runs the suite on three pytest-xdist workers. A module's tests stay on one worker, so
    its server, browser or provider starts once; ``SHARED_WORKER`` keeps those modules together; the
    modules are handed out in the workers' order (``FIRST`` first), not largest first."""
    from xdist.scheduler import LoadScopeScheduling

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = _module(nodeid)
            return SHARED_WORKER.get(module, module)

    config.option.loadscopereorder = False
    return ModuleScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a pytest-xdist worker, ``FIRST`` comes first (the order in which the modules are handed out)."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: not _module(item.nodeid).startswith(FIRST))
