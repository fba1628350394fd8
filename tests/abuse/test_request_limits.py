"""The connection's limits: a request's head is bounded in size and in time, a body in time, and
every refusal is a problem+json (on the real server, byte by byte over a socket)."""

from __future__ import annotations

import asyncio
import json
import select
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
import requests

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from tests.support.live_server import ThreadServer

HEAD_TIMEOUT = 0.5
BODY_TIMEOUT = 0.5


@pytest.fixture
def limited(sqlite_url: str, clock: FixedClock) -> Iterator[ThreadServer]:
    settings = Settings(database_url=sqlite_url, access_log=False, header_timeout_seconds=HEAD_TIMEOUT,
                        body_timeout_seconds=BODY_TIMEOUT)
    live = ThreadServer(create_app(settings, clock=clock)).start()
    yield live
    live.stop()


def connect(server: ThreadServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    return sock


def answer_of(sock: socket.socket) -> tuple[int, dict[str, str], dict[str, object]]:
    """Status, headers and problem body of the one answer the server writes before closing."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, json.loads(body)


def assert_problem(response: requests.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.json()["code"] == code


def test_a_one_megabyte_header_is_431(limited: ThreadServer) -> None:
    response = requests.get(f"{limited.url}/api/v1/health", headers={"X-Padding": "a" * 1_000_000}, timeout=10)
    assert_problem(response, 431, "request_head_too_large")


def test_a_header_sent_in_small_pieces_is_refused_once_the_head_passes_the_limit(limited: ThreadServer) -> None:
    sock = connect(limited)
    sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ")
    sent = 0
    while sent < 1_000_000 and not select.select([sock], [], [], 0.01)[0]:
        sock.sendall(b"a" * 1000)  # the server answers (and closes) as soon as the head is too large
        sent += 1000
    assert sent < 100_000
    status, _, problem = answer_of(sock)
    assert (status, problem["code"]) == (431, "request_head_too_large")


def test_more_than_a_hundred_header_lines_is_431(limited: ThreadServer) -> None:
    headers = {f"X-Line-{i}": "1" for i in range(120)}
    assert_problem(requests.get(f"{limited.url}/api/v1/health", headers=headers, timeout=10), 431, "too_many_headers")


def test_an_address_over_8_kib_is_414(limited: ThreadServer) -> None:
    response = requests.get(f"{limited.url}/api/v1/health?padding={'a' * 9000}", timeout=10)
    assert_problem(response, 414, "uri_too_long")


def test_a_malformed_request_is_a_400_problem(limited: ThreadServer) -> None:
    sock = connect(limited)
    sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad\x00Name: y\r\n\r\n")
    status, headers, problem = answer_of(sock)
    assert (status, problem["code"]) == (400, "malformed_request")
    assert headers["content-type"] == "application/problem+json"


def test_a_head_that_stops_halfway_is_answered_408_and_the_connection_closed(limited: ThreadServer) -> None:
    sock = connect(limited)
    started = time.monotonic()
    sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
    status, _, problem = answer_of(sock)
    assert (status, problem["code"]) == (408, "request_timeout")
    assert HEAD_TIMEOUT * 0.9 <= time.monotonic() - started < HEAD_TIMEOUT + 3


def test_a_connection_that_sends_nothing_is_closed_after_the_head_timeout(limited: ThreadServer) -> None:
    sock = connect(limited)
    started = time.monotonic()
    status, _, problem = answer_of(sock)
    assert (status, problem["code"]) == (408, "request_timeout")
    assert time.monotonic() - started < HEAD_TIMEOUT + 3


def test_a_head_trickled_byte_by_byte_does_not_hold_the_connection_beyond_the_timeout(limited: ThreadServer) -> None:
    sock = connect(limited)
    started = time.monotonic()
    request = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: " + b"a" * 200
    with pytest.raises(OSError):
        for byte in request:
            sock.sendall(bytes([byte]))
            time.sleep(HEAD_TIMEOUT / 20)  # pacing the attacker, not waiting for the server
    assert time.monotonic() - started < HEAD_TIMEOUT + 3


def test_a_body_that_stops_coming_closes_the_connection(limited: ThreadServer) -> None:
    sock = connect(limited)
    started = time.monotonic()
    sock.sendall(b"POST /api/v1/case-lookups HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 100\r\n\r\n{\"identificatie\":")
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    assert time.monotonic() - started < BODY_TIMEOUT + 3
    assert not data.startswith(b"HTTP/1.1 2")


def test_a_good_request_after_these_limits_still_works(limited: ThreadServer) -> None:
    response = requests.get(f"{limited.url}/api/v1/health", headers={"X-Some": "a" * 4000}, timeout=10)
    assert response.status_code == 200


def test_the_app_itself_refuses_oversized_headers_behind_any_server(sqlite_url: str, clock: FixedClock) -> None:
    """Another server in front (or h11) may allow larger heads: the app answers 431 on its own."""
    app = create_app(Settings(database_url=sqlite_url, access_log=False, max_header_bytes=4096), clock=clock)

    async def ask() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
            return await client.get("/api/v1/health", headers={"X-Padding": "a" * 5000})

    response = asyncio.run(ask())
    assert response.status_code == 431
    assert response.json()["code"] == "request_head_too_large"
