"""Live events over Server-Sent Events: ordered ids, resume without loss, audiences, heartbeats."""

from __future__ import annotations

from pathlib import Path

import pytest

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import system_clock
from queue_ticketing.services.devices import create_device
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.write_batch import write_alone
from tests.conftest import Api, _empty_postgres
from tests.support.live_server import ProcessServer, ThreadServer, free_port
from tests.support.sse import SseReader

EVENTS = "/api/v1/locations/ijsselmonde/events"


def test_a_call_at_a_desk_reaches_an_open_display_stream(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-3")
    stream = SseReader(api.base + EVENTS)
    try:
        issued = api.issue(kiosk, "paspoort").json()
        assert stream.next("ticket.issued").data["number"] == issued["number"]
        api.call_next(desk, "balie-3")
        called = stream.next("ticket.called")
        assert called.data["number"] == issued["number"]
        assert called.data["desk_number"] == 3
        assert "id" not in called.data  # a ticket's id opens its mobile page: never broadcast
    finally:
        stream.close()


def test_event_ids_increase_and_a_resumed_stream_gets_exactly_the_missed_events(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    first = SseReader(api.base + EVENTS)
    api.issue(kiosk, "paspoort")
    seen = first.next("ticket.issued")
    first.close()
    missed = [api.issue(kiosk, "rijbewijs").json()["number"] for _ in range(3)]

    resumed = SseReader(api.base + EVENTS, last_event_id=seen.id)
    try:
        api.issue(kiosk, "paspoort")
        events = [resumed.next() for _ in range(8)]
    finally:
        resumed.close()
    ids = [e.id for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(i is not None and i > (seen.id or 0) for i in ids)
    issued = [e.data["number"] for e in events if e.type == "ticket.issued"]
    assert issued == [*missed, "P002"]


def test_a_stream_resuming_far_behind_gets_the_whole_backlog_at_once_not_a_page_per_heartbeat(
        tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'gastvrij.sqlite'}", access_log=False,
                        sse_heartbeat_seconds=60, public_url="https://gastvrij.test")
    live = ThreadServer(create_app(settings, clock=system_clock)).start()
    try:
        api = Api(live.url)
        db = Database(settings.database_url)
        kiosk = write_alone(db, system_clock, lambda uow: create_device(uow, "kiosk", "ijsselmonde", None).token)
        db.dispose()
        for _ in range(520):  # two events each: more than one page of the backlog
            assert api.issue(kiosk, "paspoort").status_code == 201
        resumed = SseReader(api.base + EVENTS, last_event_id=0)
        try:
            numbers = [resumed.next("ticket.issued", seconds=10).data["number"] for _ in range(520)]
        finally:
            resumed.close()
    finally:
        live.stop()
    assert numbers == [f"P{n:03d}" for n in range(1, 521)]


def test_the_public_stream_carries_no_assist_events_but_the_hosts_stream_does(api: Api, make_token) -> None:
    robot, host = make_token("robot"), make_token("host")
    public = SseReader(api.base + EVENTS)
    hosts = SseReader(api.base + EVENTS, token=host, params={"scope": "hosts"})
    try:
        api.post("/api/v1/locations/ijsselmonde/assist-requests", robot, {"reason": "language"})
        requested = hosts.next("assist.requested")
        assert requested.data["reason"] == "language"
        assert requested.data["source"] == "robot"
        api.issue(make_token("kiosk"), "paspoort")
        assert [e.type for e in public.drain(0.5) if e.type.startswith("assist")] == []
    finally:
        public.close()
        hosts.close()


def test_the_public_scope_is_public_data_for_everyone_even_with_a_host_token(api: Api, make_token) -> None:
    host = make_token("host")
    public = SseReader(api.base + EVENTS, token=host)  # scope=public is the default
    hosts = SseReader(api.base + EVENTS, token=host, params={"scope": "hosts"})
    try:
        api.post("/api/v1/locations/ijsselmonde/assist-requests", make_token("robot"), {"reason": "language"})
        api.issue(make_token("kiosk"), "paspoort")
        assert hosts.next("assist.requested").data["reason"] == "language"
        hosts.next("ticket.issued")
        seen = [e.type for e in public.drain(0.5)]
        assert "ticket.issued" in seen
        assert [t for t in seen if t.startswith(("assist", "device"))] == []
    finally:
        public.close()
        hosts.close()


def test_the_hosts_scope_without_a_host_token_is_refused(api: Api, make_token) -> None:
    response = api.get(EVENTS, make_token("kiosk"), params={"scope": "hosts"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


def test_an_idle_stream_gets_a_comment_for_proxies_and_a_heartbeat_event_for_browsers(api: Api) -> None:
    stream = SseReader(api.base + EVENTS)
    try:
        assert stream.drain(1.2) == []  # the test server beats every 0.5 s; heartbeats are no events
        assert "keep-alive" in stream.comments
        assert "heartbeat" in stream.comments
    finally:
        stream.close()


@pytest.mark.postgres
def test_a_call_through_one_server_process_reaches_a_stream_on_another(postgres_server_url: str,
                                                                       tmp_path: Path) -> None:
    _empty_postgres(postgres_server_url)
    db = Database(postgres_server_url)
    kiosk = write_alone(db, system_clock, lambda uow: create_device(uow, "kiosk", "ijsselmonde", None).token)
    desk = write_alone(db, system_clock, lambda uow: create_device(uow, "desk", "ijsselmonde", None, "balie-2").token)
    db.dispose()
    first = ProcessServer(postgres_server_url, free_port(), tmp_path / "first.log").start()
    second = ProcessServer(postgres_server_url, free_port(), tmp_path / "second.log").start()
    stream = SseReader(second.url + EVENTS)
    try:
        on_first = Api(first.url)
        number = on_first.issue(kiosk, "paspoort").json()["number"]
        assert on_first.call_next(desk, "balie-2").status_code == 200
        called = stream.next("ticket.called", seconds=10)
        assert (called.data["number"], called.data["desk"]) == (number, "balie-2")
    finally:
        stream.close()
        first.stop()
        second.stop()
