"""People's staff accounts: create, list, disable, set a password, a TOTP second factor, and the
check of a local sign-in (argon2id, throttled and locked after repeated failures).

Hashing a password is slow on purpose (argon2id), so a sign-in's check runs in a thread outside
the writer; only its outcome (the failed-attempt count, the lock) goes through the group commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..domain.errors import DomainError, NotFound
from ..domain.identity import PERSON_ROLES, SessionEnd, Subject, SubjectKind, location_for
from ..store.accounts import Account as Account  # an account's record; routes name it from here
from ..store.unit_of_work import Stores, UnitOfWork

MIN_PASSWORD = 12
MAX_PASSWORD = 256

HASHER = PasswordHasher()
"""argon2id with the library's recommended parameters (RFC 9106, low-memory profile)."""

_UNKNOWN = "$argon2id$v=19$m=65536,t=3,p=4$TtWRy29+seqJcK9qFzaWHg$Eh/uFif6EWhiwKnJEfXHc7QgoYqnUybhoz5JU8LGgiU"
"""Checked against when the e-mail address is unknown, so both answers take as long: the hash, with
``HASHER``'s parameters, of a random password nobody kept. Written out rather than hashed at import,
which cost every process (each command, each server start) a quarter of a second of CPU."""


class WeakPassword(DomainError):
    code = "weak_password"
    status = 422


class AccountExists(DomainError):
    code = "account_exists"
    status = 409


@dataclass(frozen=True)
class Lockout:
    """After ``attempts`` failed sign-ins in a row an account is locked for ``minutes``; each
    further failure while counting doubles the lock, up to ``max_minutes``."""

    attempts: int = 5
    minutes: float = 15
    max_minutes: float = 24 * 60

    def lock_after(self, failures: int, now: datetime) -> datetime | None:
        if failures < self.attempts:
            return None
        minutes = min(self.minutes * 2 ** (failures - self.attempts), self.max_minutes)
        return now + timedelta(minutes=minutes)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(f"A password has at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise WeakPassword(f"A password has at most {MAX_PASSWORD} characters.")


def normal_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise DomainError(f"'{email}' is not an e-mail address.")
    return email


def create_account(uow: UnitOfWork, email: str, name: str, role: str, location: str | None,
                   password: str) -> Account:
    email = normal_email(email)
    if role not in PERSON_ROLES:
        raise DomainError(f"A person's role is one of {', '.join(PERSON_ROLES)}, not '{role}'.")
    try:
        bound = location_for(role, location)
    except ValueError as error:
        raise DomainError(str(error)) from None
    check_password_rules(password)
    if uow.accounts.by_email(email) is not None:
        raise AccountExists(f"There is already an account for {email}.")
    account = Account(id=secrets.token_hex(8), email=email, name=name.strip() or email, role=role, location=bound,
                      source="local", created_at=uow.now, password_hash=HASHER.hash(password))
    uow.accounts.add(account)
    uow.record("account.created", bound, target=email)
    return account


def find_account(stores: Stores, email: str) -> Account:
    account = stores.accounts.by_email(email.strip().lower())
    if account is None:
        raise NotFound(f"There is no account for {email}.")
    return account


def disable_account(uow: UnitOfWork, email: str) -> tuple[bool, int]:
    """Disable the account and end its sessions; (whether it was enabled, sessions ended)."""
    account = find_account(uow, email)
    disabled = uow.accounts.disable(account.id, uow.now)
    ended = uow.sessions.end_all_of(Subject(SubjectKind.PERSON, account.id), uow.now, SessionEnd.DISABLED)
    if disabled:
        uow.record("account.disabled", account.location, target=account.email)
    return disabled, ended


def set_password(uow: UnitOfWork, email: str, password: str) -> int:
    """A new password (which also lifts a lock); the account's open sessions end. Sessions ended."""
    account = find_account(uow, email)
    if account.source != "local":
        raise DomainError("This account signs in with the city account; its password is kept there.")
    check_password_rules(password)
    uow.accounts.set_password(account.id, HASHER.hash(password))
    uow.record("account.password_set", account.location, target=account.email)
    return uow.sessions.end_all_of(Subject(SubjectKind.PERSON, account.id), uow.now, SessionEnd.SIGNED_OUT)


def enable_totp(uow: UnitOfWork, email: str) -> str:
    """A new TOTP secret for the account (RFC 6238, 30 s, 6 digits): its otpauth:// address, for the
    person's authenticator app."""
    account = find_account(uow, email)
    secret = pyotp.random_base32()
    uow.accounts.set_totp(account.id, secret)
    uow.record("account.second_factor_set", account.location, target=account.email)
    return pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name="Gastvrij")


# ------------------------------------------------------------------------------------ sign-in


class SignInFailed(DomainError):
    """Wrong e-mail address, password or code; the same answer for each (nothing to probe)."""

    code = "wrong_credentials"
    status = 401


class AccountLocked(DomainError):
    code = "account_locked"
    status = 429


class CodeNeeded(DomainError):
    code = "code_needed"
    status = 401


@dataclass(frozen=True)
class Verdict:
    """What checking a sign-in found: the account (None: unknown address) and whether it passed."""

    account: Account | None
    passed: bool
    locked: bool = False
    code_missing: bool = False


def check_sign_in(stores: Stores, email: str, password: str, code: str | None, now: datetime) -> Verdict:
    """Check a local sign-in, reading only (call in a thread: argon2id takes a while)."""
    account = stores.accounts.by_email(email.strip().lower())
    if account is None or account.source != "local" or account.password_hash is None:
        _verify(_UNKNOWN, password)
        return Verdict(None, False)
    if account.locked_until is not None and now < account.locked_until:
        return Verdict(account, False, locked=True)
    if not _verify(account.password_hash, password) or account.disabled_at is not None:
        return Verdict(account, False)
    if account.totp_secret:
        if not code:
            return Verdict(account, False, code_missing=True)
        if not pyotp.TOTP(account.totp_secret).verify(code.strip(), for_time=now, valid_window=1):
            return Verdict(account, False)
    return Verdict(account, True)


def _verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def note_sign_in(uow: UnitOfWork, verdict: Verdict, lockout: Lockout) -> DomainError | None:
    """Write down a checked sign-in: a failure counts towards the lock (and is recorded), a success
    clears the count. The failure's error, for the caller to raise once it is written (raising
    here would roll the count back with the unit of work)."""
    account = verdict.account
    if account is None:
        uow.record("sign_in.failed", None)
        return SignInFailed("The e-mail address, password or code is not right.")
    if verdict.passed:
        uow.accounts.succeeded(account.id)
        return None
    if verdict.locked:
        uow.record("sign_in.failed", account.location, target=account.email)
        return AccountLocked("Too many failed sign-ins: this account is locked for a while. Try again later, "
                             "or ask an administrator to set a new password.")
    if verdict.code_missing:
        return CodeNeeded("Enter the 6-digit code of your authenticator app.")
    current = uow.accounts.get(account.id)
    failures = (current.failed_attempts if current else account.failed_attempts) + 1
    uow.accounts.failed(account.id, failures, lockout.lock_after(failures, uow.now))
    uow.record("sign_in.failed", account.location, target=account.email)
    return SignInFailed("The e-mail address, password or code is not right.")
