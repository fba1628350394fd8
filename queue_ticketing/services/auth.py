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

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, replace

import anyio.to_thread
from cachetools import TTLCache

from ..domain.audit import actor_of
from ..domain.clock import Clock
from ..domain.errors import DomainError
from ..domain.identity import (
    Principal,
    RoleGrant,
    SessionEnd,
    SessionPolicies,
    SessionPolicy,
    StaffSession,
    Subject,
    SubjectKind,
)
from ..domain.permissions import Unauthorized, WrongDesk, authorize
from ..store.database import Database
from ..store.devices import token_hash
from ..store.unit_of_work import Stores, UnitOfWork
from .accounts import Account, Lockout, Verdict, check_sign_in, note_sign_in
from .devices import principal_of
from .group_commit import ACTOR, GroupCommit


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


def csrf_token(secret: str) -> str:
    """The anti-forgery token of a session: derived from its secret (an HMAC), so the server keeps
    nothing more, and a page of another site, which cannot read our pages, cannot know it."""
    return hmac.new(secret.encode(), b"csrf", "sha256").hexdigest()


def csrf_matches(secret: str, token: str | None) -> bool:
    return token is not None and hmac.compare_digest(csrf_token(secret), token)


def _key(credential: Credential) -> str:
    if isinstance(credential, Bearer):
        return "bearer:" + secret_hash(credential.token)
    return "session:" + secret_hash(credential.secret)


_Entry = Principal | tuple[StaffSession, Principal]


class Authenticator:
    """Turns a credential into its principal, or None when it is unknown, revoked or over."""

    def __init__(self, db: Database, writer: GroupCommit, clock: Clock, policy: SessionPolicy | None = None, *,
                 cache_seconds: float = 5.0, max_entries: int = 10_000,
                 by_role: dict[str, SessionPolicy] | None = None, lockout: Lockout | None = None) -> None:
        self.db = db
        self.writer = writer
        self.clock = clock
        self.policy = policy or SessionPolicy()
        """The policy of the roles ``by_role`` does not name."""
        self.policies = SessionPolicies(self.policy, by_role)
        self.lockout = lockout or Lockout()
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
        policy = self.policies.of(session.role)
        if session.end_at(now, policy) is not None or session.needs_touch(now, policy):
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
        policy = self.policies.of(session.role) if session else self.policy
        over = session.end_at(now, policy) if session else None
        if session is not None and session.ended_at is None and over is not None:
            ending, why = session.id, over  # over for good, whatever the clock says later
            await self.writer.write(lambda uow: uow.sessions.end(ending, now, why))
        if session is None or principal is None or over is not None:
            self.forget(credential)
            return None
        if session.needs_touch(now, policy):
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
            return replace(principal_of(device), role=session.role, location=session.location, session=session.id,
                           desk=device.desk or session.desk)
        if session.subject.kind is SubjectKind.PERSON:
            account = stores.accounts.get(session.subject.id)
            if account is None or account.disabled_at is not None:
                return None
            return Principal(session.subject, account.name, session.role, session.location, session.id,
                             desk=session.desk)
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
                               expires_at=now + self.policies.of(principal.role).absolute, desk=principal.desk)
        await self.writer.write(lambda uow: uow.sessions.add(session))
        signed_in = replace(principal, session=session.id)
        self._remember(SessionCookie(secret), (session, signed_in))
        return secret, signed_in

    async def take_desk(self, secret: str, desk: str) -> Principal | None:
        """The session sits at ``desk`` from now on (its holder opened that desk's page): written
        down with an audit record when it sat elsewhere, and its principal, or None when the
        session is over. WrongDesk when its token is made for another desk. Other server processes
        see the new desk within ``cache_seconds``."""
        credential = SessionCookie(secret)
        principal = await self.authenticate(credential)
        if principal is None or principal.desk == desk:
            return principal
        taker = principal

        def take(uow: UnitOfWork) -> bool:
            if taker.subject.kind is SubjectKind.DEVICE:
                device = uow.devices.get(taker.id)
                if device is not None and device.desk is not None and device.desk != desk:
                    raise WrongDesk(f"This token is made for desk '{device.desk}', not '{desk}'.",
                                    reason="desk", desk=device.desk)
            taken = uow.sessions.take_desk(secret_hash(secret), desk)
            if taken:
                uow.record("desk.taken", taker.location, target=desk)
            return taken

        taken: bool = await self.writer.write(take)
        self.forget(credential)
        return await self.authenticate(credential) if taken else None

    async def sign_out(self, secret: str) -> bool:
        """End the session at once (here; other server processes within ``cache_seconds``)."""
        principal = await self.authenticate(SessionCookie(secret))
        if principal is not None:
            ACTOR.set(actor_of(principal))
        now = self.clock()
        self.forget(SessionCookie(secret))
        location = principal.location if principal else None

        def end(uow: UnitOfWork) -> bool:
            ended = uow.sessions.end(secret_hash(secret), now, SessionEnd.SIGNED_OUT)
            if ended and principal is not None:
                uow.record("sign_out", location)
            return ended

        ended: bool = await self.writer.write(end)
        return ended

    # ------------------------------------------------------------------------------------- people

    async def sign_in_person(self, email: str, password: str, code: str | None) -> tuple[str, Principal]:
        """A new session for the local account, if its password (and code) are right: the secret for
        the cookie and the session's principal. Else the error of why (wrong credentials, locked,
        code needed), after the failure is written down (it counts towards the lock)."""
        now = self.clock()

        def check() -> Verdict:
            with self.db.read() as conn:
                return check_sign_in(Stores(conn), email, password, code, now)

        verdict = await anyio.to_thread.run_sync(check)
        account = verdict.account
        if account is not None:
            ACTOR.set(actor_of(self._person(account, RoleGrant(account.role, account.location))))
        failure: DomainError | None = await self.writer.write(lambda uow: note_sign_in(uow, verdict, self.lockout))
        if failure is not None:
            raise failure
        assert account is not None
        return await self.start_person_session(account, RoleGrant(account.role, account.location))

    @staticmethod
    def _person(account: Account, grant: RoleGrant, session: str | None = None) -> Principal:
        return Principal(Subject(SubjectKind.PERSON, account.id), account.name, grant.role, grant.location, session)

    async def start_person_session(self, account: Account, grant: RoleGrant) -> tuple[str, Principal]:
        """A new session of the person acting as ``grant`` (recorded as a sign-in)."""
        now = self.clock()
        secret = secrets.token_urlsafe(32)
        principal = self._person(account, grant, secret_hash(secret))
        ACTOR.set(actor_of(principal))
        session = StaffSession(id=secret_hash(secret), subject=principal.subject, role=grant.role,
                               location=grant.location, created_at=now, last_seen_at=now,
                               expires_at=now + self.policies.of(grant.role).absolute)

        def start(uow: UnitOfWork) -> None:
            uow.sessions.add(session)
            uow.record("sign_in", grant.location)

        await self.writer.write(start)
        self._remember(SessionCookie(secret), (session, principal))
        return secret, principal

    async def sign_out_everywhere(self, subject: Subject, location: str | None) -> int:
        """End every open session of the person (by themselves, or by an admin). Other server
        processes stop taking them within ``cache_seconds``; this one at once."""
        now = self.clock()

        def end_all(uow: UnitOfWork) -> int:
            ended = uow.sessions.end_all_of(subject, now, SessionEnd.EVERYWHERE)
            uow.record("sign_out.everywhere", location, target=f"{subject.kind.value}:{subject.id}")
            return ended

        ended: int = await self.writer.write(end_all)
        with self._lock:
            for key, entry in list(self._cache.items()):
                if isinstance(entry, tuple) and entry[0].subject == subject:
                    self._cache.pop(key, None)
        return ended
