"""A client made with ``heartbeat_seconds`` reports its device's status by itself while online, so
the alerts can tell a quiet kiosk from a silent one."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import requests

from queue_ticketing.client import Client
from tests.support.live_server import wait_until

from .conftest import CentralService


def last_seen(central: CentralService, ops: str) -> float | None:
    text = requests.get(f"{central.url}/metrics", headers={"Authorization": f"Bearer {ops}"}, timeout=10).text
    found = re.search(r'^gastvrij_device_last_seen_timestamp_seconds\{[^}]*name="kiosk-1"[^}]*\} (\S+)$', text,
                      re.MULTILINE)
    return float(found.group(1)) if found else None


def test_the_client_reports_its_status_every_heartbeat_while_online(
        central: CentralService, kiosk: str, outbox_path: Path, make_token: Callable[..., str]) -> None:
    ops = make_token("ops", None)
    client = Client(central.url, kiosk, outbox_path, clock=central.clock, sync_interval=0.05, heartbeat_seconds=60)
    try:
        first = central.clock().timestamp()
        wait_until(lambda: last_seen(central, ops) == first, 10, what="the first heartbeat")
        central.clock.advance(seconds=61)
        wait_until(lambda: last_seen(central, ops) == central.clock().timestamp(), 10, what="the next heartbeat")
    finally:
        client.close()
