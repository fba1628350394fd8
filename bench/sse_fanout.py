"""What open event streams cost everyone else: ticket issue latency with 0, 500 and 2,000 idle
streams open on the location (waiting-room displays and mobile tickets that are only listening).

A child process holds the streams (raw sockets, reading and dropping what comes), so their
reading does not sit on the measuring loop. For each stream count in ``--streams``, the streams
are opened (all at once; the time until every one has its first byte is reported, and the
slowest ``/health`` answer meanwhile), then ``--issues`` tickets are drawn one after the other
and each one's latency is measured. The server is started with per-client and total stream caps
above the largest count (``GASTVRIJ_SSE_MAX_PER_CLIENT`` / ``GASTVRIJ_SSE_MAX_TOTAL``), since
every stream comes from this one address."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from typing import Any

import aiohttp

from .harness import (
    API,
    LOCATION,
    CpuMeter,
    add_server_arguments,
    latency_summary,
    machine_load,
    table,
    target,
    use_uvloop,
    write_json,
)

HOLDER = r"""
import asyncio, sys
host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
request = (f"GET /api/v1/locations/{sys.argv[4]}/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
           "Accept: text/event-stream\r\n\r\n").encode()

async def hold(started):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(request)
    first = await reader.read(65536)
    if not first.startswith(b"HTTP/1.1 200"):
        print("refused " + first[:40].decode(errors="replace"), flush=True)
        return
    started.append(1)
    if len(started) == count:
        print("open", flush=True)
    while await reader.read(65536):
        continue  # an idle display reads and drops what comes

async def main():
    started = []
    tasks = [asyncio.ensure_future(hold(started)) for _ in range(count)]
    if count == 0:
        print("open", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for task in tasks:
        task.cancel()

asyncio.run(main())
"""


def open_streams(url: str, count: int) -> tuple[subprocess.Popen[bytes], float, float]:
    """A child process holding ``count`` streams; (process, seconds until all are open, slowest
    /health answer in seconds while they opened)."""
    host, port = url.removeprefix("http://").split(":")
    started = time.perf_counter()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, host, port, str(count), LOCATION],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    slowest = 0.0
    assert holder.stdout is not None
    os.set_blocking(holder.stdout.fileno(), False)
    line = ""
    while "open" not in line:
        if holder.poll() is not None:
            raise SystemExit(f"error: the stream holder ended: {line}")
        asked = time.perf_counter()
        with urllib.request.urlopen(f"{url}{API}/health", timeout=30) as answer:
            answer.read()
        slowest = max(slowest, time.perf_counter() - asked)
        line += (holder.stdout.read() or b"").decode()
        if "refused" in line:
            raise SystemExit(f"error: a stream was refused: {line.strip()}")
        time.sleep(0.05)
    return holder, time.perf_counter() - started, slowest


async def issue_one_after_another(url: str, token: str, count: int) -> list[float]:
    seconds = []
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as session:
        for _ in range(count):
            started = time.perf_counter()
            async with session.post(f"{url}{API}/locations/{LOCATION}/tickets", json={"service": "paspoort"},
                                    headers={**headers, "Idempotency-Key": str(uuid.uuid4())}) as response:
                await response.read()
                if response.status != 201:
                    raise SystemExit(f"error: ticket issue answered {response.status}")
            seconds.append(time.perf_counter() - started)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sse_fanout", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--streams", default="0,500,2000", help="stream counts, comma-separated (default 0,500,2000)")
    parser.add_argument("--issues", type=int, default=1000, help="tickets drawn one after the other per count")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds between the last stream opening and the first measured issue")
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON")
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.streams.split(",")]
    os.environ.setdefault("GASTVRIJ_SSE_MAX_PER_CLIENT", str(max(counts) + 10))
    os.environ.setdefault("GASTVRIJ_SSE_MAX_TOTAL", str(max(counts) + 10))
    use_uvloop()
    results: list[dict[str, Any]] = []
    with target(args, desks=1) as service:
        asyncio.run(issue_one_after_another(service.url, service.kiosk_token, 50))  # warm up
        for count in counts:
            holder, opened_in, slowest_health = open_streams(service.url, count)
            try:
                time.sleep(args.settle)  # the opening's work (and its garbage collections) is not measured
                meter = CpuMeter(service.server.pid if service.server else None)
                meter.start()
                seconds = asyncio.run(issue_one_after_another(service.url, service.kiosk_token, args.issues))
                cpu = meter.read()
            finally:
                assert holder.stdin is not None
                holder.stdin.close()
                holder.wait(timeout=30)
            summary = latency_summary(seconds)
            results.append({"streams": count, "opened_in_s": round(opened_in, 2),
                            "slowest_health_while_opening_ms": round(slowest_health * 1000, 1),
                            "issue": summary, "cpu": cpu})
            print(f"{count} streams: issue p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms "
                  f"(opened in {opened_in:.2f} s, slowest /health meanwhile {slowest_health * 1000:.0f} ms)")
    print(table(["streams", "issue p50 ms", "issue p99 ms", "max ms", "all open in s", "slowest /health ms"],
                [[r["streams"], r["issue"]["p50_ms"], r["issue"]["p99_ms"], r["issue"]["max_ms"], r["opened_in_s"],
                  r["slowest_health_while_opening_ms"]] for r in results]))
    if args.json:
        write_json(args.json, {"command": sys.argv, "machine": machine_load(), "results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
