"""How long the service-norm report over one year of one location takes (target: under 1 s on SQLite).

Fills a throw-away database with ``python -m queue_ticketing simulate-history`` (the service's own
CLI), then makes the report over the whole simulated period ``--runs`` times in this process, as
``GET /api/v1/locations/{location}/reports/service-norms`` does (``make_report`` + the JSON
document), and prints every run with the minimum and median. ``--http`` also times the request
through a real server.

    .venv/bin/python -m bench.service_norm_report --days 365 --runs 7
    .venv/bin/python -m bench.service_norm_report --database postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.harness import (
    LOCATION,
    ROOT,
    BenchDatabase,
    code_fingerprint,
    machine_load,
    service_env,
    table,
    wait_for_quiet,
    workdir,
    write_json,
)


def _simulate(url: str, location: str, days: int, last_day: date) -> str:
    command = [sys.executable, "-m", "queue_ticketing", "simulate-history", "--location", location,
               "--days", str(days), "--last-day", last_day.isoformat()]
    done = subprocess.run(command, env=service_env(url), cwd=ROOT, capture_output=True, text=True, timeout=1800,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"error: simulate-history failed:\n{done.stderr[-2000:]}")
    return done.stdout.strip()


def _in_process(url: str, location_id: str, first_day: date, last_day: date, runs: int) -> tuple[list[float], Any]:
    from location_config import load_all
    from queue_ticketing.domain.clock import system_clock
    from queue_ticketing.services import service_norms
    from queue_ticketing.services.context import ServiceContext
    from queue_ticketing.store.database import Database

    locations = load_all()
    db = Database(url)
    ctx = ServiceContext(db=db, locations=locations, clock=system_clock)
    seconds = []
    document: Any = None
    try:
        for _ in range(runs):
            started = time.perf_counter()
            report = service_norms.make_report(ctx, locations[location_id], first_day, last_day)
            document = service_norms.report_document(report)
            seconds.append(time.perf_counter() - started)
    finally:
        db.dispose()
    return seconds, document


def _over_http(url: str, folder: Path, location_id: str, first_day: date, last_day: date,
               runs: int) -> list[float]:
    import urllib.request

    from bench.harness import ServerProcess, create_token

    token = create_token(url, "host", "bench-host", location_id)
    server = ServerProcess(url, folder / "server.log").start()
    seconds = []
    try:
        address = f"{server.url}/api/v1/locations/{location_id}/reports/service-norms?from={first_day}&to={last_day}"
        for _ in range(runs):
            request = urllib.request.Request(address, headers={"Authorization": f"Bearer {token}"})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
            seconds.append(time.perf_counter() - started)
    finally:
        server.stop()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.service_norm_report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="sqlite", help="sqlite (default), sqlite:///FILE or postgresql://...")
    parser.add_argument("--location", default=LOCATION)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--http", action="store_true", help="also time the request through a real server")
    parser.add_argument("--quiet-wait", type=float, default=0, help="wait up to this many s for an idle machine")
    parser.add_argument("--keep", action="store_true", help="keep the database and work folder")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)

    last_day = date.today() - timedelta(days=1)
    first_day = last_day - timedelta(days=args.days - 1)
    with workdir(args.keep) as folder, BenchDatabase(args.database, folder, args.keep) as database:
        started = time.perf_counter()
        print(_simulate(database.url, args.location, args.days, last_day))
        print(f"history ready in {time.perf_counter() - started:.1f} s")
        quiet = wait_for_quiet(args.quiet_wait)
        before = machine_load()
        seconds, document = _in_process(database.url, args.location, first_day, last_day, args.runs)
        http = _over_http(database.url, folder, args.location, first_day, last_day, args.runs) if args.http else []
    total = next(s for s in document["services"] if s["service"] == "all")
    rows = [("in process (make_report + JSON)", *(s * 1000 for s in (min(seconds), statistics.median(seconds),
                                                                     max(seconds))))]
    if http:
        rows.append(("GET over HTTP", *(s * 1000 for s in (min(http), statistics.median(http), max(http)))))
    print(f"\nservice-norm report, {args.location}, {first_day} to {last_day} ({database.kind}): "
          f"{total['visitors']} visitors, median wait {total['median_wait_minutes']} min, "
          f"{total['within_norm_share']:.1%} within the norm")
    print(table(["", "min ms", "median ms", "max ms"], rows))
    print(f"runs (ms): {', '.join(f'{s * 1000:.0f}' for s in seconds)}; load average at start "
          f"{before['loadavg_1m']}" + (f"; busy {quiet:.0f}% of one core before measuring" if quiet else ""))
    print("OK: median under 1 s" if statistics.median(seconds) < 1.0 else "OVER TARGET: median 1 s or more")
    write_json(args.json, {"database": database.kind, "location": args.location, "days": args.days,
                           "visitors": total["visitors"], "in_process_s": seconds, "http_s": http,
                           "machine_before": before, "code": code_fingerprint()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
