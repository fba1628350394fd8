"""Commands for cases and reports: ``zgw-clients``, ``report`` and ``simulate-history``
(added to ``python -m queue_ticketing`` by ``cli.build_parser``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from .settings import Settings

SettingsOf = Callable[[argparse.Namespace], Settings]


def add_commands(sub: Any, common: Callable[[argparse.ArgumentParser], None], settings_of: SettingsOf) -> None:
    from .services.zgw_auth import SCOPES

    clients = sub.add_parser("zgw-clients", help="clients of the Zaken API (/zaken/api/v1) and their scopes")
    clients_sub = clients.add_subparsers(dest="zgw_command", required=True, metavar="ACTION")
    add = clients_sub.add_parser("add", help="add a client, or replace its secret and scopes",
                                 description="The client signs its JWTs (HS256) with SECRET. Give SECRET as - to "
                                             "read it from standard input (keeps it out of the shell history).")
    common(add)
    add.add_argument("client_id", metavar="CLIENT_ID")
    add.add_argument("secret", metavar="SECRET", help="at least 32 characters, or - to read it from stdin")
    add.add_argument("--scopes", nargs="+", required=True, choices=SCOPES, metavar="SCOPE",
                     help=f"one or more of: {', '.join(SCOPES)}")
    add.add_argument("--max-vertrouwelijkheid", default="zeer_geheim", metavar="LEVEL",
                     help="the most confidential cases the client sees (ZGW's maxVertrouwelijkheidaanduiding: "
                          "openbaar ... zeer_geheim; default zeer_geheim, all)")
    add.add_argument("--zaaktype", action="append", metavar="ZAAKTYPE",
                     help="a zaaktype id from zaaktypes.toml (repeatable); default: every zaaktype")
    add.set_defaults(func=lambda args: _clients_add(args, settings_of(args)))
    listing = clients_sub.add_parser("list", help="clients and their scopes (never their secrets)")
    common(listing)
    listing.set_defaults(func=lambda args: _clients_list(settings_of(args)))
    remove = clients_sub.add_parser("remove", help="remove a client; its tokens stop working within 30 s")
    common(remove)
    remove.add_argument("client_id", metavar="CLIENT_ID")
    remove.set_defaults(func=lambda args: _clients_remove(args, settings_of(args)))

    report = sub.add_parser("report", help="the service-norm report of a location")
    common(report)
    report.add_argument("--location", required=True)
    period = report.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", help="a month like 2026-11")
    period.add_argument("--from", dest="first_day", type=date.fromisoformat, help="first day (with --to)")
    report.add_argument("--to", dest="last_day", type=date.fromisoformat, help="last day, inclusive")
    report.add_argument("--format", choices=("text", "json", "csv"), default="text")
    report.set_defaults(func=lambda args: _report(args, settings_of(args)))

    simulate = sub.add_parser("simulate-history", help="fill the database with a plausible history of visits "
                                                       "(for reports and benchmarks; never on a live database)")
    common(simulate)
    simulate.add_argument("--location", required=True)
    simulate.add_argument("--days", type=int, default=365, help="how many days back from --last-day (default 365)")
    simulate.add_argument("--last-day", type=date.fromisoformat, help="the last day (default yesterday)")
    simulate.add_argument("--seed", type=int, default=2026, help="the same seed gives the same history")
    simulate.set_defaults(func=lambda args: _simulate(args, settings_of(args)))


def _database(settings: Settings) -> Any:
    from .store.database import Database
    from .store.migrations import upgrade

    db = Database(settings.database_url)
    upgrade(db)
    return db


def _zaaktype_ids(settings: Settings) -> list[str]:
    from location_config.loader import default_config_dir
    from location_config.zaaktypes import PACKAGED_ZAAKTYPES, ZAAKTYPES_FILE, load_zaaktypes

    configured = (settings.config_dir or default_config_dir()) / ZAAKTYPES_FILE
    return list(load_zaaktypes(configured if configured.is_file() else PACKAGED_ZAAKTYPES).zaaktypes)


def _clients_add(args: argparse.Namespace, settings: Settings) -> int:
    from .domain.clock import system_clock
    from .domain.errors import DomainError
    from .services.zgw_auth import put_client
    from .store.unit_of_work import OPERATOR
    from .store.write_batch import write_alone

    secret = sys.stdin.readline().strip() if args.secret == "-" else args.secret
    db = _database(settings)
    try:
        known = _zaaktype_ids(settings)
        client = write_alone(db, system_clock,
                             lambda uow: put_client(uow, args.client_id, secret, args.scopes, args.zaaktype, known,
                                                    args.max_vertrouwelijkheid),
                             OPERATOR)
    except DomainError as error:
        print(f"error: {error.detail}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    for zaaktype, scopes in client.scopes.items():
        print(f"client {client.client_id}: {' '.join(sorted(scopes))} for zaaktype {zaaktype}, up to "
              f"{client.max_vertrouwelijkheid.get(zaaktype, 'zeer_geheim')}")
    return 0


def _clients_list(settings: Settings) -> int:
    from .store.unit_of_work import Stores

    db = _database(settings)
    with db.read() as conn:
        for client in Stores(conn).zgw_clients.all():
            for zaaktype, scopes in client.scopes.items():
                level = client.max_vertrouwelijkheid.get(zaaktype, "zeer_geheim")
                print(f"{client.client_id}\t{zaaktype}\t{' '.join(sorted(scopes))}\t{level}")
    db.dispose()
    return 0


def _clients_remove(args: argparse.Namespace, settings: Settings) -> int:
    from .domain.clock import system_clock
    from .store.unit_of_work import OPERATOR, UnitOfWork
    from .store.write_batch import write_alone

    db = _database(settings)

    def remove(uow: UnitOfWork) -> bool:
        gone = uow.zgw_clients.remove(args.client_id)
        if gone:
            uow.record("zgw_client.changed", None, target=args.client_id)
        return bool(gone)

    removed = write_alone(db, system_clock, remove, OPERATOR)
    db.dispose()
    if not removed:
        print(f"error: no client '{args.client_id}'", file=sys.stderr)
        return 1
    print(f"removed client {args.client_id}")
    return 0


def _location(settings: Settings, location_id: str) -> Any:
    from location_config import load_all

    known = load_all(settings.config_dir)
    if location_id not in known:
        print(f"error: unknown location '{location_id}'; known: {', '.join(sorted(known))}", file=sys.stderr)
        return None
    return known[location_id]


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from .domain.clock import system_clock
    from .domain.errors import DomainError
    from .services import service_norms
    from .services.context import ServiceContext

    location = _location(settings, args.location)
    if location is None:
        return 2
    try:
        if args.month:
            first_day, last_day = service_norms.month_period(args.month)
        else:
            first_day, last_day = args.first_day, args.last_day or args.first_day
        db = _database(settings)
        ctx = ServiceContext(db=db, locations={location.id: location}, clock=system_clock)
        report = service_norms.make_report(ctx, location, first_day, last_day)
        db.dispose()
    except DomainError as error:
        print(f"error: {error.detail}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(service_norms.report_document(report), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(service_norms.report_csv(report))
    else:
        print(service_norms.report_text(report))
    return 0


def _simulate(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from .domain.clock import system_clock
    from .domain.numbering import business_day
    from .history_simulator import simulate
    from .store.ticket_history import add_history, tickets_between
    from .store.write_batch import write_alone

    location = _location(settings, args.location)
    if location is None:
        return 2
    today = business_day(system_clock())
    last_day = args.last_day or today - timedelta(days=1)
    if last_day >= today:
        print("error: only days before today can be simulated (today's numbers are live)", file=sys.stderr)
        return 2
    if args.days < 1:
        print("error: --days must be at least 1", file=sys.stderr)
        return 2
    first_day = last_day - timedelta(days=args.days - 1)
    db = _database(settings)
    try:
        with db.read() as conn:
            existing = tickets_between(conn, location.id, first_day, last_day)
        if existing:
            print(f"error: {location.id} already has {existing} tickets between {first_day} and {last_day}; "
                  "simulate into an empty period or another database", file=sys.stderr)
            return 1
        started = time.perf_counter()
        history = simulate(location, first_day, last_day, args.seed)
        simulated = time.perf_counter() - started
        write_alone(db, system_clock, lambda uow: add_history(uow.conn, history.tickets, history.appointments, uow.now))
        written = time.perf_counter() - started - simulated
    finally:
        db.dispose()
    steps = sum(len(t.timeline) for t in history.tickets)
    print(f"{location.id}: {len(history.tickets)} tickets ({len(history.appointments)} by appointment) with "
          f"{steps} steps from {first_day} to {last_day}; simulated in {simulated:.1f} s, written in {written:.1f} s")
    return 0
