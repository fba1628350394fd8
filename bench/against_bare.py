"""Ticket issues against a bare FastAPI endpoint, side by side in one run on the same machine.

Each round runs, one after another and each on a fresh SQLite database, the ``issue`` scenario of
``bench.load`` against the central service started from every ``--code`` source tree (e.g. this
checkout and a checkout of an older commit), and the same load against ``bench.bare_app`` (an
endpoint that does nothing, served the same way). Rounds interleave the variants, so a busy moment
of a shared machine hurts all of them alike. Prints every run and, per variant, the median over the
rounds with its share of the bare endpoint's throughput.

    python -m bench.against_bare --code before=/tmp/gastvrij-1b5748e --code after=. --clients 16 --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path
from typing import Any

from .harness import (
    ROOT,
    BenchDatabase,
    ServerProcess,
    Target,
    line_buffered_output,
    stop_on_sigterm,
    table,
    use_uvloop,
    wait_for_quiet,
    workdir,
    write_json,
)
from .load import DEFAULT_SERVICES, Load

BARE = "bare"


def _load_args(args: argparse.Namespace) -> argparse.Namespace:
    return argparse.Namespace(scenario="issue", clients=args.clients, warmup=args.warmup, duration=args.duration,
                              requests=None, timeout=30.0, max_waiting=100, idle_sleep=0.02)


def _measure(args: argparse.Namespace, label: str, root: Path | None, folder: Path) -> dict[str, Any]:
    """One run of the issue load against the service from ``root`` (or the bare endpoint)."""
    services = list(DEFAULT_SERVICES)
    with BenchDatabase("sqlite", folder) as db:
        if root is None:
            server = ServerProcess(db.url, folder / f"{label}.log", module_args=["-m", "bench.bare_app"])
            kiosk = "none"
        else:
            from .harness import create_tokens

            kiosk = create_tokens(db.url, [("kiosk", "bench-kiosk")], root=root)["bench-kiosk"]
            server = ServerProcess(db.url, folder / f"{label}.log", root=root)
        server.start()
        try:
            wait_for_quiet(args.quiet_wait)
            tgt = Target(server.url, kiosk, [], "sqlite", server)
            result = asyncio.run(Load(_load_args(args), tgt, services, []).run())
        finally:
            server.stop()
        (Path(db.url.removeprefix("sqlite:///"))).unlink(missing_ok=True)
    issue = result["ops"].get("issue", {})
    cpu = result["cpu"].get("server_cpu_s")
    return {"variant": label, "issues_per_s": issue.get("throughput_rps", 0.0), "p50_ms": issue.get("p50_ms"),
            "p99_ms": issue.get("p99_ms"), "errors": issue.get("errors"),
            "server_cpu_ms_per_request": round(1000 * cpu / issue["count"], 3) if cpu and issue.get("count") else None,
            "other_cpu_pct": result["cpu"].get("other_processes_cpu_pct_of_core")}


def _summary(runs: list[dict[str, Any]], labels: list[str]) -> list[list[Any]]:
    medians = {label: statistics.median(r["issues_per_s"] for r in runs if r["variant"] == label) for label in labels}
    bare = medians.get(BARE)
    rows = []
    for label in labels:
        mine = [r for r in runs if r["variant"] == label]
        rows.append([label, medians[label], f"{min(r['issues_per_s'] for r in mine):,.0f}–"
                                           f"{max(r['issues_per_s'] for r in mine):,.0f}",
                     statistics.median(r["p99_ms"] for r in mine),
                     statistics.median(r["server_cpu_ms_per_request"] or 0.0 for r in mine),
                     f"{100 * medians[label] / bare:.0f} %" if bare else "-"])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.against_bare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", action="append", metavar="LABEL=DIR", default=[],
                        help="a source tree to run the service from (repeatable); default: this checkout as 'this'")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of every variant")
    parser.add_argument("--quiet-wait", type=float, default=0.0, metavar="SECONDS",
                        help="before each run, wait up to this long for the machine to be idle")
    parser.add_argument("--json", metavar="FILE", help="also write every run as JSON here")
    args = parser.parse_args(argv)
    variants: list[tuple[str, Path | None]] = []
    for spec in args.code or [f"this={ROOT}"]:
        label, _, folder = spec.partition("=")
        root = Path(folder or label).resolve()
        if not (root / "queue_ticketing").is_dir():
            parser.error(f"{root} holds no queue_ticketing package")
        variants.append((label if folder else root.name, root))
    variants.append((BARE, None))
    labels = [label for label, _ in variants]
    stop_on_sigterm()
    line_buffered_output()
    use_uvloop()
    runs: list[dict[str, Any]] = []
    with workdir(False) as folder:
        for round_ in range(1, args.rounds + 1):
            for label, root in variants:
                run = _measure(args, label, root, folder)
                run["round"] = round_
                runs.append(run)
                print(f"round {round_} {label}: {run['issues_per_s']:,.0f}/s, p50 {run['p50_ms']} ms, "
                      f"p99 {run['p99_ms']} ms, server CPU {run['server_cpu_ms_per_request']} ms/request, "
                      f"errors {run['errors']}, other processes {run['other_cpu_pct']}% of a core")
    print(f"\n{args.clients} clients, {args.duration:.0f} s per run after {args.warmup:.0f} s warm-up, "
          f"{args.rounds} interleaved rounds (SQLite)")
    print(table(["variant", "median req/s", "range", "median p99 ms", "server CPU ms/req", "of bare"],
                _summary(runs, labels)))
    write_json(args.json, {"tool": "bench.against_bare", "command": " ".join(["python", "-m", "bench.against_bare",
                                                                             *sys.argv[1:]]), "runs": runs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
