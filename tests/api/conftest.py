"""Fixtures for the API tests on top of tests/conftest.py.

``world``: one real server per database for a whole test module (the authorisation matrix makes
hundreds of requests; starting a server per request would make it slow), with its own clock and
a token for every role at ijsselmonde and at hoogvliet.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import pytest

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.devices import create_device
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.write_batch import write_alone
from tests.conftest import AMSTERDAM, Api, _empty_postgres
from tests.support.live_server import ThreadServer

ROLES = ("kiosk", "robot", "display", "desk", "host", "manager", "integration", "ops", "admin")
PERSON_ONLY = ("manager",)
"""Roles only a person holds: their caller signs in at /sign-in and calls with that session."""
CITY_WIDE = ("ops", "admin")
"""Roles whose tokens belong to no location."""
HOME = "ijsselmonde"
ELSEWHERE = "hoogvliet"
DESK_OF_DESK = "balie-3"
"""The desk a ``desk`` token of the world is made for (a desk acts only at its own desk)."""


@dataclass
class World:
    """A live server shared by the tests of one module, its clock and tokens per (role, location);
    a desk's token is made for :data:`DESK_OF_DESK`."""

    api: Api
    clock: FixedClock
    db: Database
    tokens: dict[tuple[str, str | None], str] = field(default_factory=dict)

    def token(self, role: str, location: str | None = HOME) -> str:
        location = None if role in CITY_WIDE else location
        if (role, location) not in self.tokens and role in PERSON_ONLY:
            from tests.conftest import PERSON
            from tests.support.people import add_person, sign_in

            email = f"{role}-{location}@rotterdam.nl"
            add_person(self.db, self.clock, email, role, location)
            self.tokens[(role, location)] = PERSON + sign_in(self.api.base, email).secret
        if (role, location) not in self.tokens:
            desk = DESK_OF_DESK if role == "desk" else None
            self.tokens[(role, location)] = write_alone(
                self.db, self.clock, lambda uow: create_device(uow, role, location, None, desk).token)
        return self.tokens[(role, location)]

    @property
    def admin(self) -> str:
        return self.token("admin")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('world') / 'gastvrij.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_server_url")
        _empty_postgres(url)
    clock = FixedClock(datetime(2026, 11, 30, 9, 0, tzinfo=AMSTERDAM))
    settings = Settings(database_url=url, access_log=False, sse_heartbeat_seconds=0.5,
                        public_url="https://gastvrij.test")
    db = Database(url)
    upgrade(db)
    live = ThreadServer(create_app(settings, clock=clock)).start()
    try:
        yield World(Api(live.url), clock, db)
    finally:
        live.stop()
        db.dispose()


def new_key() -> str:
    return str(uuid.uuid4())
