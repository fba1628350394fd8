"""Commands for people's accounts and the audit trail: ``users`` (create, list, disable,
set-password, totp, sign-out-everywhere) and ``audit verify`` (added to ``python -m queue_ticketing``
by ``cli.build_parser``). A password is read from standard input only (``--password-stdin``), never
from the command line, where other users of the machine could see it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from .domain.identity import PERSON_ROLES
from .settings import Settings

SettingsOf = Callable[[argparse.Namespace], Settings]


def add_commands(sub: Any, common: Callable[[argparse.ArgumentParser], None], settings_of: SettingsOf) -> None:
    users = sub.add_parser("users", help="people's staff accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    create = users_sub.add_parser("create", help="a local account (password from standard input)")
    common(create)
    create.add_argument("email")
    create.add_argument("--name", required=True, help="the person's name, as others see it")
    create.add_argument("--role", required=True, choices=PERSON_ROLES)
    create.add_argument("--location", help="the location of a host, desk or manager")
    create.add_argument("--password-stdin", action="store_true", required=True,
                        help="read the password (at least 12 characters) from the first line of standard input")
    create.set_defaults(func=lambda a: _create(a, settings_of(a)))

    listing = users_sub.add_parser("list", help="every account (never a password)")
    common(listing)
    listing.set_defaults(func=lambda a: _list(settings_of(a)))

    disable = users_sub.add_parser("disable", help="disable an account and end its sessions")
    common(disable)
    disable.add_argument("email")
    disable.set_defaults(func=lambda a: _disable(a, settings_of(a)))

    password = users_sub.add_parser("set-password", help="a new password (from standard input); "
                                                         "lifts a lock and ends the account's sessions")
    common(password)
    password.add_argument("email")
    password.add_argument("--password-stdin", action="store_true", required=True)
    password.set_defaults(func=lambda a: _set_password(a, settings_of(a)))

    totp = users_sub.add_parser("totp", help="turn on the TOTP second factor; prints the otpauth:// address "
                                             "for the person's authenticator app")
    common(totp)
    totp.add_argument("email")
    totp.set_defaults(func=lambda a: _totp(a, settings_of(a)))

    everywhere = users_sub.add_parser("sign-out-everywhere", help="end every session of the account")
    common(everywhere)
    everywhere.add_argument("email")
    everywhere.set_defaults(func=lambda a: _everywhere(a, settings_of(a)))

    audit = sub.add_parser("audit", help="the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = audit_sub.add_parser("verify", help="check the hash chain; exits 1 at the first broken link")
    common(verify)
    verify.set_defaults(func=lambda a: _verify(settings_of(a)))


def _password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _write(settings: Settings, work: Callable[[Any], Any]) -> tuple[Any, int]:
    from .domain.clock import system_clock
    from .domain.errors import DomainError
    from .store.database import Database
    from .store.migrations import upgrade
    from .store.unit_of_work import OPERATOR
    from .store.write_batch import write_alone

    db = Database(settings.database_url)
    upgrade(db)
    try:
        return write_alone(db, system_clock, work, OPERATOR), 0
    except DomainError as error:
        print(f"error: {error.detail}", file=sys.stderr)
        return None, 1 if error.status == 404 else 2
    finally:
        db.dispose()


def _create(args: argparse.Namespace, settings: Settings) -> int:
    from .services.accounts import create_account

    if args.role in ("host", "desk", "manager"):
        from location_config import load_all

        known = load_all(settings.config_dir)
        if args.location not in known:
            print(f"error: unknown location '{args.location}'; known: {', '.join(sorted(known))}", file=sys.stderr)
            return 2
    password = _password()
    account, status = _write(settings, lambda uow: create_account(uow, args.email, args.name, args.role,
                                                                  args.location, password))
    if account is not None:
        print(f"account {account.email} ({account.name}), role {account.role}, location {account.location or 'all'}")
    return status


def _list(settings: Settings) -> int:
    from .store.database import Database
    from .store.migrations import upgrade
    from .store.unit_of_work import Stores

    db = Database(settings.database_url)
    upgrade(db)
    with db.read() as conn:
        accounts = Stores(conn).accounts.all()
    db.dispose()
    print("email\tname\trole\tlocation\tsource\tsecond factor\tstate")
    for a in accounts:
        state = "disabled" if a.disabled_at else ("locked" if a.locked_until else "active")
        print(f"{a.email}\t{a.name}\t{a.role}\t{a.location or 'all'}\t{a.source}\t"
              f"{'totp' if a.totp_secret else '-'}\t{state}")
    return 0


def _disable(args: argparse.Namespace, settings: Settings) -> int:
    from .services.accounts import disable_account

    result, status = _write(settings, lambda uow: disable_account(uow, args.email))
    if result is not None:
        disabled, ended = result
        print(f"{args.email} {'disabled' if disabled else 'was already disabled'}; {ended} session(s) ended. "
              f"Every server refuses it within {settings.auth_cache_seconds:g} s.")
    return status


def _set_password(args: argparse.Namespace, settings: Settings) -> int:
    from .services.accounts import set_password

    password = _password()
    ended, status = _write(settings, lambda uow: set_password(uow, args.email, password))
    if status == 0:
        print(f"new password set for {args.email}; {ended} session(s) ended")
    return status


def _totp(args: argparse.Namespace, settings: Settings) -> int:
    from .services.accounts import enable_totp

    uri, status = _write(settings, lambda uow: enable_totp(uow, args.email))
    if uri is not None:
        print(uri)
    return status


def _everywhere(args: argparse.Namespace, settings: Settings) -> int:
    from .domain.identity import SessionEnd, Subject, SubjectKind
    from .services.accounts import find_account

    def end_all(uow: Any) -> int:
        account = find_account(uow, args.email)
        ended = int(uow.sessions.end_all_of(Subject(SubjectKind.PERSON, account.id), uow.now, SessionEnd.EVERYWHERE))
        uow.record("sign_out.everywhere", account.location, target=account.email)
        return ended

    ended, status = _write(settings, end_all)
    if status == 0:
        print(f"{ended} session(s) of {args.email} ended")
    return status


def _verify(settings: Settings) -> int:
    from .services.audit import verify
    from .store.database import Database
    from .store.unit_of_work import Stores

    db = Database(settings.database_url)
    with db.read() as conn:
        checked, broken = verify(Stores(conn))
    db.dispose()
    if broken is not None:
        print(f"audit trail broken at record {broken.seq}: {broken.why}", file=sys.stderr)
        return 1
    print(f"audit trail intact: {checked} record(s) checked")
    return 0
