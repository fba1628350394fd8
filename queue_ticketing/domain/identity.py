"""Who is calling: the principal behind a request, and the staff sessions people and devices sign in with.

A principal is a *subject* (a device holding a token, or a person with a staff account) acting
in one *role* at one *location*, or at every location for the city-wide roles. What a role may do
is the permission table in :mod:`queue_ticketing.domain.permissions`; where it may do it is
:meth:`Principal.acts_at`, the one place that says "admin, or the same location".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class SubjectKind(StrEnum):
    """What a principal is. Sessions and audit records name a subject by kind and id, so a
    person's account signs in through the same sessions as a device's token."""

    DEVICE = "device"
    PERSON = "person"
    SYSTEM = "system"
    """The service itself (housekeeping) or an operator at the command line: no credential."""


ROLES = ("kiosk", "robot", "display", "desk", "host", "manager", "integration", "ops", "admin")
"""Every role, in the order the command line and the documentation list them."""

CITY_WIDE_ROLES = frozenset({"admin", "ops"})
"""Roles bound to no location: ``admin`` acts everywhere, ``ops`` reads the service's metrics."""

PERSON_ROLES = ("host", "desk", "manager", "admin")
"""The roles a person's staff account signs in as."""

DEVICE_ROLES = ("kiosk", "robot", "display", "desk", "host", "integration", "ops", "admin")
"""The roles a device token is made for (``manager`` is a person's only)."""


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    id: str


@dataclass(frozen=True)
class Principal:
    """The caller of one request, authenticated by a bearer token or a staff session."""

    subject: Subject
    name: str
    role: str
    location: str | None
    """The one location it acts at; None for a city-wide role (every location)."""
    session: str | None = None
    """The stored id of the staff session it came through, None for a bearer token."""
    desk: str | None = None
    """The desk it sits at: a desk token's own desk, or the one its session took on the desk page.
    A ``desk`` acts only on its own desk and the tickets at it (:mod:`.permissions`); None: no desk
    (yet), or a role that sits at none."""

    @property
    def id(self) -> str:
        return self.subject.id

    def acts_at(self, location: str) -> bool:
        """Whether it may act at ``location``: its own, or any for a city-wide role."""
        return self.location is None or self.location == location

    def acts_for(self, device_id: str) -> bool:
        """Whether it may act on what the device ``device_id`` holds (a kiosk's number blocks):
        it is that device, or an admin."""
        return self.role == "admin" or (self.subject.kind is SubjectKind.DEVICE and self.subject.id == device_id)


def location_for(role: str, location: str | None) -> str | None:
    """The location a new credential of ``role`` is bound to; ValueError when it needs one."""
    if role not in ROLES:
        raise ValueError(f"Unknown role '{role}'; choose one of {', '.join(ROLES)}.")
    if role in CITY_WIDE_ROLES:
        return None
    if not location:
        raise ValueError(f"A {role} credential belongs to one location; give its location.")
    return location


@dataclass(frozen=True)
class RoleGrant:
    """One role a person holds, at one location or (admin) everywhere."""

    role: str
    location: str | None

    @property
    def claim(self) -> str:
        return self.role if self.location is None else f"{self.role}:{self.location}"


def parse_grant(value: str) -> RoleGrant | None:
    """A role claim of the identity provider (``host:LOC``, ``desk:LOC``, ``manager:LOC``, ``admin``),
    or None for a value that grants nothing here."""
    role, _, location = value.strip().partition(":")
    if role not in PERSON_ROLES:
        return None
    if role in CITY_WIDE_ROLES:
        return RoleGrant(role, None) if not location else None
    return RoleGrant(role, location) if location else None


@dataclass(frozen=True)
class SessionPolicy:
    """How long a staff session lives: ``idle`` since its last use, ``absolute`` since sign-in."""

    idle: timedelta = timedelta(hours=2)
    absolute: timedelta = timedelta(hours=12)

    @property
    def touch_every(self) -> timedelta:
        """How often at most its last use is written down (a busy desk page costs no write per
        click): a minute, or a tenth of the idle limit when that is shorter."""
        return min(timedelta(minutes=1), self.idle / 10)


@dataclass(frozen=True)
class SessionPolicies:
    """The session policy of each role: ``default`` unless ``by_role`` names the role."""

    default: SessionPolicy = SessionPolicy()
    by_role: dict[str, SessionPolicy] | None = None

    def of(self, role: str) -> SessionPolicy:
        return (self.by_role or {}).get(role, self.default)


class SessionEnd(StrEnum):
    SIGNED_OUT = "signed_out"
    EVERYWHERE = "everywhere"
    DISABLED = "disabled"
    REVOKED = "revoked"
    IDLE = "idle"
    EXPIRED = "expired"


@dataclass(frozen=True)
class StaffSession:
    """A sign-in on a staff screen, kept by the server. The browser holds only a random secret;
    ``id`` is its SHA-256, so a copy of the database signs nobody in."""

    id: str
    subject: Subject
    role: str
    location: str | None
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None
    ended_why: str | None = None
    desk: str | None = None
    """The desk the session sits at (a desk's session): its token's desk, or the one it took last."""

    def end_at(self, now: datetime, policy: SessionPolicy) -> SessionEnd | None:
        """Why the session is over at ``now``, or None while it lives."""
        if self.ended_at is not None:
            return SessionEnd(self.ended_why or SessionEnd.SIGNED_OUT)
        if now >= self.expires_at:
            return SessionEnd.EXPIRED
        if now - self.last_seen_at >= policy.idle:
            return SessionEnd.IDLE
        return None

    def needs_touch(self, now: datetime, policy: SessionPolicy) -> bool:
        return now - self.last_seen_at >= policy.touch_every
