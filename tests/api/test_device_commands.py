"""A host pauses and resumes a robot: hosts see it live (``device.command``), the robot reads its
own commands in order after its cursor, or its latest one after a start; kept past event retention."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.group_commit import GroupCommit
from queue_ticketing.services.housekeeping import forget_old
from queue_ticketing.store.database import Database
from tests.conftest import Api
from tests.support.sse import SseReader

LOC = "/api/v1/locations/ijsselmonde"


def device_id(api: Api, token: str) -> str:
    return str(api.get("/api/v1/devices/me", token).json()["id"])


def command(api: Api, host: str, device: str, what: str, key: str | None = None):  # type: ignore[no-untyped-def]
    return api.post(f"{LOC}/devices/{device}/commands", host, {"command": what}, key=key or str(uuid.uuid4()))


def test_a_hosts_pause_and_resume_reach_the_robot_in_order(api: Api, make_token, clock: FixedClock,
                                                           database_url: str) -> None:
    host, robot, other_robot = make_token("host"), make_token("robot", name="pepper"), make_token("robot")
    pepper = device_id(api, robot)
    empty = api.get("/api/v1/devices/me/commands", robot).json()
    assert empty["commands"] == []
    hosts = SseReader(f"{api.base}{LOC}/events", host, params={"scope": "hosts"})
    try:
        paused = command(api, host, pepper, "pause", key="pause-1")
        assert paused.status_code == 202 and paused.json() == {"device": pepper, "command": "pause"}
        assert command(api, host, pepper, "pause", key="pause-1").headers.get("Idempotent-Replayed") == "true"
        event = hosts.next("device.command")
        assert (event.data["device"], event.data["name"], event.data["command"]) == (pepper, "pepper", "pause")
    finally:
        hosts.close()

    mine = api.get("/api/v1/devices/me/commands", robot, params={"after": str(empty["last_id"])}).json()
    assert [c["command"] for c in mine["commands"]] == ["pause"]
    assert api.get("/api/v1/devices/me/commands", other_robot).json()["commands"] == []

    clock.advance(minutes=5)
    assert command(api, host, pepper, "resume").status_code == 202
    assert command(api, host, pepper, "pause").status_code == 202
    after = api.get("/api/v1/devices/me/commands", robot, params={"after": str(mine["last_id"])}).json()
    assert [c["command"] for c in after["commands"]] == ["resume", "pause"]
    assert after["commands"][0]["id"] < after["commands"][1]["id"] <= after["last_id"]
    again = api.get("/api/v1/devices/me/commands", robot, params={"after": str(after["last_id"])}).json()
    assert again["commands"] == [] and again["last_id"] == after["last_id"]

    db = Database(database_url)  # a week later, after the events' retention: a restarted robot is still paused
    try:
        later = FixedClock(clock() + timedelta(days=8))
        asyncio.run(forget_old(GroupCommit(db, later), later))
    finally:
        db.dispose()
    latest = api.get("/api/v1/devices/me/commands", robot).json()
    assert [c["command"] for c in latest["commands"]] == ["pause"]


def test_only_a_robot_of_this_location_takes_commands(api: Api, make_token) -> None:
    host = make_token("host")
    kiosk = device_id(api, make_token("kiosk"))
    elsewhere = device_id(api, make_token("robot", "hoogvliet"))
    robot = device_id(api, make_token("robot"))
    refused = command(api, host, kiosk, "pause")
    assert (refused.status_code, refused.json()["code"]) == (422, "command_not_supported")
    assert command(api, host, elsewhere, "pause").status_code == 404
    assert command(api, host, "no-such-device", "pause").status_code == 404
    assert command(api, host, robot, "dance").status_code == 422


def test_a_robot_reports_its_tablet_to_the_hosts_and_an_unknown_tablet_state_is_refused(api: Api, make_token) -> None:
    host, robot = make_token("host"), make_token("robot", name="pepper")
    hosts = SseReader(f"{api.base}{LOC}/events", host, params={"scope": "hosts"})
    try:
        answer = api.post("/api/v1/devices/me/status", robot, {"online": True, "tablet": "wifi_disconnected"})
        assert answer.status_code < 300, answer.text
        assert hosts.next("device.status").data["tablet"] == "wifi_disconnected"
    finally:
        hosts.close()
    refused = api.post("/api/v1/devices/me/status", robot, {"online": True, "tablet": "on fire"})
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
