"""Command line of the central service: serve, db upgrade, tokens (create, list, revoke), users, audit,
seed-demo, demo."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .domain.identity import CITY_WIDE_ROLES, DEVICE_ROLES
from .settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "database_url", None):
        overrides["database_url"] = args.database_url
    if getattr(args, "config_dir", None):
        overrides["config_dir"] = args.config_dir
    if getattr(args, "public_url", None):
        overrides["public_url"] = args.public_url
    if getattr(args, "forwarded_allow_ips", None):
        overrides["forwarded_allow_ips"] = args.forwarded_allow_ips
    return Settings(**overrides)


def _serve(args: argparse.Namespace) -> int:
    from .api.app import create_app
    from .api.server import require_public_url, serve
    from .structured_logging import configure

    settings = _settings(args)
    if args.no_access_log:
        settings.access_log = False
    configure(settings.log_level)
    require_public_url(settings, args.host)
    app = create_app(settings)
    serve(app, args.host, args.port, settings.forwarded_allow_ips)
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from .store.database import Database
    from .store.migrations import current, upgrade

    db = Database(_settings(args).database_url)
    upgrade(db)
    print(f"database at revision {current(db)}")
    return 0


def _tokens_create(args: argparse.Namespace) -> int:
    from .domain.clock import system_clock
    from .services.devices import create_device
    from .store.database import Database
    from .store.migrations import upgrade
    from .store.unit_of_work import OPERATOR
    from .store.write_batch import write_alone

    settings = _settings(args)
    if args.role in CITY_WIDE_ROLES and args.location:
        print(f"error: {args.role} tokens act at every location; leave out --location", file=sys.stderr)
        return 2
    if args.desk and args.role != "desk":
        print(f"error: only a desk token is made for one desk; leave out --desk for a {args.role}", file=sys.stderr)
        return 2
    if args.role not in CITY_WIDE_ROLES:
        from location_config import load_all

        known = load_all(settings.config_dir)
        if args.location not in known:
            print(f"error: unknown location '{args.location}'; known: {', '.join(sorted(known))}", file=sys.stderr)
            return 2
        desks = [d.id for d in known[args.location].desks]
        if args.desk and args.desk not in desks:
            print(f"error: location '{args.location}' has no desk '{args.desk}'; its desks: {', '.join(desks)}",
                  file=sys.stderr)
            return 2
    db = Database(settings.database_url)
    upgrade(db)
    new = write_alone(db, system_clock,
                      lambda uow: create_device(uow, args.role, args.location, args.name, args.desk), OPERATOR)
    print(f"device {new.device.id} ({new.device.name}), role {new.device.role}, "
          f"location {new.device.location or 'all'}" + (f", desk {new.device.desk}" if new.device.desk else ""))
    print(new.token)
    return 0


def _tokens_list(args: argparse.Namespace) -> int:
    from .domain.clock import system_clock
    from .services.devices import list_devices
    from .store.database import Database
    from .store.migrations import upgrade
    from .store.unit_of_work import Stores

    settings = _settings(args)
    db = Database(settings.database_url)
    upgrade(db)
    with db.read() as conn:
        listed = list_devices(Stores(conn), system_clock(), settings.session_policy())
    db.dispose()
    rows = [("ID", "NAME", "ROLE", "LOCATION", "DESK", "CREATED (UTC)", "STATE", "OPEN SESSIONS")]
    for entry in listed:
        device = entry.device
        if device.revoked_at is not None and not args.all:
            continue
        state = "active" if device.revoked_at is None else f"revoked {device.revoked_at:%Y-%m-%d %H:%M}"
        rows.append((device.id, device.name, device.role, device.location or "all", device.desk or "-",
                     f"{device.created_at:%Y-%m-%d %H:%M}", state, str(entry.open_sessions)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _tokens_revoke(args: argparse.Namespace) -> int:
    from .domain.clock import system_clock
    from .domain.errors import DomainError
    from .services.devices import revoke_device
    from .store.database import Database
    from .store.migrations import upgrade
    from .store.unit_of_work import OPERATOR
    from .store.write_batch import write_alone

    settings = _settings(args)
    db = Database(settings.database_url)
    upgrade(db)
    try:
        revoked = write_alone(db, system_clock, lambda uow: revoke_device(uow, args.device), OPERATOR)
    except DomainError as error:
        print(f"error: {error.detail}", file=sys.stderr)
        return 1 if error.status == 404 else 2
    finally:
        db.dispose()
    device = revoked.device
    if revoked.already:
        print(f"device {device.id} ({device.name}) was already revoked")
        return 0
    print(f"revoked device {device.id} ({device.name}), role {device.role}, location {device.location or 'all'}; "
          f"{revoked.sessions_ended} staff session(s) ended. Every server refuses it within "
          f"{settings.auth_cache_seconds:g} s.")
    return 0


def _seed_demo(args: argparse.Namespace) -> int:
    from .demo import seed_demo

    seed_demo(_settings(args), args.location, args.tokens_file)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(args.location, args.host, args.port, args.workdir)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m queue_ticketing",
        description="Gastvrij central ticket service. Database from --database-url or GASTVRIJ_DATABASE_URL "
                    "(default: SQLite file var/gastvrij.sqlite); locations from GASTVRIJ_CONFIG_DIR or the "
                    "packaged configuration.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--database-url", help="SQLAlchemy URL, e.g. sqlite:///var/gastvrij.sqlite or "
                                              "postgresql://user@host/db (default: GASTVRIJ_DATABASE_URL)")
        p.add_argument("--config-dir", help="location configuration folder (default: GASTVRIJ_CONFIG_DIR "
                                            "or the packaged one)")

    serve = sub.add_parser("serve", help="run the HTTP API (schema created or upgraded on start)")
    common(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--public-url", help="base URL for links in QR codes (default: the request's own)")
    serve.add_argument("--no-access-log", action="store_true", help="no log line per request")
    serve.add_argument("--forwarded-allow-ips", help="proxies whose X-Forwarded-Proto/-For are believed, "
                                                     "comma-separated (default: GASTVRIJ_FORWARDED_ALLOW_IPS "
                                                     "or 127.0.0.1,::1)")
    serve.set_defaults(func=_serve)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    up = db_sub.add_parser("upgrade", help="create or upgrade the schema to the latest revision")
    common(up)
    up.set_defaults(func=_db_upgrade)
    from .db_cli import add_commands as add_db_commands

    add_db_commands(sub, db_sub, common, _settings)

    tokens = sub.add_parser("tokens", help="device tokens")
    tokens_sub = tokens.add_subparsers(dest="tokens_command", required=True, metavar="ACTION")
    create = tokens_sub.add_parser("create", help="create a device and print its token alone on the last line")
    common(create)
    create.add_argument("--role", required=True, choices=DEVICE_ROLES, help="what the device may do")
    create.add_argument("--location", help="the location the token is bound to (all roles but "
                                           f"{' and '.join(sorted(CITY_WIDE_ROLES))})")
    create.add_argument("--name", help="a name for the device, e.g. kiosk-1")
    create.add_argument("--desk", help="desk tokens: the one desk it is made for, e.g. balie-2 (without it, the "
                                       "desk whose page it opens; through the API alone it acts at no desk)")
    create.set_defaults(func=_tokens_create)
    listing = tokens_sub.add_parser("list", help="the devices and their tokens' state (never the tokens)")
    common(listing)
    listing.add_argument("--all", action="store_true", help="revoked tokens too")
    listing.set_defaults(func=_tokens_list)
    revoke = tokens_sub.add_parser("revoke", help="revoke a device's token and end its staff sessions")
    common(revoke)
    revoke.add_argument("device", metavar="ID_OR_NAME", help="the device's id, or its name when no other "
                                                             "active device has it")
    revoke.set_defaults(func=_tokens_revoke)

    seed = sub.add_parser("seed-demo", help="demo tokens (one per role) and appointments for a quick look")
    common(seed)
    seed.add_argument("--location", default="ijsselmonde", help="location to seed (default ijsselmonde)")
    seed.add_argument("--tokens-file", default="var/demo-tokens.json", help="where to write the demo tokens")
    seed.set_defaults(func=_seed_demo)

    demo = sub.add_parser("demo", help="run the whole demo location on this machine until Ctrl-C")
    demo.add_argument("--location", default="ijsselmonde")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=int(os.environ.get("GASTVRIJ_DEMO_PORT", "8000")))
    demo.add_argument("--workdir", default="var/demo", help="where the demo keeps its database and logs")
    demo.set_defaults(func=_demo)

    # Cases and reports: zgw-clients, report, simulate-history.
    from .cases_cli import add_commands as add_case_commands

    add_case_commands(sub, common, _settings)
    from .accounts_cli import add_commands as add_account_commands

    add_account_commands(sub, common, _settings)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
