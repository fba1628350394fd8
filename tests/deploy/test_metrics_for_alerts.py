"""What the alert rules in deploy/prometheus/ read from /metrics: the database reachable, each queue's
longest wait against its norm, open event streams per location while it is open, each device's
latest heartbeat and printer."""

from __future__ import annotations

import re

import pytest
import requests
from sqlalchemy import create_engine, text

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import normalise_url
from tests.conftest import POSTGRES_URL, Api
from tests.support.live_server import ThreadServer, free_port, wait_until
from tests.support.sse import SseReader


def metric(text: str, metric_name: str, **labels: str) -> float | None:
    """The value of the sample ``metric_name`` whose labels include ``labels``, or None."""
    for line in text.splitlines():
        found = re.match(rf"^{metric_name}\{{(.*)\}} (\S+)$", line) or re.match(rf"^{metric_name} (\S+)$", line)
        if not found:
            continue
        if len(found.groups()) == 1:
            return float(found.group(1)) if not labels else None
        have = dict(re.findall(r'(\w+)="([^"]*)"', found.group(1)))
        if all(have.get(k) == v for k, v in labels.items()):
            return float(found.group(2))
    return None


def test_a_kiosk_heartbeat_gives_its_last_seen_time_and_printer_state(api: Api, make_token, clock: FixedClock) -> None:
    kiosk, ops = make_token("kiosk", name="kiosk-1"), make_token("ops", None)
    assert api.post("/api/v1/devices/me/status", kiosk, {"printer": "paper_out"}).status_code == 202
    clock.advance(minutes=2)
    assert api.post("/api/v1/devices/me/status", kiosk, {"online": True}).status_code == 202  # printer not said
    text = api.get("/metrics", ops).text
    seen = metric(text, "gastvrij_device_last_seen_timestamp_seconds", location="ijsselmonde", name="kiosk-1",
                  role="kiosk")
    assert seen == clock().timestamp()
    assert metric(text, "gastvrij_device_printer", name="kiosk-1", state="paper_out") == 1
    assert metric(text, "gastvrij_device_printer", name="kiosk-1", state="ok") == 0


def test_the_longest_wait_of_a_queue_is_shown_beside_its_norm(api: Api, make_token, clock: FixedClock) -> None:
    kiosk, ops = make_token("kiosk"), make_token("ops", None)
    assert api.issue(kiosk, "paspoort").status_code == 201
    clock.advance(minutes=12)
    assert api.issue(kiosk, "paspoort").status_code == 201
    text = api.get("/metrics", ops).text
    assert metric(text, "gastvrij_ticket_longest_wait_seconds", location="ijsselmonde", service="paspoort") == 720
    assert metric(text, "gastvrij_service_norm_seconds", location="ijsselmonde", service="paspoort") == 600
    assert metric(text, "gastvrij_tickets_waiting", location="ijsselmonde", service="paspoort") == 2


def test_open_streams_are_counted_per_location_and_opening_hours_say_which_is_open(
        api: Api, server: ThreadServer, clock: FixedClock, make_token) -> None:  # type: ignore[no-untyped-def]
    ops = make_token("ops", None)
    display = SseReader(f"{server.url}/api/v1/locations/ijsselmonde/events")
    try:
        def counted() -> str | None:
            text = api.get("/metrics", ops).text
            return text if metric(text, "gastvrij_event_streams", location="ijsselmonde") == 1 else None

        text = wait_until(counted, 5, what="the stream counted")
        assert metric(text, "gastvrij_event_streams", location="hoogvliet") == 0
        assert metric(text, "gastvrij_location_open", location="ijsselmonde") == 1  # Monday 09:00
        clock.advance(hours=9)  # 18:00
        assert metric(api.get("/metrics", ops).text, "gastvrij_location_open", location="ijsselmonde") == 0
    finally:
        display.close()


@pytest.mark.postgres
def test_metrics_answer_with_the_database_gone_and_say_so(new_postgres_database, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    url = new_postgres_database()
    metrics_port = free_port()  # metrics on a loopback port of their own: no token to check
    settings = Settings(database_url=url, access_log=False, housekeeping=False, metrics_port=metrics_port)
    live = ThreadServer(create_app(settings, clock=clock)).start()
    name = url.rsplit("/", 1)[1]
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:  # the database goes away: no new connection, the open ones cut
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        response = requests.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10)
        assert response.status_code == 200
        assert metric(response.text, "gastvrij_database_up") == 0
        assert metric(response.text, "gastvrij_location_open", location="ijsselmonde") == 1
        assert Api(live.url).get("/api/v1/health").status_code == 503
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
        live.stop()


def test_metrics_say_the_database_is_up(api: Api, make_token) -> None:  # type: ignore[no-untyped-def]
    assert metric(api.get("/metrics", make_token("ops", None)).text, "gastvrij_database_up") == 1
