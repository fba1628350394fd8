"""Live streams are bounded and cheap: at most so many per client address and per process (429
with Retry-After beyond, a closed stream's place freed), event ids parsed strictly, heartbeats
spread in time, and a burst of events reaches each of many streams once, in order."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.events.bus import WAKE_SLICE, EventBus
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.events import StoredEvent
from queue_ticketing.store.migrations import upgrade
from tests.conftest import Api
from tests.support.live_server import ThreadServer, wait_until
from tests.support.sse import SseReader

EVENTS = "/api/v1/locations/ijsselmonde/events"


@pytest.fixture
def capped(sqlite_url: str, clock: FixedClock) -> Iterator[ThreadServer]:
    settings = Settings(database_url=sqlite_url, access_log=False, sse_heartbeat_seconds=0.5,
                        sse_max_per_client=3, sse_max_total=4)
    live = ThreadServer(create_app(settings, clock=clock)).start()
    yield live
    live.stop()


def open_stream(server: ThreadServer, **headers: str) -> requests.Response:
    return requests.get(f"{server.url}{EVENTS}", headers={"Accept": "text/event-stream", **headers}, stream=True,
                        timeout=(5, 30))


def assert_too_many(response: requests.Response) -> None:
    assert response.status_code == 429, response.status_code
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "too_many_streams"
    assert int(response.headers["retry-after"]) > 0


def test_a_client_address_gets_at_most_its_streams_and_a_closed_one_frees_its_place(capped: ThreadServer) -> None:
    streams = [open_stream(capped) for _ in range(3)]
    assert [s.status_code for s in streams] == [200, 200, 200]
    assert_too_many(open_stream(capped))
    streams.pop().close()

    def reopened() -> requests.Response | None:
        response = open_stream(capped)
        if response.status_code == 200:
            return response
        response.close()
        return None

    streams.append(wait_until(reopened, 10, interval=0.1, what="the closed stream's place"))
    for stream in streams:
        stream.close()


def test_the_process_holds_at_most_its_total_of_streams(capped: ThreadServer) -> None:
    app = capped.app
    bus: EventBus = app.state.bus
    # Three from this address (its most) and one more held by another address's slot.
    other = bus.reserve("192.0.2.7")
    assert other is not None
    streams = [open_stream(capped) for _ in range(3)]
    assert [s.status_code for s in streams] == [200, 200, 200]
    assert bus.reserve("192.0.2.8") is None
    other.release()
    assert bus.reserve("192.0.2.8") is not None
    for stream in streams:
        stream.close()


@pytest.mark.parametrize("value", ["²", "1" * 5000, "-1", "1e5", "0x10", "12 3", "٣"])
def test_a_malformed_event_id_is_400_not_500(api: Api, value: str) -> None:
    header = requests.get(f"{api.base}{EVENTS}", headers={"Last-Event-ID": value.encode().decode("latin-1")},
                          timeout=10)
    query = api.get(f"{EVENTS}?after={value}")
    for response in (header, query):
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "invalid_last_event_id"


def test_idle_streams_opened_together_get_their_heartbeats_at_different_moments(api: Api) -> None:
    readers = [SseReader(f"{api.base}{EVENTS}") for _ in range(8)]
    first_heartbeat: list[float] = []
    try:
        for reader in readers:
            wait_until(lambda reader=reader: "heartbeat" in reader.comments, 5, what="a heartbeat")
        started = time.monotonic()
        # From now on, note when each stream's next heartbeat comes.
        counts = [reader.comments.count("heartbeat") for reader in readers]
        pending = set(range(len(readers)))
        while pending and time.monotonic() - started < 5:
            for i in list(pending):
                if readers[i].comments.count("heartbeat") > counts[i]:
                    first_heartbeat.append(time.monotonic())
                    pending.discard(i)
            time.sleep(0.005)
    finally:
        for reader in readers:
            reader.response.close()
    assert len(first_heartbeat) == len(readers)
    assert max(first_heartbeat) - min(first_heartbeat) > 0.1  # the heartbeat is 0.5 s: spread over it


def test_a_burst_of_events_reaches_each_of_many_streams_once_and_in_order(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    readers = [SseReader(f"{api.base}{EVENTS}") for _ in range(3 * WAKE_SLICE)]
    try:
        for reader in readers:
            wait_until(lambda reader=reader: reader.comments, 5, what="the stream to open")
        numbers = [api.issue(kiosk).json()["number"] for _ in range(25)]
        for reader in readers:
            issued = [reader.next("ticket.issued", seconds=10).data["number"] for _ in numbers]
            assert issued == numbers
            assert all(e.type != "ticket.issued" for e in reader.drain(quiet=0.3))
    finally:
        for reader in readers:
            reader.response.close()


def test_an_event_is_serialised_once_and_every_stream_gets_the_same_batch(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    upgrade(db)
    bus = EventBus(db)

    async def run() -> list[list[StoredEvent]]:
        bus.start(asyncio.get_running_loop())
        streams = [bus.stream("ijsselmonde", 0, False, 30.0) for _ in range(2 * WAKE_SLICE + 1)]
        firsts = [asyncio.ensure_future(anext(stream)) for stream in streams]
        while bus.stream_count() < len(streams):
            await asyncio.sleep(0)
        event = StoredEvent("ijsselmonde", 1, "queue.changed", "public", '{"waiting":1}', datetime.now(UTC))
        bus.committed([event])
        assert "frame_bytes" in event.__dict__  # made before any stream sent it
        received = await asyncio.gather(*firsts)
        for stream in streams:
            await stream.aclose()
        return received

    try:
        received = asyncio.run(run())
    finally:
        db.dispose()
    assert all(len(batch) == 1 and batch[0] is received[0][0] for batch in received)
