"""The kiosk's case look-up and public reactions, tested twice: on the embedded case store, and with
the city's zaaksysteem as the case store (``GASTVRIJ_ZAKEN_API_URL``). The "city's zaaksysteem" is a
second Gastvrij, a child process (``python -m queue_ticketing serve``) with a database of its own, serving
its embedded Zaken and Catalogi APIs; the service under test reaches it over loopback HTTP as a ZGW client.

Import the fixtures into a test module:
``from tests.cases.both_modes import case_store, settings, zaaksysteem, zgw_client``. A module's tests share one
zaaksysteem process; each test finds it as new."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from location_config.zaaktypes import ZaakCatalogue
from queue_ticketing.domain.clock import FixedClock, system_clock
from queue_ticketing.services.zgw_auth import SCOPES, put_client
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.schema import metadata
from queue_ticketing.store.write_batch import write_alone
from tests.cases.conftest import SECRET, ClientMaker, Zgw
from tests.conftest import Api
from tests.support.live_server import ProcessServer, free_port

SERVICE_CLIENT = "gastvrij-kiosk-service"
SERVICE_SECRET = "the-kiosk-service-secret-at-the-zaaksysteem-0123456789"


@dataclass(frozen=True)
class CaseStore:
    """Where cases live: None for the embedded store, else the zaaksysteem's address and database."""

    url: str | None = None
    database: Database | None = None


@pytest.fixture(scope="module")
def zaaksysteem(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseStore]:
    """The city's zaaksysteem, one process for a module's tests: its start costs seconds of CPU, emptying
    its database costs milliseconds (``case_store`` empties it before each test)."""
    folder = tmp_path_factory.mktemp("zaaksysteem")
    database_url = f"sqlite:///{folder / 'zaaksysteem.sqlite'}"
    database = Database(database_url)
    upgrade(database)
    server = ProcessServer(database_url, free_port(), folder / "zaaksysteem.log").start()
    yield CaseStore(server.url, database)
    server.stop()
    database.dispose()


def _as_new(database: Database) -> None:
    """The zaaksysteem's database as its first start left it (every table empty: cases are numbered
    from 1 again), with only the service's own account in it. The zaaksysteem keeps nothing of a
    test in memory but the clients it verified, and each test puts the same ones again."""
    with database.write_connection() as conn, conn.begin():
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    write_alone(database, system_clock, lambda uow: put_client(uow, SERVICE_CLIENT, SERVICE_SECRET, list(SCOPES),
                                                               None, []))


@pytest.fixture(params=["embedded", "zaaksysteem"])
def case_store(request: pytest.FixtureRequest) -> CaseStore:
    if request.param == "embedded":
        return CaseStore()
    if "postgresql" in str(request.getfixturevalue("database_url")):
        pytest.skip("the zaaksysteem mode runs once, on SQLite: its cases live in the zaaksysteem, not in the "
                    "service's own database, so PostgreSQL adds nothing but a second zaaksysteem start")
    store: CaseStore = request.getfixturevalue("zaaksysteem")
    assert store.database is not None
    _as_new(store.database)
    return store


@pytest.fixture
def settings(settings: Settings, case_store: CaseStore) -> Settings:
    if case_store.url is None:
        return settings
    return settings.model_copy(update={
        "zaken_api_url": f"{case_store.url}/zaken/api/v1", "catalogi_api_url": f"{case_store.url}/catalogi/api/v1",
        "zgw_client_id": SERVICE_CLIENT, "zgw_client_secret": SERVICE_SECRET})


@pytest.fixture
def zgw_client(zgw_client: ClientMaker, case_store: CaseStore, clock: FixedClock,
               catalogue: ZaakCatalogue) -> ClientMaker:
    """Clients of the Zaken API where the cases live (the zaaksysteem in that mode; it keeps real time).
    The zaaksysteem remembers a verified client's scopes for 30 s, across tests: a client with other
    scopes or zaaktypes needs an id of its own."""
    if case_store.url is None or case_store.database is None:
        return zgw_client
    database = case_store.database

    def make(client_id: str = "behandelaar", scopes: list[str] | None = None,
             zaaktypes: list[str] | None = None) -> Zgw:
        write_alone(database, system_clock, lambda uow: put_client(uow, client_id, SECRET, scopes or list(SCOPES),
                                                                   zaaktypes, list(catalogue.zaaktypes)))
        return Zgw(Api(str(case_store.url)), client_id, clock, catalogue,
                   catalogi=f"{case_store.url}/catalogi/api/v1", signing_clock=system_clock)

    return make
