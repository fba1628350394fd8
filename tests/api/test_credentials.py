"""Credentials: device tokens listed and revoked from the command line (effective within seconds on
every server process), staff sessions kept by the server (their own secret, idle and absolute
expiry, sign-out), the sign-in form without JavaScript, no credential in an address, /metrics for
ops only or on a loopback port, and the staff screens' answers kept by no cache.

Real parts throughout: the server on loopback (in a thread, or as processes for the cross-process
test), the command line as a subprocess, SQLite and PostgreSQL. ``requests`` would not send a
Secure cookie over http://, so the tests send the Cookie header themselves, as the browser does on
127.0.0.1."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from sqlalchemy import select

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock, system_clock
from queue_ticketing.services.auth import Authenticator, Bearer
from queue_ticketing.services.group_commit import GroupCommit
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.schema import staff_sessions
from tests.conftest import Api
from tests.support.live_server import ProcessServer, ThreadServer, free_port, wait_until
from tests.support.sse import SseReader

HOST = "/host/ijsselmonde"
DESK = "/desk/ijsselmonde"
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}


def cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "queue_ticketing", *args, "--database-url", database_url],
                          capture_output=True, text=True, timeout=60, env={**os.environ})


def sign_in(base: str, token: str, screen: str = HOST) -> dict[str, str]:
    """Sign in as the page's script does; the Cookie header a browser would send from then on."""
    response = requests.post(f"{base}{screen}/session", json={"token": token}, timeout=10)
    assert response.status_code == 204, response.text
    name, value = response.headers["set-cookie"].split(";")[0].split("=", 1)
    return {"Cookie": f"{name}={value}"}


def whoami(base: str, cookie: dict[str, str], screen: str = HOST) -> int:
    return requests.get(f"{base}{screen}/session", headers=cookie, timeout=10).status_code


def sessions(url: str) -> list[dict[str, object]]:
    db = Database(url)
    try:
        with db.read() as conn:
            return [dict(row._mapping) for row in conn.execute(select(staff_sessions))]
    finally:
        db.dispose()


# ---------------------------------------------------------------------------------------------------
# tokens list / revoke


def test_tokens_list_shows_devices_and_their_open_sessions_but_never_a_token(make_token,
                                                                             settings: Settings) -> None:
    host = make_token("host", name="gastheer-1")
    make_token("kiosk", name="kiosk-ingang")
    db = Database(settings.database_url)
    try:  # signed in now (the command line counts by the real clock, not a test server's)
        asyncio.run(Authenticator(db, GroupCommit(db, system_clock), system_clock).sign_in(
            host, "events.hosts", "ijsselmonde"))
    finally:
        db.dispose()
    listed = cli("tokens", "list", database_url=settings.database_url)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "ROLE", "LOCATION", "DESK", "CREATED", "(UTC)", "STATE", "OPEN",
                                "SESSIONS"]
    rows = {line.split()[1]: line.split() for line in lines[1:]}
    assert rows["gastheer-1"][2:4] == ["host", "ijsselmonde"] and rows["gastheer-1"][-1] == "1"
    assert rows["kiosk-ingang"][-1] == "0"
    assert host not in listed.stdout


def test_tokens_revoke_by_name_or_id_and_refuses_an_ambiguous_or_unknown_name(make_token,
                                                                            settings: Settings) -> None:
    first = make_token("kiosk", name="kiosk-1")
    make_token("kiosk", name="twin")
    make_token("kiosk", name="twin")
    url = settings.database_url

    ambiguous = cli("tokens", "revoke", "twin", database_url=url)
    assert ambiguous.returncode == 2 and "2 devices are called 'twin'" in ambiguous.stderr
    unknown = cli("tokens", "revoke", "nobody", database_url=url)
    assert unknown.returncode == 1 and "no device with id or name 'nobody'" in unknown.stderr

    revoked = cli("tokens", "revoke", "kiosk-1", database_url=url)
    assert revoked.returncode == 0, revoked.stderr
    assert "revoked device" in revoked.stdout and "(kiosk-1)" in revoked.stdout
    twin_id = cli("tokens", "list", database_url=url).stdout.split("twin")[0].splitlines()[-1].split()[0]
    assert cli("tokens", "revoke", twin_id, database_url=url).returncode == 0
    assert "twin" in cli("tokens", "list", database_url=url).stdout, "the other twin is still active"
    again = cli("tokens", "revoke", "kiosk-1", database_url=url)
    assert again.returncode == 0 and "already revoked" in again.stdout

    everything = cli("tokens", "list", "--all", database_url=url).stdout
    assert "kiosk-1" not in cli("tokens", "list", database_url=url).stdout
    assert "revoked" in everything.split("kiosk-1")[1].splitlines()[0]
    assert first not in everything


@pytest.fixture
def quick_revocation(monkeypatch: pytest.MonkeyPatch) -> float:
    """Server processes that remember a good credential for 1 s and beat their streams every 0.5 s."""
    monkeypatch.setenv("GASTVRIJ_AUTH_CACHE_SECONDS", "1")
    monkeypatch.setenv("GASTVRIJ_SSE_HEARTBEAT_SECONDS", "0.5")
    return 1.0


def test_a_revoked_token_stops_working_within_seconds_on_every_server_process(
        database_url: str, make_token, tmp_path: Path, quick_revocation: float) -> None:
    """As a bearer token, through its staff sessions, and on an open hosts' stream; the revocation
    comes from another process (the command line), so nothing but the database tells the servers."""
    processes = 2 if database_url.startswith("postgresql") else 1  # SQLite runs one server process
    servers = [ProcessServer(database_url, free_port(), tmp_path / f"server-{i}.log").start()
               for i in range(processes)]
    try:
        host = make_token("host", name="host-to-revoke")
        kept = make_token("host", name="host-kept")
        assists = "/api/v1/locations/ijsselmonde/assist-requests"
        cookies = []
        for server in servers:  # every process has the token and a session in its cache
            assert requests.get(server.url + assists, headers={"Authorization": f"Bearer {host}"},
                                timeout=10).status_code == 200
            cookies.append(sign_in(server.url, host))
            assert whoami(server.url, cookies[-1]) == 200
        stream = SseReader(servers[-1].url + f"{HOST}/events", headers=cookies[-1])
        assert not stream.ended(1.0), "the hosts' stream is open"

        revoked = cli("tokens", "revoke", "host-to-revoke", database_url=database_url)
        assert revoked.returncode == 0, revoked.stderr
        assert f"{processes} staff session(s) ended" in revoked.stdout
        started = time.monotonic()

        def refused_everywhere() -> bool:
            return all(requests.get(s.url + assists, headers={"Authorization": f"Bearer {host}"},
                                    timeout=10).status_code == 401 and whoami(s.url, c) == 401
                       for s, c in zip(servers, cookies, strict=True))

        wait_until(refused_everywhere, quick_revocation + 3, interval=0.1, what="the revoked token refused")
        assert stream.ended(quick_revocation + 3), "the hosts' stream of the revoked token ended"
        assert time.monotonic() - started < quick_revocation + 3
        for server in servers:  # another token of the same role is untouched
            assert requests.get(server.url + assists, headers={"Authorization": f"Bearer {kept}"},
                                timeout=10).status_code == 200
        assert {row["ended_why"] for row in sessions(database_url)} == {"revoked"}
    finally:
        for server in servers:
            server.stop()


# ---------------------------------------------------------------------------------------------------
# staff sessions


def test_the_cookie_holds_a_session_secret_of_its_own_never_the_token(api: Api, make_token,
                                                                      settings: Settings) -> None:
    host = make_token("host")
    cookie = sign_in(api.base, host)
    secret = cookie["Cookie"].split("=", 1)[1]
    assert secret != host and len(secret) >= 40
    stored = sessions(settings.database_url)
    assert [row["id"] for row in stored] == [hashlib.sha256(secret.encode()).hexdigest()]
    assert stored[0]["subject_kind"] == "device" and stored[0]["role"] == "host"
    assert api.get("/api/v1/devices/me", secret).status_code == 401, "a session secret is no bearer token"
    assert whoami(api.base, {"Cookie": f"gastvrij_host={host}"}) == 401, "a token is no session cookie"


def test_a_session_ends_when_unused_for_the_idle_limit_and_use_keeps_it_alive(api: Api, make_token,
                                                                              clock: FixedClock) -> None:
    cookie = sign_in(api.base, make_token("host"))  # idle limit 2 h, absolute 12 h (the defaults)
    clock.advance(minutes=100)
    assert whoami(api.base, cookie) == 200
    clock.advance(minutes=100)
    assert whoami(api.base, cookie) == 200, "used 100 minutes ago"
    clock.advance(minutes=121)
    response = requests.get(f"{api.base}{HOST}/session", headers=cookie, timeout=10)
    assert (response.status_code, response.json()["code"]) == (401, "signed_out")
    clock.advance(minutes=-200)  # and it stays over, even were the clock to go back
    assert whoami(api.base, cookie) == 401


def test_a_session_ends_at_its_absolute_limit_however_busy(api: Api, make_token, clock: FixedClock) -> None:
    cookie = sign_in(api.base, make_token("desk"), DESK)
    for _ in range(11):
        clock.advance(hours=1)
        assert whoami(api.base, cookie, DESK) == 200
    clock.advance(hours=1)
    assert whoami(api.base, cookie, DESK) == 401
    page = requests.get(f"{api.base}{DESK}/balie-1?lang=en", headers=cookie, timeout=10)
    assert 'id="sign-in-form"' in page.text and "Your sign-in has ended" in page.text


def test_signing_out_ends_the_session_on_the_server_not_only_in_the_browser(api: Api, make_token,
                                                                            settings: Settings) -> None:
    cookie = sign_in(api.base, make_token("host"))
    out = requests.delete(f"{api.base}{HOST}/session", headers=cookie, timeout=10)
    assert out.status_code == 204 and "max-age=0" in out.headers["set-cookie"].lower()
    # A copy of the cookie kept elsewhere is worth nothing now.
    assert whoami(api.base, cookie) == 401
    forwarded = requests.get(f"{api.base}{HOST}/api/locations/ijsselmonde/assist-requests", headers=cookie,
                             timeout=10)
    assert (forwarded.status_code, forwarded.json()["code"]) == (401, "signed_out")
    assert [row["ended_why"] for row in sessions(settings.database_url)] == ["signed_out"]


# ---------------------------------------------------------------------------------------------------
# the sign-in form without JavaScript; no credential in an address


def test_the_sign_in_form_posts_to_the_page_itself_and_works_without_javascript(api: Api, make_token) -> None:
    page = requests.get(f"{api.base}{HOST}", timeout=10).text
    assert f'<form id="sign-in-form" method="post" action="{HOST}"' in page
    response = requests.post(f"{api.base}{HOST}", data=urlencode({"token": make_token("host")}), headers=FORM,
                             allow_redirects=False, timeout=10)
    assert response.status_code == 303 and response.headers["location"] == HOST
    name, value = response.headers["set-cookie"].split(";")[0].split("=", 1)
    signed_in = requests.get(f"{api.base}{HOST}", headers={"Cookie": f"{name}={value}"}, timeout=10)
    assert 'id="issue-form"' in signed_in.text, "the dashboard itself"

    desk = requests.post(f"{api.base}{DESK}/balie-2", data=urlencode({"token": make_token("desk")}), headers=FORM,
                         allow_redirects=False, timeout=10)
    assert desk.status_code == 303 and desk.headers["location"] == f"{DESK}/balie-2"


@pytest.mark.parametrize(("who", "status", "text"), [
    ("unknown", 401, "This token is unknown or has been revoked."),
    ("desk", 403, "This token belongs to another kind of device"),
    ("host@hoogvliet", 403, "This token belongs to another location."),
    ("nobody", 422, "Something in the form is missing or not right."),
])
def test_a_refused_form_sign_in_shows_the_page_again_saying_why(api: Api, make_token, who: str, status: int,
                                                                text: str) -> None:
    token = {"unknown": lambda: "no-such-token", "desk": lambda: make_token("desk"),
             "host@hoogvliet": lambda: make_token("host", "hoogvliet"), "nobody": lambda: ""}[who]()
    response = requests.post(f"{api.base}{HOST}?lang=en", data=urlencode({"token": token}), headers=FORM,
                             allow_redirects=False, timeout=10)
    assert response.status_code == status
    assert "gastvrij_host" not in response.headers.get("set-cookie", ""), "no session"
    assert 'id="sign-in-form"' in response.text and text in response.text
    assert 'aria-invalid="true"' in response.text


@pytest.mark.parametrize("body", ["a=1&b=2&c=3&d=4&e=5&token=x", "token=%00%FF%C0", "token=" + "x" * 5000, "%%%"])
def test_a_malformed_sign_in_form_is_refused_with_the_page_never_a_500(api: Api, body: str) -> None:
    response = requests.post(f"{api.base}{HOST}", data=body, headers=FORM, allow_redirects=False, timeout=10)
    assert response.status_code in (401, 422), response.text
    assert 'id="sign-in-form"' in response.text


def test_a_sign_in_posted_from_another_site_is_refused(api: Api, make_token) -> None:
    for foreign in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": None, "Origin": "https://evil.example"}):
        headers = {k: v for k, v in {**FORM, **foreign}.items() if v is not None}
        response = requests.post(f"{api.base}{HOST}", data=urlencode({"token": make_token("host")}),
                                 headers=headers, allow_redirects=False, timeout=10)
        assert response.status_code == 403 and "set-cookie" not in response.headers


def test_a_token_is_never_accepted_in_an_address(api: Api, make_token) -> None:
    kiosk, host = make_token("kiosk"), make_token("host")
    for name in ("token", "access_token"):
        refused = api.get(f"/api/v1/devices/me?{name}={kiosk}")
        assert (refused.status_code, refused.json()["code"]) == (400, "credential_in_query")
        assert kiosk not in refused.text
    page = requests.get(f"{api.base}{HOST}?token={host}", timeout=10)
    assert page.status_code == 200 and 'id="sign-in-form"' in page.text
    assert "gastvrij_host" not in page.headers.get("set-cookie", ""), "a token in the address signs nobody in"


# ---------------------------------------------------------------------------------------------------
# /metrics


def test_metrics_are_served_to_an_ops_or_admin_token_only(api: Api, make_token) -> None:
    assert api.get("/metrics").status_code == 401
    for role in ("kiosk", "host", "display"):
        assert api.get("/metrics", make_token(role)).status_code == 403, role
    for role in ("ops", "admin"):
        response = api.get("/metrics", make_token(role, None))
        assert response.status_code == 200 and "gastvrij_tickets_waiting" in response.text, role


@pytest.fixture
def loopback_metrics(sqlite_url: str, clock: FixedClock) -> Iterator[tuple[ThreadServer, int]]:
    port = free_port()
    settings = Settings(database_url=sqlite_url, access_log=False, metrics_port=port)
    live = ThreadServer(create_app(settings, clock=clock)).start()
    yield live, port
    live.stop()


def test_with_a_metrics_port_metrics_are_on_loopback_there_and_not_on_the_main_port(
        loopback_metrics: tuple[ThreadServer, int]) -> None:
    server, port = loopback_metrics
    assert requests.get(f"{server.url}/metrics", timeout=10).status_code == 404
    response = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
    assert response.status_code == 200 and "gastvrij_tickets_waiting" in response.text


# ---------------------------------------------------------------------------------------------------
# what the staff screens answer is kept by no cache


def test_every_json_answer_of_the_staff_screens_says_no_store(api: Api, make_token) -> None:
    host_cookie = sign_in(api.base, make_token("host"))
    desk_cookie = sign_in(api.base, make_token("desk"), DESK)
    key = {"Idempotency-Key": "no-store-1"}
    answers = {
        "whoami": requests.get(f"{api.base}{HOST}/session", headers=host_cookie, timeout=10),
        "signed out": requests.get(f"{api.base}{HOST}/session", timeout=10),
        "today": requests.get(f"{api.base}{HOST}/today", headers=host_cookie, timeout=10),
        "desk now": requests.get(f"{api.base}{DESK}/balie-1/current", headers=desk_cookie, timeout=10),
        "no such desk": requests.get(f"{api.base}{DESK}/balie-99/current", headers=desk_cookie, timeout=10),
        "queue": requests.get(f"{api.base}{HOST}/api/locations/ijsselmonde/queue", headers=host_cookie, timeout=10),
        "issue": requests.post(f"{api.base}{HOST}/api/locations/ijsselmonde/tickets", json={"service": "paspoort"},
                               headers={**host_cookie, **key}, timeout=10),
        "issue refused": requests.post(f"{api.base}{HOST}/api/locations/ijsselmonde/tickets", json={},
                                       headers=host_cookie, timeout=10),
        "not reachable": requests.get(f"{api.base}{HOST}/api/locations/hoogvliet/queue", headers=host_cookie,
                                      timeout=10),
        "sign-in refused": requests.post(f"{api.base}{HOST}/session", json={"token": "x"}, timeout=10),
    }
    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert statuses == {"whoami": 200, "signed out": 401, "today": 200, "desk now": 200, "no such desk": 404,
                        "queue": 200, "issue": 201, "issue refused": 422, "not reachable": 404,
                        "sign-in refused": 401}
    assert {name: a.headers.get("cache-control") for name, a in answers.items()} == dict.fromkeys(answers, "no-store")
    assert all("json" in a.headers["content-type"] for a in answers.values())


# ---------------------------------------------------------------------------------------------------
# the authenticator's cache stays bounded


def test_the_credential_cache_is_bounded_and_never_holds_unknown_tokens(database_url: str, make_token,
                                                                        clock: FixedClock) -> None:
    db = Database(database_url)
    tokens = [make_token("kiosk") for _ in range(5)]

    async def look_up() -> None:
        authenticator = Authenticator(db, GroupCommit(db, clock), clock, cache_seconds=60, max_entries=3)
        assert all([await authenticator.authenticate(Bearer(t)) is not None for t in tokens])
        assert authenticator.size == 3
        assert all([await authenticator.authenticate(Bearer(f"unknown-{i}")) is None for i in range(50)])
        assert authenticator.size == 3
        assert authenticator.cached(Bearer(tokens[-1]))[0], "the newest good token is remembered"

    try:
        asyncio.run(look_up())
    finally:
        db.dispose()
