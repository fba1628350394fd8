"""Credentials → principal: one way in for device tokens (``Authorization: Bearer``) and staff
sessions (a staff screen's cookie), and the sessions' sign-in and sign-out (DESIGN.md, "Auth").

Looking a credential up costs a database read (in a thread), so a good one is remembered for a
few seconds (``cache_seconds``) in a bounded cache; unknown ones are never remembered. That bound is
also how long a token revoked or a session ended by another process (``tokens revoke``, a sign-out
on another server) can still be used here. A session's expiry is checked on every use, cached or
not. What sessions write (a sign-in, its use, its end) goes through the server's one writer, the
group commit.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, replace

import anyio.to_thread
from cachetools import TTLCache

from ..domain.clock import Clock
from ..domain.identity import Principal, SessionEnd, SessionPolicy, StaffSession, SubjectKind
from ..domain.permissions import Unauthorized, authorize
from ..store.database import Database
from ..store.devices import token_hash
from ..store.unit_of_work import Stores
from .devices import principal_of
from .group_commit import GroupCommit


@dataclass(frozen=True)
class Bearer:
    """A device token, as sent in ``Authorization: Bearer <token>``."""

    token: str


@dataclass(frozen=True)
class SessionCookie:
    """The secret of a staff session, as kept in the staff screen's cookie."""

    secret: str


Credential = Bearer | SessionCookie


class UnknownToken(Unauthorized):
    code = "unknown_token"


def secret_hash(secret: str) -> str:
    """What is stored of a session's secret: its SHA-256, as for a device token."""
    return token_hash(secret)


def _key(credential: Credential) -> str:
    if isinstance(credential, Bearer):
        return "bearer:" + secret_hash(credential.token)
    return "session:" + secret_hash(credential.secret)


_Entry = Principal | tuple[StaffSession, Principal]


class Authenticator:
    """Turns a credential into its principal, or None when it is unknown, revoked or over."""

    def __init__(self, db: Database, writer: GroupCommit, clock: Clock, policy: SessionPolicy | None = None, *,
                 cache_seconds: float = 5.0, max_entries: int = 10_000) -> None:
        self.db = db
        self.writer = writer
        self.clock = clock
        self.policy = policy or SessionPolicy()
        self.cache_seconds = cache_seconds
        self._cache: TTLCache[str, _Entry] = TTLCache(maxsize=max_entries, ttl=cache_seconds, timer=time.monotonic)
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """How many credentials are remembered now (at most ``max_entries``)."""
        with self._lock:
            return len(self._cache)

    # ------------------------------------------------------------------------------------ look-up

    def cached(self, credential: Credential) -> tuple[bool, Principal | None]:
        """``(True, principal)`` when the cache alone answers (no database read or write needed),
        else ``(False, None)``."""
        with self._lock:
            entry = self._cache.get(_key(credential))
        if entry is None:
            return False, None
        if isinstance(entry, Principal):
            return True, entry
        session, principal = entry
        now = self.clock()
        if session.end_at(now, self.policy) is not None or session.needs_touch(now, self.policy):
            return False, None
        return True, principal

    async def authenticate(self, credential: Credential) -> Principal | None:
        """The credential's principal: from the cache when it can answer, else read from the
        database in a thread (and a session's use noted through the writer). Call on the event loop."""
        found, principal = self.cached(credential)
        if found:
            return principal
        if isinstance(credential, Bearer):
            return await anyio.to_thread.run_sync(self._bearer, credential.token)
        return await self._session(credential.secret)

    def forget(self, credential: Credential) -> None:
        with self._lock:
            self._cache.pop(_key(credential), None)

    def _remember(self, credential: Credential, entry: _Entry) -> None:
        with self._lock:
            self._cache[_key(credential)] = entry

    def _bearer(self, token: str) -> Principal | None:
        with self.db.read() as conn:
            device = Stores(conn).devices.by_token(token)
        if device is None or device.revoked_at is not None:
            return None
        principal = principal_of(device)
        self._remember(Bearer(token), principal)
        return principal

    def _read_session(self, secret: str) -> tuple[StaffSession | None, Principal | None]:
        with self.db.read() as conn:
            stores = Stores(conn)
            session = stores.sessions.get(secret_hash(secret))
            return session, self._principal_of(stores, session) if session else None

    async def _session(self, secret: str) -> Principal | None:
        credential = SessionCookie(secret)
        session, principal = await anyio.to_thread.run_sync(self._read_session, secret)
        now = self.clock()
        over = session.end_at(now, self.policy) if session else None
        if session is not None and session.ended_at is None and over is not None:
            ending, why = session.id, over  # over for good, whatever the clock says later
            await self.writer.write(lambda uow: uow.sessions.end(ending, now, why))
        if session is None or principal is None or over is not None:
            self.forget(credential)
            return None
        if session.needs_touch(now, self.policy):
            used = session.id
            await self.writer.write(lambda uow: uow.sessions.touch(used, now))
            session = replace(session, last_seen_at=now)
        self._remember(credential, (session, principal))
        return principal

    @staticmethod
    def _principal_of(stores: Stores, session: StaffSession) -> Principal | None:
        """Who the session is of, while that subject may still sign in (a device not revoked)."""
        if session.subject.kind is SubjectKind.DEVICE:
            device = stores.devices.get(session.subject.id)
            if device is None or device.revoked_at is not None:
                return None
            return replace(principal_of(device), role=session.role, location=session.location, session=session.id)
        return None

    # ----------------------------------------------------------------------------- staff sessions

    async def sign_in(self, token: str, permission: str, location: str) -> tuple[str, Principal]:
        """A new staff session for the token's holder, if it holds ``permission`` at ``location``:
        the secret for the screen's cookie and the session's principal. The token is read from
        the database, never from the cache (a token revoked a moment ago signs nobody in)."""
        self.forget(Bearer(token))
        principal = await anyio.to_thread.run_sync(self._bearer, token)
        if principal is None:
            raise UnknownToken("This token is unknown or has been revoked.")
        authorize(principal, permission, location)
        now = self.clock()
        secret = secrets.token_urlsafe(32)
        session = StaffSession(id=secret_hash(secret), subject=principal.subject, role=principal.role,
                               location=principal.location, created_at=now, last_seen_at=now,
                               expires_at=now + self.policy.absolute)
        await self.writer.write(lambda uow: uow.sessions.add(session))
        signed_in = replace(principal, session=session.id)
        self._remember(SessionCookie(secret), (session, signed_in))
        return secret, signed_in

    async def sign_out(self, secret: str) -> bool:
        """End the session at once (here; other server processes within ``cache_seconds``)."""
        now = self.clock()
        self.forget(SessionCookie(secret))
        ended: bool = await self.writer.write(lambda uow: uow.sessions.end(secret_hash(secret), now,
                                                                            SessionEnd.SIGNED_OUT))
        return ended
