"""Fixtures for the case tests: Zaken API clients with JWTs, the packaged zaaktypes, and helpers
that speak ZGW to the live server (tests/conftest.py: ``server``, ``api``, ``database_url``, ``clock``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest
import requests

from location_config.zaaktypes import ZaakCatalogue, load_zaaktypes
from queue_ticketing.domain import cases as domain_cases
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.zgw_auth import SCOPES, put_client
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.write_batch import write_alone
from tests.conftest import Api

ZAKEN = "/zaken/api/v1"
RSIN = "002220647"
SECRET = "a-secret-of-at-least-thirty-two-characters"
CATALOGI = "https://gastvrij.test/catalogi/api/v1"


@pytest.fixture(autouse=True)
def cheap_address_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Initiators' addresses hashed with scrypt at a cost of 2**4 instead of 2**14 (50 ms of CPU for every
    rol and every look-up, some 150 times in these tests). The same code hashes and compares; the
    production cost is pinned in tests/domain/test_address_hashes.py; the zaaksysteem process still pays it."""
    monkeypatch.setattr(domain_cases, "_SCRYPT", {**domain_cases._SCRYPT, "n": 2**4})


@pytest.fixture(scope="session")
def catalogue() -> ZaakCatalogue:
    return load_zaaktypes()


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_url)
    upgrade(database)
    yield database
    database.dispose()


def make_jwt(client_id: str, secret: str, iat: float, **claims: Any) -> str:
    return jwt.encode({"iss": client_id, "iat": int(iat), "client_id": client_id, "user_id": "tester",
                       "user_representation": "Tester", **claims}, secret, algorithm="HS256")


@dataclass
class Zgw:
    """The Zaken API as one client sees it: requests signed with that client's JWT."""

    api: Api
    client_id: str
    clock: FixedClock
    catalogue: ZaakCatalogue
    secret: str = SECRET
    catalogi: str = CATALOGI
    """Where the server's Catalogi API hands out its types."""
    signing_clock: Callable[[], datetime] | None = None
    """The clock JWTs are signed by (the server's); default ``clock``."""

    def headers(self) -> dict[str, str]:
        now = (self.signing_clock or self.clock)().timestamp()
        return {"Authorization": f"Bearer {make_jwt(self.client_id, self.secret, now)}",
                "Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}

    def _url(self, path: str) -> str:
        if path.startswith("http"):  # a link the API gave, on its public address: ask the test server
            parts = urlsplit(path)
            return f"{self.api.base}{parts.path}" + (f"?{parts.query}" if parts.query else "")
        return f"{self.api.base}{ZAKEN}{path}"

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.api.session.get(self._url(path), headers=self.headers(), params=params, timeout=10)

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return self.api.session.post(f"{self.api.base}{ZAKEN}{path}", headers=self.headers(), json=body, timeout=10)

    def patch(self, url: str, body: dict[str, Any]) -> requests.Response:
        return self.api.session.patch(self._url(url), headers=self.headers(), json=body, timeout=10)

    # -- conveniences in the words of the catalogue

    def type_url(self, kind: str, uuid_: str) -> str:
        """Where the service's own Catalogi API serves a type (on its public address)."""
        return f"{self.catalogi}/{kind}/{uuid_}"

    def zaaktype_url(self, zaaktype: str) -> str:
        return self.type_url("zaaktypen", self.catalogue.zaaktypes[zaaktype].uuid)

    def statustype_url(self, zaaktype: str, volgnummer: int) -> str:
        statustype = next(s for s in self.catalogue.zaaktypes[zaaktype].statustypen if s.volgnummer == volgnummer)
        return self.type_url("statustypen", statustype.uuid)

    def end_statustype_url(self, zaaktype: str) -> str:
        return self.type_url("statustypen", self.catalogue.zaaktypes[zaaktype].statustypen[-1].uuid)

    def resultaattype_url(self, zaaktype: str) -> str:
        return self.type_url("resultaattypen", self.catalogue.zaaktypes[zaaktype].resultaattypen[0].uuid)

    def initiator_url(self, zaaktype: str) -> str:
        return self.type_url("roltypen", self.catalogue.zaaktypes[zaaktype].initiator.uuid)

    def create_zaak(self, zaaktype: str = "achterstallig_woningonderhoud", **fields: Any) -> requests.Response:
        body = {"bronorganisatie": RSIN, "zaaktype": self.zaaktype_url(zaaktype), "verantwoordelijkeOrganisatie": RSIN,
                "startdatum": self.clock().date().isoformat(), "omschrijving": "Lekkage in de badkamer", **fields}
        return self.post("/zaken", body)

    def set_status(self, zaak_url: str, statustype_url: str, **fields: Any) -> requests.Response:
        return self.post("/statussen", {"zaak": zaak_url, "statustype": statustype_url,
                                        "datumStatusGezet": self.clock().isoformat(), **fields})

    def add_initiator(self, zaak_url: str, zaaktype: str, postcode: str = "3078 AK",
                      huisnummer: int = 16, **person: Any) -> requests.Response:
        return self.post("/rollen", {
            "zaak": zaak_url, "betrokkeneType": "natuurlijk_persoon", "roltype": self.initiator_url(zaaktype),
            "roltoelichting": "Melder", "betrokkeneIdentificatie": {
                "inpBsn": "999993653", "geslachtsnaam": "Jansen", "voornamen": "Anna",
                "verblijfsadres": {"aoaPostcode": postcode, "aoaHuisnummer": huisnummer,
                                   "gorOpenbareRuimteNaam": "Herenwaard", "wplWoonplaatsNaam": "Rotterdam"},
                **person}})


ClientMaker = Callable[..., Zgw]


@pytest.fixture
def zgw_client(api: Api, db: Database, clock: FixedClock, catalogue: ZaakCatalogue) -> ClientMaker:
    """``zgw_client("behandelaar", scopes=[...], zaaktypes=[...])``: a client in the database and its view."""

    def make(client_id: str = "behandelaar", scopes: list[str] | None = None,
             zaaktypes: list[str] | None = None) -> Zgw:
        write_alone(db, clock, lambda uow: put_client(uow, client_id, SECRET, scopes or list(SCOPES), zaaktypes,
                                                      list(catalogue.zaaktypes)))
        return Zgw(api, client_id, clock, catalogue)

    return make


@pytest.fixture
def zgw(zgw_client: ClientMaker) -> Zgw:
    """A client with every scope for every zaaktype."""
    return zgw_client()
