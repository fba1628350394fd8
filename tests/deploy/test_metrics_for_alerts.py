"""What the alert rules in deploy/prometheus/ read from /metrics: the database reachable, each queue's
longest wait against its norm, open event streams per location while it is open, each device's
latest heartbeat and printer."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from tests.conftest import Api
from tests.support.live_server import ThreadServer, wait_until
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
    kiosk = make_token("kiosk", name="kiosk-1")
    assert api.post("/api/v1/devices/me/status", kiosk, {"printer": "paper_out"}).status_code == 202
    clock.advance(minutes=2)
    assert api.post("/api/v1/devices/me/status", kiosk, {"online": True}).status_code == 202  # printer not said
    text = api.get("/metrics").text
    seen = metric(text, "gastvrij_device_last_seen_timestamp_seconds", location="ijsselmonde", name="kiosk-1",
                  role="kiosk")
    assert seen == clock().timestamp()
    assert metric(text, "gastvrij_device_printer", name="kiosk-1", state="paper_out") == 1
    assert metric(text, "gastvrij_device_printer", name="kiosk-1", state="ok") == 0


def test_the_longest_wait_of_a_queue_is_shown_beside_its_norm(api: Api, make_token, clock: FixedClock) -> None:
    kiosk = make_token("kiosk")
    assert api.issue(kiosk, "paspoort").status_code == 201
    clock.advance(minutes=12)
    assert api.issue(kiosk, "paspoort").status_code == 201
    text = api.get("/metrics").text
    assert metric(text, "gastvrij_ticket_longest_wait_seconds", location="ijsselmonde", service="paspoort") == 720
    assert metric(text, "gastvrij_service_norm_seconds", location="ijsselmonde", service="paspoort") == 600
    assert metric(text, "gastvrij_tickets_waiting", location="ijsselmonde", service="paspoort") == 2


def test_open_streams_are_counted_per_location_and_opening_hours_say_which_is_open(
        api: Api, server: ThreadServer, clock: FixedClock) -> None:
    display = SseReader(f"{server.url}/api/v1/locations/ijsselmonde/events")
    try:
        def counted() -> str | None:
            text = api.get("/metrics").text
            return text if metric(text, "gastvrij_event_streams", location="ijsselmonde") == 1 else None

        text = wait_until(counted, 5, what="the stream counted")
        assert metric(text, "gastvrij_event_streams", location="hoogvliet") == 0
        assert metric(text, "gastvrij_location_open", location="ijsselmonde") == 1  # Monday 09:00
        clock.advance(hours=9)  # 18:00
        assert metric(api.get("/metrics").text, "gastvrij_location_open", location="ijsselmonde") == 0
    finally:
        display.close()


@pytest.fixture
def without_database(clock: FixedClock) -> Iterator[ThreadServer]:
    """The service pointed at a PostgreSQL server that is not there (nothing listens on port 1)."""
    settings = Settings(database_url="postgresql://postgres@127.0.0.1:1/gone", access_log=False, housekeeping=False)
    live = ThreadServer(create_app(settings, clock=clock, migrate=False)).start()
    yield live
    live.stop()


def test_metrics_answer_with_the_database_down_and_say_so(without_database: ThreadServer) -> None:
    api = Api(without_database.url)
    response = api.get("/metrics")
    assert response.status_code == 200
    assert metric(response.text, "gastvrij_database_up") == 0
    assert metric(response.text, "gastvrij_location_open", location="ijsselmonde") == 1
    assert api.get("/api/v1/health").status_code == 503


def test_metrics_say_the_database_is_up(api: Api) -> None:
    assert metric(api.get("/metrics").text, "gastvrij_database_up") == 1
