"""The caller's identity and the permission table: where a principal acts, when a staff session is
over, what ``authorize`` answers, and the channel a ticket comes in through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from queue_ticketing.domain.identity import (
    ROLES,
    Principal,
    SessionEnd,
    SessionPolicy,
    StaffSession,
    Subject,
    SubjectKind,
    location_for,
)
from queue_ticketing.domain.permissions import (
    PERMISSIONS,
    Forbidden,
    Scope,
    Unauthorized,
    authorize,
    issuing_channel,
    permits,
)
from queue_ticketing.domain.tickets import Channel

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def device(role: str, location: str | None = "ijsselmonde", id_: str = "d1") -> Principal:
    return Principal(Subject(SubjectKind.DEVICE, id_), f"{role}-1", role, location)


def test_a_principal_acts_at_its_own_location_and_a_city_wide_one_everywhere() -> None:
    assert device("host").acts_at("ijsselmonde")
    assert not device("host").acts_at("hoogvliet")
    assert device("admin", None).acts_at("hoogvliet")
    assert device("ops", None).acts_at("hoogvliet")


def test_a_device_acts_for_itself_and_an_admin_for_every_device() -> None:
    kiosk = device("kiosk", id_="k1")
    assert kiosk.acts_for("k1") and not kiosk.acts_for("k2")
    assert device("admin", None).acts_for("k2")


def test_new_credentials_are_bound_to_a_location_except_the_city_wide_roles() -> None:
    assert location_for("kiosk", "ijsselmonde") == "ijsselmonde"
    assert location_for("admin", "ijsselmonde") is None
    assert location_for("ops", None) is None
    with pytest.raises(ValueError, match="give its location"):
        location_for("desk", None)
    with pytest.raises(ValueError, match="Unknown role 'janitor'"):
        location_for("janitor", "ijsselmonde")


def test_authorize_refuses_nobody_401_and_a_wrong_role_or_location_403_saying_which() -> None:
    with pytest.raises(Unauthorized):
        authorize(None, "ticket.issue", "ijsselmonde")
    with pytest.raises(Forbidden) as wrong_role:
        authorize(device("display"), "ticket.issue", "ijsselmonde")
    assert wrong_role.value.extra == {"reason": "role"}
    with pytest.raises(Forbidden) as wrong_location:
        authorize(device("kiosk"), "ticket.issue", "hoogvliet")
    assert wrong_location.value.extra == {"reason": "location"}
    assert authorize(device("admin", None), "ticket.issue", "hoogvliet").role == "admin"


def test_permissions_about_the_caller_or_the_whole_city_ignore_locations() -> None:
    assert PERMISSIONS["case.lookup"].scope is Scope.CITY
    assert permits(device("kiosk"), "case.lookup", "hoogvliet")
    assert PERMISSIONS["device.status"].scope is Scope.CALLER
    assert permits(device("display"), "device.status", "hoogvliet")
    assert permits(device("ops", None), "metrics.read") and not permits(device("host"), "metrics.read")


def test_every_role_of_the_table_is_a_known_role() -> None:
    assert {role for p in PERMISSIONS.values() for role in p.roles} <= set(ROLES)


@pytest.mark.parametrize(("role", "asked", "channel"), [
    ("kiosk", None, Channel.KIOSK), ("robot", None, Channel.ROBOT), ("host", None, Channel.HOST),
    ("host", "web", Channel.WEB), ("admin", "robot", Channel.ROBOT), ("admin", None, Channel.HOST),
])
def test_a_ticket_comes_in_on_the_issuers_own_channel_or_one_it_may_choose(role: str, asked: str | None,
                                                                           channel: Channel) -> None:
    assert issuing_channel(device(role, None if role == "admin" else "ijsselmonde"), asked) is channel


@pytest.mark.parametrize(("role", "asked"), [("kiosk", "robot"), ("robot", "web"), ("host", "kiosk")])
def test_a_ticket_on_someone_elses_channel_is_refused(role: str, asked: str) -> None:
    with pytest.raises(Forbidden):
        issuing_channel(device(role), asked)


def session(**changes: object) -> StaffSession:
    values: dict[str, object] = {"id": "h", "subject": Subject(SubjectKind.DEVICE, "d1"), "role": "host",
                                 "location": "ijsselmonde", "created_at": NOW, "last_seen_at": NOW,
                                 "expires_at": NOW + timedelta(hours=12)}
    return StaffSession(**{**values, **changes})  # type: ignore[arg-type]


def test_a_staff_session_lives_until_idle_too_long_past_its_expiry_or_ended() -> None:
    policy = SessionPolicy(idle=timedelta(hours=2), absolute=timedelta(hours=12))
    assert session().end_at(NOW + timedelta(minutes=119), policy) is None
    assert session().end_at(NOW + timedelta(hours=2), policy) is SessionEnd.IDLE
    busy = session(last_seen_at=NOW + timedelta(hours=11, minutes=59))
    assert busy.end_at(NOW + timedelta(hours=12), policy) is SessionEnd.EXPIRED
    ended = session(ended_at=NOW, ended_why="revoked")
    assert ended.end_at(NOW, policy) is SessionEnd.REVOKED


def test_a_sessions_use_is_written_down_at_most_once_a_minute_or_a_tenth_of_a_short_idle_limit() -> None:
    assert SessionPolicy().touch_every == timedelta(minutes=1)
    assert SessionPolicy(idle=timedelta(minutes=5)).touch_every == timedelta(seconds=30)
    assert not session().needs_touch(NOW + timedelta(seconds=59), SessionPolicy())
    assert session().needs_touch(NOW + timedelta(minutes=1), SessionPolicy())
