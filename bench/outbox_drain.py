"""How fast a kiosk hands in its outbox when the link returns (queue_ticketing.client).

For each N: a fresh kiosk outbox gets N offline actions while the kiosk believes it is offline
(walk-in tickets from leased number blocks, spread over four services, and every tenth action an
assist request), then ``Client.sync()`` drains it against the server. Measured: the time to write
the N entries (each one durable: SQLite WAL, synchronous=FULL), the actions replayed and the time
to drain them. Then the same outbox file as it was *before* the drain is drained again, as after a
kiosk killed before it could note any answer: every action is sent again with its key, the server
answers each from its idempotency store, and no ticket is added (checked on the queue).

    python -m bench.outbox_drain                       # a fresh server on SQLite, N = 50 200 1000
    python -m bench.outbox_drain --database postgresql://postgres@127.0.0.1:5432/test
    python -m bench.outbox_drain --server http://127.0.0.1:8000 --kiosk-token K --desk-token D
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from queue_ticketing.client import Client, Timeouts

from .harness import LOCATION, BenchDatabase, ServerProcess, create_tokens, table, workdir, write_json

SERVICES = ("paspoort", "identiteitskaart", "rijbewijs", "uittreksel_brp")
BLOCK = 200


@dataclass
class Run:
    entries: int
    tickets: int
    assists: int
    write_seconds: float
    replayed: int
    rejected: int
    drain_seconds: float
    replayed_again: int
    again_seconds: float
    tickets_added_by_replay: int

    @property
    def per_second(self) -> float:
        return self.replayed / self.drain_seconds if self.drain_seconds else 0.0

    @property
    def again_per_second(self) -> float:
        return self.replayed_again / self.again_seconds if self.again_seconds else 0.0


@contextlib.contextmanager
def _server(args: argparse.Namespace, folder: Path) -> Iterator[tuple[str, str, str, str]]:
    """(url, kiosk token, desk token, what) of the server to measure."""
    if args.server:
        if not (args.kiosk_token and args.desk_token):
            raise SystemExit("error: with --server give --kiosk-token and --desk-token (of ijsselmonde)")
        yield args.server.rstrip("/"), args.kiosk_token, args.desk_token, "external"
        return
    with BenchDatabase(args.database, folder) as db:
        tokens = create_tokens(db.url, [("kiosk", "drain-kiosk"), ("desk", "drain-desk")])
        server = ServerProcess(db.url, folder / "server.log").start()
        try:
            yield server.url, tokens["drain-kiosk"], tokens["drain-desk"], db.kind
        finally:
            server.stop()


def _waiting(url: str, desk: str) -> int:
    with Client(url, desk, background=False, timeouts=Timeouts(read=30, total=60)) as view:
        return len(view.queue(LOCATION).tickets or ())


def _fill(client: Client, entries: int) -> tuple[int, int, float]:
    """Write ``entries`` offline actions to the outbox; (tickets, assists, seconds)."""
    tickets = assists = 0
    started = time.perf_counter()
    for n in range(entries):
        if n % 10 == 9:
            client.request_assist(LOCATION, reason="other", place="bench")
            assists += 1
        else:
            client.issue_ticket(LOCATION, SERVICES[n % len(SERVICES)])
            tickets += 1
    return tickets, assists, time.perf_counter() - started


def measure(url: str, kiosk: str, desk: str, entries: int, folder: Path) -> Run:
    outbox = folder / f"outbox-{entries}.sqlite"
    timeouts = Timeouts(read=30, total=60)
    with Client(url, kiosk, outbox, background=False, timeouts=timeouts) as client:
        per_service = -(-entries // len(SERVICES))
        for service in SERVICES:
            for _ in range(-(-per_service // BLOCK)):
                client.lease_block(LOCATION, service, size=BLOCK)
        client.online.set(False)  # the link is down: everything goes to the outbox
        tickets, assists, write_seconds = _fill(client, entries)
        assert client.pending == entries, client.pending
    copy = folder / f"outbox-{entries}-before-drain.sqlite"
    shutil.copyfile(outbox, copy)  # the outbox is closed (and checkpointed): one file holds it all

    before = _waiting(url, desk)
    with Client(url, kiosk, outbox, background=False, timeouts=timeouts) as client:
        started = time.perf_counter()
        report = client.sync()
        drain_seconds = time.perf_counter() - started
        assert report.remaining == 0, report
    after = _waiting(url, desk)
    assert after - before == tickets, (before, after, tickets)

    with Client(url, kiosk, copy, background=False, timeouts=timeouts) as client:
        started = time.perf_counter()
        again = client.sync()
        again_seconds = time.perf_counter() - started
    added = _waiting(url, desk) - after
    return Run(entries, tickets, assists, write_seconds, report.replayed, report.rejected, drain_seconds,
               again.replayed, again_seconds, added)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox_drain", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, nargs="+", default=[50, 200, 1000], metavar="N",
                        help="outbox sizes to measure (default 50 200 1000; at most 4000)")
    parser.add_argument("--database", default="sqlite", metavar="URL",
                        help="'sqlite' (a fresh file) or postgresql://... (a fresh database on that server)")
    parser.add_argument("--server", metavar="URL", help="measure this running server instead of starting one")
    parser.add_argument("--kiosk-token", help="with --server: a kiosk token of ijsselmonde")
    parser.add_argument("--desk-token", help="with --server: a desk token of ijsselmonde (to count the queue)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if any(not 1 <= n <= 4000 for n in args.entries):
        parser.error("--entries: 1 to 4000 (a kiosk leases at most 1000 numbers per service and day)")

    runs: list[Run] = []
    with workdir(args.keep) as folder, _server(args, folder) as (url, kiosk, desk, kind):
        print(f"server {url} ({kind}); python {platform.python_version()}", flush=True)
        for n in args.entries:
            runs.append(measure(url, kiosk, desk, n, folder))
            print(f"  N={n}: drained in {runs[-1].drain_seconds:.2f} s", flush=True)
    print(table(
        ["N", "tickets", "assists", "write s", "replayed", "rejected", "drain s", "actions/s",
         "re-drain s", "re-drain/s", "tickets added by re-drain"],
        [[r.entries, r.tickets, r.assists, f"{r.write_seconds:.2f}", r.replayed, r.rejected,
          f"{r.drain_seconds:.2f}", f"{r.per_second:.0f}", f"{r.again_seconds:.2f}", f"{r.again_per_second:.0f}",
          r.tickets_added_by_replay] for r in runs]))
    if args.json:
        result: dict[str, Any] = {"database": kind, "runs": [
            {**asdict(r), "per_second": r.per_second, "again_per_second": r.again_per_second} for r in runs]}
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
