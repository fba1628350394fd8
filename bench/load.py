"""Load generator for the central service: many concurrent keep-alive clients (asyncio + aiohttp).

Scenarios
  issue  every client draws walk-in tickets (kiosk token) as fast as the server answers.
  mixed  the six desks of ijsselmonde each loop call-next → finish (one desk token each), the
         other clients draw tickets; kiosks pause while --max-waiting tickets wait, so the queue
         stays the size of a busy day instead of growing without end.

Reports throughput and p50/p95/p99/max latency per operation, errors, the CPU that the load
generator and the server used, and a per-second timeline (in the JSON).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import platform
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from .harness import (
    API,
    LOCATION,
    CpuMeter,
    Target,
    add_server_arguments,
    code_fingerprint,
    http_json,
    latency_summary,
    machine_load,
    print_machine_notes,
    table,
    target,
    use_uvloop,
    wait_for_quiet,
    write_json,
)

DEFAULT_SERVICES = ("paspoort", "identiteitskaart", "rijbewijs", "uittreksel_brp")
OK_STATUS = {"issue": {201}, "call_next": {200, 204}, "finish": {200}}


@dataclass
class Recorder:
    """Latencies and outcomes per operation, only while ``measuring``."""

    measuring: bool = False
    started: float = 0.0
    stop_at: float = float("inf")
    budget: int | None = None
    """--requests: how many more measured requests may start."""
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, Counter[str]] = field(default_factory=dict)
    errors: dict[str, Counter[str]] = field(default_factory=dict)
    timeline: Counter[int] = field(default_factory=Counter)

    def may_start(self) -> bool:
        if time.perf_counter() >= self.stop_at:
            return False
        if self.measuring and self.budget is not None:
            if self.budget <= 0:
                return False
            self.budget -= 1
        return True

    def record(self, op: str, began: float, ended: float, status: str, ok: bool) -> None:
        if not self.measuring or began < self.started:
            return
        self.latencies.setdefault(op, []).append(ended - began)
        self.statuses.setdefault(op, Counter())[status] += 1
        if not ok:
            self.errors.setdefault(op, Counter())[status] += 1
        self.timeline[int(ended - self.started)] += 1


class Load:
    def __init__(self, args: argparse.Namespace, tgt: Target, services: list[str], desks: list[str]) -> None:
        self.args = args
        self.base = tgt.url + API
        self.tgt = tgt
        self.rec = Recorder()
        self.services = itertools.cycle(services)
        self.desks = desks
        self.issued = 0
        self.called = 0
        self.room = asyncio.Event()
        self.room.set()
        self.closed = False
        """Set when the desks stop: kiosks must not pause any more (nobody would wake them)."""
        self.timeout = aiohttp.ClientTimeout(total=args.timeout)
        self.bodies = {s: json.dumps({"service": s, "language": "nl"}).encode() for s in services}
        self.kiosk_headers = {
            "Authorization": f"Bearer {tgt.kiosk_token}",
            "Content-Type": "application/json",
        }

    async def _post(
        self, session: aiohttp.ClientSession, op: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        began = time.perf_counter()
        try:
            async with session.post(
                url,
                data=body,
                headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
                timeout=self.timeout,
            ) as response:
                payload = await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as error:
            self.rec.record(op, began, time.perf_counter(), type(error).__name__, False)
            return 0, b""
        self.rec.record(op, began, time.perf_counter(), str(status), status in OK_STATUS[op])
        return status, payload

    async def kiosk(self, session: aiohttp.ClientSession) -> None:
        url = f"{self.base}/locations/{LOCATION}/tickets"
        limited = self.args.scenario == "mixed"
        while True:
            if limited and not self.room.is_set():
                await self.room.wait()
            if not self.rec.may_start():
                return
            status, _ = await self._post(session, "issue", url, self.kiosk_headers, self.bodies[next(self.services)])
            if status == 201:
                self.issued += 1
                if limited and not self.closed and self.issued - self.called >= self.args.max_waiting:
                    self.room.clear()
            elif status == 0:
                await asyncio.sleep(0.05)  # connection trouble: do not spin

    async def desk(self, session: aiohttp.ClientSession, desk: str, token: str) -> None:
        call_url = f"{self.base}/locations/{LOCATION}/desks/{desk}/call-next"
        headers = {"Authorization": f"Bearer {token}"}
        try:
            while self.rec.may_start():
                status, payload = await self._post(session, "call_next", call_url, headers, None)
                if status == 200:
                    self.called += 1
                    if self.issued - self.called < self.args.max_waiting:
                        self.room.set()
                    ticket = json.loads(payload)["id"]
                    if not self.rec.may_start():
                        return
                    await self._post(session, "finish", f"{self.base}/tickets/{ticket}/finish", headers, None)
                else:
                    await asyncio.sleep(self.args.idle_sleep)  # nobody waits for this desk (or an error)
        finally:
            self.closed = True
            self.room.set()  # let paused kiosks see that the run is over

    async def run(self) -> dict[str, Any]:
        args = self.args
        clients = args.clients
        connector = aiohttp.TCPConnector(limit=0, force_close=False, keepalive_timeout=60)
        async with aiohttp.ClientSession(connector=connector) as session:
            tasks = []
            kiosks = clients
            if args.scenario == "mixed":
                desks = self.desks[: max(0, min(len(self.desks), clients - 1))]
                kiosks = clients - len(desks)
                tokens = self.tgt.desk_tokens
                tasks += [self.desk(session, d, tokens[i % len(tokens)]) for i, d in enumerate(desks)]
            tasks += [self.kiosk(session) for _ in range(kiosks)]
            now = time.perf_counter()
            if args.requests is None:
                self.rec.stop_at = now + args.warmup + args.duration
            self.machine_before = machine_load()
            cpu = CpuMeter(self.tgt.server.pid if self.tgt.server else None, self.tgt.postgres_database)

            async def start_measuring() -> None:
                await asyncio.sleep(args.warmup)
                self.rec.started = time.perf_counter()
                self.rec.budget = args.requests
                self.rec.measuring = True
                cpu.start()

            starter = asyncio.ensure_future(start_measuring())
            await asyncio.gather(*tasks)
            await starter
            usage = cpu.read()
            elapsed = time.perf_counter() - self.rec.started
        return self.summary(elapsed, usage, kiosks)

    def summary(self, elapsed: float, usage: dict[str, Any], kiosks: int) -> dict[str, Any]:
        rec = self.rec
        ops = {}
        total = 0
        for op in ("issue", "call_next", "finish"):
            values = rec.latencies.get(op)
            if not values:
                continue
            total += len(values)
            ops[op] = {
                "count": len(values),
                "errors": sum(rec.errors.get(op, Counter()).values()),
                "throughput_rps": round(len(values) / elapsed, 1),
                **latency_summary(values),
                "statuses": dict(rec.statuses.get(op, Counter())),
            }
        seconds = [rec.timeline.get(i, 0) for i in range(int(elapsed))]
        return {
            "tool": "bench.load",
            "scenario": self.args.scenario,
            "database": self.tgt.database,
            "server": self.tgt.url if self.tgt.server is None else "started here",
            "clients": self.args.clients,
            "kiosk_clients": kiosks,
            "desk_clients": self.args.clients - kiosks if self.args.scenario == "mixed" else 0,
            "warmup_s": self.args.warmup,
            "measured_s": round(elapsed, 3),
            "ops": ops,
            "total": {
                "count": total,
                "errors": sum(o["errors"] for o in ops.values()),
                "throughput_rps": round(total / elapsed, 1) if elapsed else None,
            },
            "per_second": seconds,
            "cpu": usage,
            "command": " ".join(["python", "-m", "bench.load", *sys.argv[1:]]),
            "machine_before": self.machine_before,
            "code": self.tgt.code or code_fingerprint(),
            "python": platform.python_version(),
            "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }


def print_report(result: dict[str, Any]) -> None:
    print(
        f"\nscenario {result['scenario']} on {result['database']}: {result['clients']} clients "
        f"({result['kiosk_clients']} kiosk, {result['desk_clients']} desk), "
        f"measured {result['measured_s']:.1f} s after {result['warmup_s']} s warm-up"
    )
    rows = [
        [op, o["count"], o["errors"], o["throughput_rps"], o["p50_ms"], o["p95_ms"], o["p99_ms"], o["max_ms"]]
        for op, o in result["ops"].items()
    ]
    t = result["total"]
    rows.append(["total", t["count"], t["errors"], t["throughput_rps"], None, None, None, None])
    print(table(["operation", "count", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms"], rows))
    for op, o in result["ops"].items():
        odd = (
            {k: v for k, v in o["statuses"].items() if int(k) not in OK_STATUS[op]}
            if all(k.isdigit() for k in o["statuses"])
            else o["statuses"]
        )
        if odd:
            print(f"  {op}: unexpected outcomes {odd}")
    per_second = result["per_second"]
    if len(per_second) >= 4:
        quarter = max(1, len(per_second) // 4)
        first = sum(per_second[:quarter]) / quarter
        last = sum(per_second[-quarter:]) / quarter
        print(
            f"requests per second over time: min {min(per_second)}, max {max(per_second)}; "
            f"first quarter {first:,.0f}/s, last quarter {last:,.0f}/s"
        )
    print_machine_notes(result)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="Load generator for the Gastvrij central service (a benchmark, not a test). "
        "Starts the service on a fresh database (or uses --server), creates its device tokens "
        "through the service's CLI, "
        "runs N concurrent keep-alive clients and reports req/s and p50/p95/p99/max latency per "
        "operation.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--scenario",
        choices=("issue", "mixed"),
        default="issue",
        help="issue: draw tickets as fast as possible; mixed: draw tickets while the six desks call-next and finish",
    )
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (connections)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--duration", type=float, default=15.0, help="seconds to measure (after the warm-up)")
    size.add_argument("--requests", type=int, help="stop after this many measured requests instead")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring starts")
    parser.add_argument(
        "--services",
        default=",".join(DEFAULT_SERVICES),
        help="walk-in services to draw tickets for, round robin; 'all' = every walk-in service "
        "of ijsselmonde (the default for mixed when not given)",
    )
    parser.add_argument(
        "--max-waiting",
        type=int,
        default=100,
        help="mixed: kiosks pause while this many of their tickets are waiting",
    )
    parser.add_argument(
        "--idle-sleep",
        type=float,
        default=0.02,
        help="mixed: a desk that got 204 (nobody waiting) waits this long before calling again",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="per-request timeout in seconds")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON here")
    add_server_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.clients < 1 or (args.scenario == "mixed" and args.clients < 2):
        parser.error("--clients must be at least 1 (2 for mixed: a kiosk and a desk)")
    explicit_services = any(a == "--services" or a.startswith("--services=") for a in (argv or sys.argv[1:]))
    use_uvloop()
    with target(args, desks=6 if args.scenario == "mixed" else 1) as tgt:
        info = http_json(f"{tgt.url}{API}/locations/{LOCATION}")
        walk_in = [s["id"] for s in info["services"] if s.get("walk_in")]
        if args.services == "all" or (args.scenario == "mixed" and not explicit_services):
            services = walk_in
        else:
            services = [s.strip() for s in args.services.split(",") if s.strip()]
            unknown = [s for s in services if s not in walk_in]
            if unknown:
                parser.error(f"not walk-in services of {LOCATION}: {', '.join(unknown)}; choose from {walk_in}")
        desks = [d["id"] for d in info["desks"]]
        print(
            f"target {tgt.url} ({tgt.database}); scenario {args.scenario}; {args.clients} clients; "
            f"services {', '.join(services)}" + (f"; desks {', '.join(desks)}" if args.scenario == "mixed" else "")
        )
        wait_for_quiet(args.quiet_wait)
        result = asyncio.run(Load(args, tgt, services, desks).run())
    print_report(result)
    write_json(args.json, result)
    return 1 if result["total"]["count"] == 0 else 0


def run_main() -> int:
    try:
        return main()
    except KeyboardInterrupt:
        print("interrupted; the server and database started here were stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(run_main())
