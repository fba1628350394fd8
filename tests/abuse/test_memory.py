"""Requests with fresh unknown credentials leave the server's memory where it was: every cache is
bounded, unknown credentials are not kept beyond a small bounded cache of misses, and a JWT's
client is cached only after its signature was verified. Measured on a real server process."""

from __future__ import annotations

import http.client
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jwt

from tests.support.live_server import ProcessServer, free_port

REQUESTS = 10_000
ALLOWED_GROWTH_KB = 5 * 1024


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc")


def unknown_device_token() -> tuple[str, str]:
    return "/api/v1/locations/ijsselmonde/assist-requests", "Bearer " + secrets.token_urlsafe(9_000)


def unknown_zgw_client(client_id_length: int) -> Callable[[], tuple[str, str]]:
    def make() -> tuple[str, str]:
        client_id = secrets.token_hex(client_id_length // 2)
        token = jwt.encode({"iss": client_id, "client_id": client_id, "iat": int(time.time())},
                           secrets.token_urlsafe(32), algorithm="HS256")
        return "/zaken/api/v1/zaken", "Bearer " + token

    return make


def send(port: int, requests: list[tuple[str, str]]) -> list[int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    statuses = []
    for path, authorization in requests:
        connection.request("GET", path, headers={"Authorization": authorization})
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()
    return statuses


def flood(port: int, count: int) -> list[int]:
    """``count`` requests on 4 connections, each with a credential never seen before: large device
    tokens, JWTs of unknown clients with ids up to the longest allowed, and JWTs whose 6,000
    character client ids are refused before any look-up."""
    makers = [unknown_device_token, unknown_zgw_client(128), unknown_zgw_client(6_000)]
    requests = [makers[i % len(makers)]() for i in range(count)]
    with ThreadPoolExecutor(4) as pool:
        return [s for part in pool.map(lambda i: send(port, requests[i::4]), range(4)) for s in part]


def test_ten_thousand_fresh_unknown_credentials_leave_the_server_memory_where_it_was(tmp_path: Path) -> None:
    server = ProcessServer(f"sqlite:///{tmp_path / 'gastvrij.sqlite'}", free_port(), tmp_path / "server.log").start()
    try:
        assert server.process is not None
        pid = server.process.pid
        # Warm up: the allocator's arenas, the thread pool and the caches of misses fill once.
        assert set(flood(server.port, 3_000)) == {401}
        before = rss_kb(pid)
        statuses = flood(server.port, REQUESTS)
        after = rss_kb(pid)
    finally:
        server.stop()
    print(f"server RSS {before} kB before, {after} kB after {REQUESTS} requests")  # the figure in bench/README.md
    assert set(statuses) == {401}
    assert len(statuses) == REQUESTS
    assert after - before < ALLOWED_GROWTH_KB, f"RSS grew from {before} kB to {after} kB"
