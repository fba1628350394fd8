"""A kiosk's outbox from the command line: what waits in it, and hand it in now.

    python -m queue_ticketing.client status --outbox var/kiosk/outbox.sqlite
    python -m queue_ticketing.client sync --outbox var/kiosk/outbox.sqlite --server URL --token TOKEN
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..domain.clock import system_clock
from ..domain.numbering import business_day
from .client import Client
from .errors import ClientError
from .outbox import Outbox


def _status(args: argparse.Namespace) -> int:
    if not Path(args.outbox).exists():
        print(f"error: no outbox at {args.outbox}", file=sys.stderr)
        return 2
    outbox = Outbox(args.outbox)
    try:
        counts, pending, stock = outbox.counts(), outbox.pending_by_action(), outbox.stock(business_day(system_clock()))
    finally:
        outbox.close()
    print("entries: " + (", ".join(f"{state} {n}" for state, n in sorted(counts.items())) or "none"))
    for action, n in sorted(pending.items()):
        print(f"  pending {action}: {n}")
    print("offline numbers left today: " + (", ".join(
        f"{location}/{service} {left}" for (location, service), left in sorted(stock.items())) or "none"))
    return 0


def _sync(args: argparse.Namespace) -> int:
    if not (args.server and args.token):
        print("error: give --server and --token (or GASTVRIJ_SERVER and GASTVRIJ_TOKEN)", file=sys.stderr)
        return 2
    with Client(args.server, args.token, args.outbox, background=False) as client:
        try:
            report = client.sync()
        except ClientError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    print(f"replayed {report.replayed}, rejected {report.rejected}, remaining {report.remaining} "
          f"in {report.seconds:.2f} s" + (f"; stopped: {report.stopped}" if report.stopped else ""))
    return 0 if report.remaining == 0 else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m queue_ticketing.client", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    status = sub.add_parser("status", help="entries per state and offline numbers left (no codes or contents)")
    status.add_argument("--outbox", required=True, help="the kiosk's outbox file")
    status.set_defaults(func=_status)
    sync = sub.add_parser("sync", help="hand in the pending entries now, in order, with their own keys")
    sync.add_argument("--outbox", required=True, help="the kiosk's outbox file")
    sync.add_argument("--server", default=os.environ.get("GASTVRIJ_SERVER"), help="default: GASTVRIJ_SERVER")
    sync.add_argument("--token", default=os.environ.get("GASTVRIJ_TOKEN"),
                      help="the kiosk's own token (its keys are per device); default: GASTVRIJ_TOKEN")
    sync.set_defaults(func=_sync)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
