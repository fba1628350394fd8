"""What every answer carries and what the service trusts: security headers on every answer (also
errors), links never built from a foreign Host header, the public URL required beyond loopback,
the API documentation pages only on request, and a SQLite database readable by its owner only."""

from __future__ import annotations

import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.devices import create_device
from queue_ticketing.settings import Settings
from queue_ticketing.store.write_batch import write_alone
from tests.conftest import Api
from tests.support.live_server import ThreadServer, free_port


def serve(settings: Settings, clock: FixedClock) -> ThreadServer:
    return ThreadServer(create_app(settings, clock=clock)).start()


def token_of(live: ThreadServer, role: str) -> str:
    """A device token in the database of ``live`` (whatever database the other fixtures use)."""
    return write_alone(live.app.state.db, live.app.state.ctx.clock,
                       lambda uow: create_device(uow, role, "ijsselmonde", None).token)


@pytest.fixture
def without_public_url(sqlite_url: str, clock: FixedClock) -> Iterator[ThreadServer]:
    live = serve(Settings(database_url=sqlite_url, access_log=False), clock)
    yield live
    live.stop()


def test_every_answer_carries_the_security_headers_also_errors(api: Api) -> None:
    for path in ("/api/v1/health", "/api/v1/tickets/unknown", "/api/v1/locations/nowhere/queue",
                 "/api/v1/locations/ijsselmonde/assist-requests", "/metrics", "/openapi.json", "/nothing-here"):
        response = api.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "no-referrer", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
    page = api.get("/display/ijsselmonde")
    assert "script-src 'self'" in page.headers["content-security-policy"]  # a page keeps its own policy


def test_a_foreign_host_header_is_refused_and_no_link_follows_it(without_public_url: ThreadServer) -> None:
    api = Api(without_public_url.url)
    kiosk = token_of(without_public_url, "kiosk")
    foreign = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk, {"service": "paspoort"},
                       key=str(uuid.uuid4()), headers={"Host": "evil.example"})
    assert foreign.status_code == 400
    assert foreign.json()["code"] == "untrusted_host"
    ticket = api.issue(kiosk).json()
    assert ticket["mobile_url"].startswith(f"http://127.0.0.1:{without_public_url.port}/t/")
    zaken = api.get("/zaken/api/v1/zaken", headers={"Host": "evil.example"})
    assert zaken.json()["code"] == "untrusted_host"


def test_configured_trusted_hosts_are_answered_and_others_not(sqlite_url: str, clock: FixedClock) -> None:
    live = serve(Settings(database_url=sqlite_url, access_log=False,
                          trusted_hosts="gastvrij.rotterdam.nl, *.stadswinkel.test"), clock)
    try:
        def status(host: str) -> int:
            return requests.get(f"{live.url}/api/v1/health", headers={"Host": host}, timeout=10).status_code

        assert status("gastvrij.rotterdam.nl") == 200
        assert status("GASTVRIJ.rotterdam.nl:8443") == 200
        assert status("kiosk.ijsselmonde.stadswinkel.test") == 200
        assert status("127.0.0.1") == 400  # only what is configured
        assert status("gastvrij.rotterdam.nl.evil.example") == 400
    finally:
        live.stop()


def test_serving_beyond_loopback_without_a_public_url_stops_with_the_reason(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "queue_ticketing", "serve", "--host", "0.0.0.0", "--port",
                           str(free_port()), "--database-url", f"sqlite:///{tmp_path / 'g.sqlite'}"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "GASTVRIJ_PUBLIC_URL" in done.stderr
    assert not (tmp_path / "g.sqlite").exists()  # refused before touching the database


def test_the_api_documentation_pages_are_off_unless_asked_for(api: Api, sqlite_url: str, clock: FixedClock) -> None:
    for path in ("/docs", "/redoc", "/zaken/api/v1/schema"):
        assert api.get(path).status_code == 404, path
    assert api.get("/openapi.json").status_code == 200
    assert api.get("/zaken/api/v1/schema/openapi.json").status_code == 200
    live = serve(Settings(database_url=sqlite_url, access_log=False, api_docs=True), clock)
    try:
        for path in ("/docs", "/redoc", "/zaken/api/v1/schema"):
            page = requests.get(f"{live.url}{path}", timeout=10)
            assert page.status_code == 200, path
            policy = page.headers["content-security-policy"]
            assert "script-src 'unsafe-inline' https://cdn.jsdelivr.net" in policy
            assert "default-src 'none'" in policy
    finally:
        live.stop()


def test_the_sqlite_database_and_its_log_files_are_readable_by_their_owner_only(sqlite_url: str, tmp_path: Path,
                                                                               clock: FixedClock) -> None:
    live = serve(Settings(database_url=sqlite_url, access_log=False), clock)
    try:
        assert Api(live.url).issue(token_of(live, "kiosk")).status_code == 201
        files = [p for p in tmp_path.iterdir() if p.name.startswith("gastvrij.sqlite")]
        assert {p.name for p in files} >= {"gastvrij.sqlite", "gastvrij.sqlite-wal", "gastvrij.sqlite-shm"}
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    finally:
        live.stop()


def test_an_unusual_http_method_is_counted_as_other(api: Api, make_token) -> None:
    for method in ("PROPFIND", "MKCOL", "UNLOCK"):
        requests.request(method, f"{api.base}/api/v1/health", timeout=10)
    metrics = api.get("/metrics", make_token("ops", None)).text
    assert "PROPFIND" not in metrics
    assert 'method="other"' in metrics
