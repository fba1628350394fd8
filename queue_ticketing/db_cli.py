"""Command line of operations: ``db backup``, ``db restore`` and ``housekeeping``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .settings import Settings

Common = Callable[[argparse.ArgumentParser], None]
SettingsOf = Callable[[argparse.Namespace], Settings]


def add_commands(sub: Any, db_sub: Any, common: Common, settings_of: SettingsOf) -> None:
    """Add ``db backup``, ``db restore`` (to the ``db`` command's actions) and ``housekeeping``."""

    def backup_command(args: argparse.Namespace) -> int:
        from .store.backup import BackupError, backup

        try:
            report = backup(settings_of(args).database_url, Path(args.to))
        except BackupError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{report.kind} backup written to {report.path} ({report.size_bytes} bytes)")
        return 0

    def restore_command(args: argparse.Namespace) -> int:
        from .store.backup import BackupError, restore

        try:
            kind = restore(settings_of(args).database_url, Path(args.from_file))
        except BackupError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{kind} backup {args.from_file} restored; start the service (it upgrades the schema if the "
              "backup is older)")
        return 0

    def housekeeping_command(args: argparse.Namespace) -> int:
        from .domain.clock import system_clock
        from .services.group_commit import GroupCommit
        from .services.housekeeping import forget_old
        from .store.database import Database

        db = Database(settings_of(args).database_url)
        try:
            # In rounds through a writer of its own, as a server's housekeeping does.
            forgotten = asyncio.run(forget_old(GroupCommit(db, system_clock), system_clock))
        finally:
            db.dispose()
        print(f"forgotten: {forgotten.idempotency_keys} idempotency keys, {forgotten.events} events, "
              f"{forgotten.number_blocks} number blocks, {forgotten.staff_sessions} staff sessions")
        return 0

    take = db_sub.add_parser("backup", help="write a consistent copy of the database while the service runs")
    common(take)
    take.add_argument("--to", required=True, metavar="FILE",
                      help="the backup file (SQLite: a database file; PostgreSQL: a pg_dump custom archive)")
    take.set_defaults(func=backup_command)

    back = db_sub.add_parser("restore", help="load a backup into an empty database (stop the service first)")
    common(back)
    back.add_argument("--from", dest="from_file", required=True, metavar="FILE", help="a file `db backup` wrote")
    back.set_defaults(func=restore_command)

    keep = sub.add_parser("housekeeping", help="forget expired idempotency keys, old events and number blocks "
                                               "once (for a timer, with GASTVRIJ_HOUSEKEEPING=false in serve)")
    common(keep)
    keep.set_defaults(func=housekeeping_command)
