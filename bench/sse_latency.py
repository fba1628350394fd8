"""Call-to-display latency: how long after a desk presses "call next" every waiting-room screen
shows the number.

Connects --clients Server-Sent Events streams to /locations/ijsselmonde/events (aiohttp; the
stream is parsed here line by line), then --calls times: draws a ticket, calls the next ticket to
a desk, and measures for every stream the delay from sending call-next to receiving the matching
``ticket.called`` event (matched by ticket number). The called ticket is then finished (not
timed) so the desk's double-click protection never repeats a call. With --background-rate,
kiosks draw tickets for another desk's service meanwhile, so the streams carry other traffic too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import platform
import sys
import time
import uuid
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
    latency_summary,
    machine_load,
    print_machine_notes,
    table,
    target,
    use_uvloop,
    wait_for_quiet,
    write_json,
)


@dataclass
class Receipts:
    """When each stream saw ``ticket.called`` for a number (perf_counter seconds)."""

    clients: int
    seen: dict[str, list[float]] = field(default_factory=dict)
    complete: dict[str, asyncio.Event] = field(default_factory=dict)
    events_total: int = 0
    connected: int = 0
    all_connected: asyncio.Event = field(default_factory=asyncio.Event)
    failures: list[str] = field(default_factory=list)

    def waiter(self, number: str) -> asyncio.Event:
        return self.complete.setdefault(number, asyncio.Event())

    def called(self, number: str, at: float) -> None:
        times = self.seen.setdefault(number, [])
        times.append(at)
        if len(times) >= self.clients:
            self.waiter(number).set()


async def sse_client(session: aiohttp.ClientSession, url: str, receipts: Receipts, stop: asyncio.Event) -> None:
    """One waiting-room screen: reads the stream and notes when each ``ticket.called`` arrives."""
    try:
        async with session.get(url, headers={"Accept": "text/event-stream"}) as response:
            if response.status != 200 or not response.headers.get("Content-Type", "").startswith("text/event-stream"):
                receipts.failures.append(f"HTTP {response.status}")
                return
            counted = False
            event_type = "message"
            data: list[str] = []
            content = response.content
            while not stop.is_set():
                raw = await content.readline()
                if not raw:
                    receipts.failures.append("stream ended")
                    return
                now = time.perf_counter()
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:  # blank line: dispatch the event
                    if not counted:
                        counted = True
                        receipts.connected += 1
                        if receipts.connected >= receipts.clients:
                            receipts.all_connected.set()
                    if data:
                        receipts.events_total += 1
                        if event_type == "ticket.called":
                            number = json.loads("\n".join(data)).get("number")
                            if number:
                                receipts.called(number, now)
                    event_type, data = "message", []
                    continue
                if line.startswith(":"):
                    continue  # comment (": connected", ": keep-alive")
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "event":
                    event_type = value
                elif name == "data":
                    data.append(value)
                # "id" and "retry" need no handling here
    except (aiohttp.ClientError, TimeoutError) as error:
        if not stop.is_set():
            receipts.failures.append(type(error).__name__)
    except asyncio.CancelledError:
        return  # the benchmark is over: the stream was closed on purpose


async def background_kiosk(
    session: aiohttp.ClientSession,
    base: str,
    token: str,
    service: str,
    rate: float,
    stop: asyncio.Event,
    counts: dict[str, int],
) -> None:
    url = f"{base}/locations/{LOCATION}/tickets"
    body = json.dumps({"service": service, "language": "nl"}).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    interval = 1.0 / rate
    next_at = time.perf_counter()
    while not stop.is_set():
        try:
            async with session.post(url, data=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())}) as r:
                await r.read()
                counts["ok" if r.status == 201 else "error"] += 1
        except (aiohttp.ClientError, TimeoutError):
            counts["error"] += 1
        next_at += interval
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))


async def measure(args: argparse.Namespace, tgt: Target) -> dict[str, Any]:
    base = tgt.url + API
    receipts = Receipts(args.clients)
    stop = asyncio.Event()
    kiosk = {"Authorization": f"Bearer {tgt.kiosk_token}", "Content-Type": "application/json"}
    desk = {"Authorization": f"Bearer {tgt.desk_tokens[0]}"}
    issue_body = json.dumps({"service": args.service, "language": "nl"}).encode()
    stream_timeout = aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=None)
    streams = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=stream_timeout)
    api = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=8), timeout=aiohttp.ClientTimeout(total=args.timeout)
    )
    delays: list[float] = []
    first: list[float] = []
    last: list[float] = []
    call_http: list[float] = []
    missing = 0
    errors: dict[str, int] = {}
    background = {"ok": 0, "error": 0}
    tasks: list[asyncio.Task[None]] = []
    try:
        url = f"{base}/locations/{LOCATION}/events"
        started = time.perf_counter()
        tasks = [asyncio.ensure_future(sse_client(streams, url, receipts, stop)) for _ in range(args.clients)]
        try:
            await asyncio.wait_for(receipts.all_connected.wait(), args.connect_timeout)
        except TimeoutError:
            raise SystemExit(
                f"error: only {receipts.connected} of {args.clients} streams connected in "
                f"{args.connect_timeout}s; failures: {receipts.failures[:5]}"
            ) from None
        connect_s = time.perf_counter() - started
        print(f"{args.clients} streams connected in {connect_s:.2f} s")
        if args.background_rate > 0:
            tasks.append(
                asyncio.ensure_future(
                    background_kiosk(
                        api,
                        base,
                        tgt.kiosk_token,
                        args.background_service,
                        args.background_rate,
                        stop,
                        background,
                    )
                )
            )
        machine_before = machine_load()
        cpu = CpuMeter(tgt.server.pid if tgt.server else None, tgt.postgres_database)
        for i in range(args.calls):
            began_iteration = time.perf_counter()
            async with api.post(
                f"{base}/locations/{LOCATION}/tickets",
                data=issue_body,
                headers={**kiosk, "Idempotency-Key": str(uuid.uuid4())},
            ) as r:
                await r.read()
                if r.status != 201:
                    errors[f"issue {r.status}"] = errors.get(f"issue {r.status}", 0) + 1
                    continue
            await asyncio.sleep(args.settle)  # let the ticket.issued/queue.changed events go by
            sent = time.perf_counter()
            async with api.post(
                f"{base}/locations/{LOCATION}/desks/{args.desk}/call-next",
                headers={**desk, "Idempotency-Key": str(uuid.uuid4())},
            ) as r:
                payload = await r.read()
                answered = time.perf_counter()
                if r.status != 200:
                    errors[f"call-next {r.status}"] = errors.get(f"call-next {r.status}", 0) + 1
                    continue
            call_http.append(answered - sent)
            ticket = json.loads(payload)
            number = ticket["number"]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(receipts.waiter(number).wait(), args.event_timeout)
            times = receipts.seen.pop(number, [])
            receipts.complete.pop(number, None)
            missing += args.clients - len(times)
            if times:
                these = [t - sent for t in times]
                delays.extend(these)
                first.append(min(these))
                last.append(max(these))
            async with api.post(
                f"{base}/tickets/{ticket['id']}/finish",
                headers={**desk, "Idempotency-Key": str(uuid.uuid4())},
            ) as r:
                await r.read()
                if r.status != 200:
                    errors[f"finish {r.status}"] = errors.get(f"finish {r.status}", 0) + 1
            if args.progress and (i + 1) % max(1, args.calls // 10) == 0:
                print(
                    f"  {i + 1}/{args.calls} calls; p99 so far {latency_summary(delays)['p99_ms']} ms",
                    flush=True,
                )
            await asyncio.sleep(max(0.0, args.interval - (time.perf_counter() - began_iteration)))
        usage = cpu.read()
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await streams.close()
        await api.close()
    return {
        "tool": "bench.sse_latency",
        "database": tgt.database,
        "server": tgt.url if tgt.server is None else "started here",
        "sse_clients": args.clients,
        "calls": args.calls,
        "calls_measured": len(first),
        "interval_s": args.interval,
        "desk": args.desk,
        "service": args.service,
        "background_issue_rate": args.background_rate,
        "background_issued": background,
        "receipts": len(delays),
        "missing_receipts": missing,
        "stream_failures": receipts.failures,
        "errors": errors,
        "call_to_display": latency_summary(delays),
        "first_screen_per_call": latency_summary(first),
        "last_screen_per_call": latency_summary(last),
        "call_next_http": latency_summary(call_http),
        "events_received_total": receipts.events_total,
        "cpu": usage,
        "command": " ".join(["python", "-m", "bench.sse_latency", *sys.argv[1:]]),
        "machine_before": machine_before,
        "code": tgt.code or code_fingerprint(),
        "python": platform.python_version(),
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def print_report(result: dict[str, Any]) -> None:
    print(
        f"\ncall-to-display on {result['database']}: {result['sse_clients']} SSE clients, "
        f"{result['calls_measured']}/{result['calls']} calls every {result['interval_s']} s"
        + (f", background {result['background_issue_rate']} tickets/s" if result["background_issue_rate"] else "")
    )
    rows = []
    for label, key in (
        ("call → each screen", "call_to_display"),
        ("call → first screen", "first_screen_per_call"),
        ("call → last screen", "last_screen_per_call"),
        ("call-next HTTP answer", "call_next_http"),
    ):
        s = result[key]
        rows.append([label, s["n"], s["p50_ms"], s["p95_ms"], s["p99_ms"], s["max_ms"]])
    print(table(["measure", "n", "p50 ms", "p95 ms", "p99 ms", "max ms"], rows))
    print(
        f"missing receipts: {result['missing_receipts']}; stream failures: {len(result['stream_failures'])}; "
        f"errors: {result['errors'] or 0}"
    )
    print_machine_notes(result)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.sse_latency",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--clients", type=int, default=200, help="SSE streams (waiting-room screens); default 200")
    parser.add_argument("--calls", type=int, default=200, help="call-next presses to time; default 200")
    parser.add_argument(
        "--interval", type=float, default=0.1, help="seconds from one press to the next (pacing); default 0.1"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=0.01,
        help="pause between drawing the ticket and calling it; default 0.01 s",
    )
    parser.add_argument("--desk", default="balie-1", help="desk that calls; default balie-1")
    parser.add_argument("--service", default="paspoort", help="service of the drawn tickets; default paspoort")
    parser.add_argument(
        "--background-rate",
        type=float,
        default=0.0,
        help="also draw this many tickets per second in the background (default 0)",
    )
    parser.add_argument(
        "--background-service",
        default="uittreksel_brp",
        help="service of background tickets (one the calling desk does not serve)",
    )
    parser.add_argument(
        "--event-timeout",
        type=float,
        default=5.0,
        help="how long to wait for every screen to see a call; default 5 s",
    )
    parser.add_argument("--connect-timeout", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=30.0, help="per-request timeout for the API calls")
    parser.add_argument("--progress", action="store_true", help="print progress every tenth of the calls")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON here")
    add_server_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    use_uvloop()
    with target(args, desks=1) as tgt:
        print(f"target {tgt.url} ({tgt.database}); {args.clients} SSE clients; {args.calls} calls at {args.desk}")
        wait_for_quiet(args.quiet_wait)
        result = asyncio.run(measure(args, tgt))
    print_report(result)
    write_json(args.json, result)
    return 0 if result["receipts"] else 1


def run_main() -> int:
    try:
        return main()
    except KeyboardInterrupt:
        print("interrupted; the server and database started here were stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(run_main())
