"""How fast free appointment slots answer at a location with a year of history (target: p99 < 50 ms).

Fills a throw-away database with a year of visits (``python -m queue_ticketing simulate-history``,
which also makes that year's appointments), books about half of every bookable service's free slots
in the next 14 days (as the booking system would), then asks a real server over HTTP, in turn and
``--rounds`` times: the days with free places (``GET .../slot-days``), each of the next 14 days'
slots (``GET .../slots?date=``) and the next free ones (``GET .../slots?from=``). Prints p50, p99 and
max per kind of question.

    .venv/bin/python -m bench.free_slots --days 365 --rounds 20
    .venv/bin/python -m bench.free_slots --database postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.harness import (
    LOCATION,
    BenchDatabase,
    ServerProcess,
    latency_summary,
    machine_load,
    table,
    wait_for_quiet,
    workdir,
)
from bench.service_norm_report import _simulate

SERVICE = "paspoort"


def _fill_next_days(url: str, location_id: str, days: int) -> int:
    """Book every other free slot of every bookable service for the next ``days`` days."""
    from location_config import load_location
    from queue_ticketing.domain.clock import system_clock
    from queue_ticketing.services.appointments import book, slots_on
    from queue_ticketing.store.database import Database
    from queue_ticketing.store.unit_of_work import Stores
    from queue_ticketing.store.write_batch import write_alone

    location = load_location(location_id)
    db = Database(url)
    booked = 0
    try:
        today = system_clock().astimezone(ZoneInfo(location.timezone)).date()
        for offset in range(days):
            day = today + timedelta(days=offset)
            for service in (s.id for s in location.services if s.appointment):
                with db.read() as conn:
                    starts = [slot.starts_at for slot in slots_on(Stores(conn), location, service, day,
                                                                   system_clock())][::2]
                for start in starts:
                    write_alone(db, system_clock, lambda uow, start=start, service=service:
                                book(uow, location, service, start, "nl", None, "bench"))
                    booked += 1
    finally:
        db.dispose()
    return booked


def _ask(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        json.loads(response.read())
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.free_slots", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="sqlite", help="sqlite (default), sqlite:///FILE or postgresql://...")
    parser.add_argument("--location", default=LOCATION)
    parser.add_argument("--days", type=int, default=365, help="days of history")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--quiet-wait", type=float, default=0, help="wait up to this many s for an idle machine")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    yesterday = date.today() - timedelta(days=1)
    with workdir(args.keep) as folder, BenchDatabase(args.database, folder, args.keep) as database:
        started = time.perf_counter()
        print(_simulate(database.url, args.location, args.days, yesterday))
        booked = _fill_next_days(database.url, args.location, 14)
        print(f"history and {booked} appointments in the next 14 days ready in {time.perf_counter() - started:.0f} s")
        quiet = wait_for_quiet(args.quiet_wait)
        before = machine_load()
        server = ServerProcess(database.url, folder / "server.log").start()
        times: dict[str, list[float]] = {"slot-days": [], "slots on a day (each of 14)": [], "next free (from)": []}
        try:
            base = f"{server.url}/api/v1/locations/{args.location}"
            for _ in range(args.rounds):
                times["slot-days"].append(_ask(f"{base}/slot-days?service={SERVICE}"))
                for offset in range(14):
                    times["slots on a day (each of 14)"].append(
                        _ask(f"{base}/slots?service={SERVICE}&date={date.today() + timedelta(days=offset)}"))
                now = datetime.now(ZoneInfo("Europe/Amsterdam")).replace(microsecond=0).isoformat()
                times["next free (from)"].append(_ask(f"{base}/slots?service={SERVICE}&from="
                                                      f"{urllib.request.quote(now)}"))
        finally:
            server.stop()
    rows = []
    for name, seconds in times.items():
        summary = latency_summary(seconds)
        rows.append((name, summary["n"], summary["p50_ms"], summary["p99_ms"], summary["max_ms"]))
    print(f"\nfree slots for {SERVICE} at {args.location} ({database.kind}), {args.days} days of history:")
    print(table(["question", "n", "p50 ms", "p99 ms", "max ms"], rows))
    print(f"load average at start {before['loadavg_1m']}" + (f"; busy {quiet:.0f}% before measuring" if quiet else ""))
    worst = max(float(r[3] or 0) for r in rows)
    print("OK: p99 under 50 ms" if worst < 50 else f"OVER TARGET: p99 {worst:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
