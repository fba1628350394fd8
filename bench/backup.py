"""How long ``db backup`` and ``db restore`` take for a database with a year of one location's
history, and how large the backup is.

Fills a throw-away database with ``python -m queue_ticketing simulate-history`` (the service's own
CLI), then runs ``db backup --to FILE`` and ``db restore --from FILE`` into a second, empty database
``--runs`` times each, as the backup timer and a restore would, and prints every run.

    .venv/bin/python -m bench.backup --days 365 --runs 3
    .venv/bin/python -m bench.backup --database postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

from bench.harness import LOCATION, ROOT, BenchDatabase, service_env, workdir


def _cli(url: str, *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "queue_ticketing", *args], env=service_env(url), cwd=ROOT,
                          capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise SystemExit(f"error: {' '.join(args[:2])} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="sqlite", help="sqlite (default) or postgresql://.../any")
    parser.add_argument("--days", type=int, default=365, help="days of simulated history (default 365)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the work folder and databases")
    args = parser.parse_args()
    with workdir(args.keep) as folder:
        (folder / "restored").mkdir()
        with BenchDatabase(args.database, folder, args.keep) as live:
            last_day = date.today() - timedelta(days=1)
            _cli(live.url, "simulate-history", "--location", LOCATION, "--days", str(args.days),
                 "--last-day", last_day.isoformat())
            backup_seconds, restore_seconds, size = [], [], 0
            for run in range(args.runs):
                file = folder / f"run-{run}.backup"
                backup_seconds.append(_cli(live.url, "db", "backup", "--to", str(file)))
                size = file.stat().st_size
                target_spec = f"sqlite:///{folder / 'restored' / f'run-{run}.sqlite'}" if live.kind == "sqlite" \
                    else args.database
                with BenchDatabase(target_spec, folder / "restored", args.keep) as target:
                    restore_seconds.append(_cli(target.url, "db", "restore", "--from", str(file)))
                print(f"run {run + 1}: backup {backup_seconds[-1]:.2f} s, restore {restore_seconds[-1]:.2f} s, "
                      f"{size / 1e6:.1f} MB")
            print(f"{live.kind}, {args.days} days of {LOCATION}: backup median "
                  f"{statistics.median(backup_seconds):.2f} s, "
                  f"restore median {statistics.median(restore_seconds):.2f} s, "
                  f"file {size / 1e6:.1f} MB (each includes starting Python, ~1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
