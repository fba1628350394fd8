"""What both benchmarks share: a throw-away database, the server as a child process, device tokens
made through the service's own CLI, CPU meters and latency statistics."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOCATION = "ijsselmonde"
API = "/api/v1"
ROOT = Path(__file__).resolve().parent.parent
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- databases


def _admin_dsn(url: str) -> str:
    """A libpq DSN (psycopg) from a SQLAlchemy-style URL."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1).replace("postgres://", "postgresql://", 1)


def _with_database(url: str, name: str) -> str:
    head, _, _ = url.rstrip("/").rpartition("/")
    scheme_end = url.find("://") + 3
    if len(head) < scheme_end:  # postgresql://host (no path): rpartition split the host
        head = url.rstrip("/")
    return f"{head}/{name}"


@dataclass
class BenchDatabase:
    """A fresh database for one run: a SQLite file in a temporary folder, or a new PostgreSQL
    database ``bench_<random>`` on the server of ``spec`` (dropped afterwards unless ``keep``)."""

    spec: str
    workdir: Path
    keep: bool = False
    url: str = ""
    kind: str = ""
    _pg_admin: str | None = field(default=None, repr=False)
    _pg_name: str | None = field(default=None, repr=False)

    def __enter__(self) -> BenchDatabase:
        if self.spec in ("", "sqlite"):
            self.kind = "sqlite"
            self.url = f"sqlite:///{self.workdir / 'gastvrij-bench.sqlite'}"
        elif self.spec.startswith("sqlite"):
            self.kind = "sqlite"
            self.url = self.spec
        elif self.spec.startswith(("postgresql", "postgres")):
            import psycopg

            self.kind = "postgresql"
            self._pg_admin = _admin_dsn(self.spec)
            self._pg_name = f"bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(self._pg_admin, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'CREATE DATABASE "{self._pg_name}"')
            self.url = _with_database(self._pg_admin, self._pg_name)
        else:
            raise SystemExit(
                f"error: --database must be 'sqlite', sqlite:///FILE or postgresql://..., not {self.spec!r}"
            )
        return self

    @property
    def pg_name(self) -> str | None:
        return self._pg_name

    def __exit__(self, *exc: object) -> None:
        if self._pg_name and not self.keep:
            import psycopg

            with psycopg.connect(self._pg_admin or "", autocommit=True, connect_timeout=5) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (self._pg_name,),
                )
                conn.execute(f'DROP DATABASE IF EXISTS "{self._pg_name}"')
        elif self._pg_name:
            print(f"kept database {self.url}", file=sys.stderr)


@contextlib.contextmanager
def workdir(keep: bool) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="gastvrij-bench-"))
    try:
        yield path
    finally:
        if keep:
            print(f"kept work folder {path}", file=sys.stderr)
        else:
            shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def service_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["GASTVRIJ_DATABASE_URL"] = database_url
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _token_command(role: str, name: str, location: str = LOCATION, desk: str | None = None) -> list[str]:
    return [sys.executable, "-m", "queue_ticketing", "tokens", "create", "--role", role, "--location", location,
            "--name", name, *(["--desk", desk] if desk else [])]


def bench_desks(count: int) -> list[tuple[str, str, str]]:
    """(role, name, desk) of ``count`` desk tokens, one made for each of the location's desks in
    order (a desk calls only at its own desk), as ``bench.load`` hands them to its desks."""
    from location_config import load_all

    desks = [d.id for d in load_all()[LOCATION].desks]
    return [("desk", f"bench-desk-{i + 1}", desks[i % len(desks)]) for i in range(count)]


def create_token(database_url: str, role: str, name: str, location: str = LOCATION, root: Path = ROOT,
                 desk: str | None = None) -> str:
    """A device token through the service's own CLI (it prints the token alone on its last line);
    ``root`` is the source tree whose ``queue_ticketing`` runs (another checkout, for a comparison);
    ``desk``: the desk a desk token is made for."""
    done = subprocess.run(_token_command(role, name, location, desk), env=service_env(database_url), cwd=root,
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise SystemExit(f"error: token creation failed ({role}):\n{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


def create_tokens(database_url: str, wanted: Sequence[tuple[str, str] | tuple[str, str, str]],
                  root: Path = ROOT) -> dict[str, str]:
    """Tokens for (role, name) pairs, or (role, name, desk) for a desk token made for that desk. The
    first one runs alone (it creates the schema); the rest in parallel, so six desks cost about one
    CLI start."""
    tokens: dict[str, str] = {}
    if not wanted:
        return tokens

    def desk_of(entry: tuple[str, str] | tuple[str, str, str]) -> str | None:
        return entry[2] if len(entry) == 3 else None

    first = wanted[0]
    tokens[first[1]] = create_token(database_url, first[0], first[1], root=root, desk=desk_of(first))
    procs = [
        (entry[1], subprocess.Popen(_token_command(entry[0], entry[1], desk=desk_of(entry)),
                                    env=service_env(database_url), cwd=root,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        for entry in wanted[1:]
    ]
    for name, proc in procs:
        out, err = proc.communicate(timeout=120)
        if proc.returncode != 0:
            raise SystemExit(f"error: token creation failed ({name}):\n{err[-2000:]}")
        tokens[name] = out.strip().splitlines()[-1]
    return tokens


def http_json(url: str, timeout: float = 5.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


class ServerProcess:
    """``python -m queue_ticketing serve`` (or the profiling wrapper) as a child process."""

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        *,
        port: int | None = None,
        access_log: bool = False,
        module_args: Sequence[str] | None = None,
        root: Path = ROOT,
    ) -> None:
        self.database_url = database_url
        self.root = root
        """The source tree it runs from: its ``queue_ticketing`` comes first on the import path."""
        self.port = port or free_port()
        self.log_path = log_path
        self.access_log = access_log
        self.module_args = list(module_args or ("-m", "queue_ticketing", "serve"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, timeout: float = 60.0) -> ServerProcess:
        args = [sys.executable, *self.module_args, "--host", "127.0.0.1", "--port", str(self.port)]
        if not self.access_log:
            args.append("--no-access-log")
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            args, env=service_env(self.database_url), cwd=self.root, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"error: the server exited at start; log:\n{self.log_tail()}")
            with contextlib.suppress(OSError, urllib.error.URLError, ValueError):  # not listening yet
                if http_json(f"{self.url}{API}/health", 0.5).get("status") == "ok":
                    return self
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"error: the server did not become healthy in {timeout:.0f}s; log:\n{self.log_tail()}")
            time.sleep(0.1)

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self, timeout: float = 15.0) -> int | None:
        proc = self.process
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # uvicorn shuts down gracefully (and profilers write out)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._log.close()
        return proc.returncode


def process_cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU of a process (all its threads) from /proc; None if unknown."""
    if pid is None:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, all cores, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    total = sum(fields[:8])
    return (total - idle) / _CLOCK_TICKS, total / _CLOCK_TICKS


def postgres_backends_cpu(database: str | None) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving ``database`` (found by its process title)."""
    if not database:
        return {}
    marker = f" {database} ".encode()
    found = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            title = cmdline.read_bytes()
        except OSError:
            continue
        if title.startswith(b"postgres:") and marker in title:
            pid = int(cmdline.parent.name)
            seconds = process_cpu_seconds(pid)
            if seconds is not None:
                found[pid] = seconds
    return found


class CpuMeter:
    """CPU used by this process (the load generator), by the server, by the PostgreSQL backends of
    the benchmark database, and by everything else on the machine over a measured window (others'
    CPU means the figures were disturbed)."""

    def __init__(self, server_pid: int | None, database: str | None = None) -> None:
        self.server_pid = server_pid
        self.database = database
        self.start()

    def start(self) -> None:
        self._wall = time.perf_counter()
        self._own = time.process_time()
        self._server = process_cpu_seconds(self.server_pid)
        self._postgres = postgres_backends_cpu(self.database)
        self._machine = machine_cpu_seconds()

    def read(self) -> dict[str, float | None]:
        wall = time.perf_counter() - self._wall
        own = time.process_time() - self._own
        server_now = process_cpu_seconds(self.server_pid)
        server = None if server_now is None or self._server is None else server_now - self._server
        busy_now, _ = machine_cpu_seconds()
        machine_busy = busy_now - self._machine[0]
        postgres = None
        if self.database:
            now = postgres_backends_cpu(self.database)
            postgres = sum(seconds - self._postgres.get(pid, 0.0) for pid, seconds in now.items())
        others = machine_busy - own - (server or 0.0) - (postgres or 0.0)
        return {
            "wall_s": round(wall, 3),
            "client_cpu_s": round(own, 3),
            "client_cpu_pct_of_core": round(100 * own / wall, 1) if wall else None,
            "server_cpu_s": None if server is None else round(server, 3),
            "server_cpu_pct_of_core": None if server is None or not wall else round(100 * server / wall, 1),
            "postgres_cpu_pct_of_core": None if postgres is None or not wall else round(100 * postgres / wall, 1),
            "machine_busy_pct_of_core": round(100 * machine_busy / wall, 1) if wall else None,
            "other_processes_cpu_pct_of_core": round(100 * max(0.0, others) / wall, 1) if wall else None,
        }


def wait_for_quiet(max_seconds: float, threshold_pct: float = 20.0) -> float | None:
    """Wait (up to ``max_seconds``) until the machine's busy CPU over one second is below
    ``threshold_pct`` of one core: a shared machine gives steadier figures when others are idle.
    Returns the last busy percentage seen, or None when not asked to wait."""
    if max_seconds <= 0:
        return None
    deadline = time.monotonic() + max_seconds
    busy_pct = 100.0
    while time.monotonic() < deadline:
        before, _ = machine_cpu_seconds()
        time.sleep(1.0)
        after, _ = machine_cpu_seconds()
        busy_pct = 100 * (after - before)
        if busy_pct < threshold_pct:
            return busy_pct
    print(
        f"note: the machine stayed busy ({busy_pct:.0f}% of one core) for {max_seconds:.0f} s; measuring anyway",
        file=sys.stderr,
    )
    return busy_pct


# --------------------------------------------------------------------------- statistics


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), int(-(-p * len(sorted_values) // 100))))
    return sorted_values[rank - 1]


def latency_summary(seconds: Sequence[float]) -> dict[str, float | int | None]:
    values = sorted(seconds)
    if not values:
        return {
            "n": 0,
            "mean_ms": None,
            "p50_ms": None,
            "p90_ms": None,
            "p95_ms": None,
            "p99_ms": None,
            "max_ms": None,
        }
    ms = 1000.0
    return {
        "n": len(values),
        "mean_ms": round(sum(values) / len(values) * ms, 3),
        "p50_ms": round(percentile(values, 50) * ms, 3),
        "p90_ms": round(percentile(values, 90) * ms, 3),
        "p95_ms": round(percentile(values, 95) * ms, 3),
        "p99_ms": round(percentile(values, 99) * ms, 3),
        "max_ms": round(values[-1] * ms, 3),
    }


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def cell(v: Any) -> str:
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:,.1f}" if abs(v) >= 100 else f"{v:.2f}"
        return str(v)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = [
        "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths, strict=True)))
    ]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append(
            "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(row, widths, strict=True)))
        )
    return "\n".join(lines)


def code_fingerprint() -> str:
    """A short hash of the service's source, so a figure can be tied to the code it measured."""
    import hashlib

    digest = hashlib.sha256()
    for package in ("queue_ticketing", "location_config"):
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine_load() -> dict[str, Any]:
    """Load average and the busiest other processes: the benchmark shares a small machine."""
    others = []
    me = os.getpid()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(stat.parent.name)
            text = stat.read_text()
        except (OSError, ValueError):
            continue
        if pid == me:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if fields[0] == "R":
            others.append(text[text.index("(") + 1 : text.rindex(")")])
    return {"loadavg_1m": round(os.getloadavg()[0], 2), "running_processes": others[:10]}


def print_machine_notes(result: dict[str, Any]) -> None:
    """The CPU line and, when the machine was busy at the start, a warning: read before trusting."""
    print(cpu_line(result["cpu"]))
    busy = result["machine_before"]
    if busy["running_processes"]:
        print(f"note: other processes were running at the start: {busy['running_processes']} "
              f"(load average {busy['loadavg_1m']})")


def cpu_line(cpu: dict[str, float | None]) -> str:
    server = cpu.get("server_cpu_pct_of_core")
    return (
        f"CPU over {cpu['wall_s']:.1f} s: load generator {cpu['client_cpu_pct_of_core']}% of one core, "
        f"server {'n/a (not started here)' if server is None else f'{server}% of one core'}"
        + (
            f", PostgreSQL backends {cpu['postgres_cpu_pct_of_core']}%"
            if cpu.get("postgres_cpu_pct_of_core") is not None
            else ""
        )
        + " "
        f"(machine: {os.cpu_count()} cores; other processes {cpu.get('other_processes_cpu_pct_of_core')}% "
        f"of one core)"
    )


def write_json(path: str | None, result: dict[str, Any]) -> None:
    if not path:
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(result, indent=2) + "\n")
    print(f"JSON written to {path}")


# --------------------------------------------------------------------------- CLI pieces


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("server")
    group.add_argument(
        "--server",
        metavar="URL",
        help="use this running service (e.g. http://127.0.0.1:8000) instead of starting one; "
        "then give tokens (--kiosk-token/--desk-token or GASTVRIJ_BENCH_KIOSK_TOKEN/"
        "GASTVRIJ_BENCH_DESK_TOKEN) or --database with that server's database URL",
    )
    group.add_argument(
        "--database",
        default="sqlite",
        metavar="URL",
        help="'sqlite' (default: a fresh file in a temporary folder), sqlite:///FILE, or "
        "postgresql://postgres@127.0.0.1:5432/test (a fresh database bench_<random> is "
        "created on that server and dropped afterwards)",
    )
    group.add_argument(
        "--kiosk-token",
        default=os.environ.get("GASTVRIJ_BENCH_KIOSK_TOKEN"),
        help="with --server: a kiosk token of ijsselmonde",
    )
    group.add_argument(
        "--desk-token",
        default=os.environ.get("GASTVRIJ_BENCH_DESK_TOKEN"),
        help="with --server: a desk token of ijsselmonde",
    )
    group.add_argument(
        "--access-log",
        action="store_true",
        help="let the started server log every request (default: --no-access-log)",
    )
    group.add_argument(
        "--profile",
        choices=("cprofile", "pyinstrument", "none"),
        help="start the server under a profiler (bench.profile_server; sync handlers run inline "
        "on the event loop so one thread sees all the work); report to --profile-out "
        "(default bench/results/profile-KIND-DB.txt); none: inline handlers without a profiler",
    )
    group.add_argument(
        "--server-threads",
        type=int,
        metavar="N",
        help="experiment: start the server through bench.profile_server with a thread pool of N threads "
        "(anyio's default is 40), no profiler",
    )
    group.add_argument("--profile-out", metavar="FILE", help="where the profiler writes its report")
    group.add_argument(
        "--quiet-wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before measuring, wait up to this long for other processes to leave the CPUs idle "
        "(for a shared machine; default 0: do not wait)",
    )
    group.add_argument("--keep", action="store_true", help="keep the temporary folder and database afterwards")


@dataclass
class Target:
    url: str
    kiosk_token: str
    desk_tokens: list[str]
    database: str
    server: ServerProcess | None
    postgres_database: str | None = None
    code: str = ""
    """Fingerprint of the service's source when the server started (see code_fingerprint)."""


def line_buffered_output() -> None:
    """Progress lines show up at once also when the output goes to a file."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(line_buffering=True)


def stop_on_sigterm() -> None:
    """SIGTERM (e.g. from ``timeout``) ends the run like Ctrl-C: the server and the database are
    cleaned up by the context managers instead of being left behind."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


@contextlib.contextmanager
def target(args: argparse.Namespace, desks: int) -> Iterator[Target]:
    """The service to measure: started here on a fresh database (tokens made through the CLI), or the
    one at ``--server``. Everything started here is stopped on the way out, also on Ctrl-C."""
    stop_on_sigterm()
    line_buffered_output()
    with workdir(args.keep) as folder:
        if args.server:
            url = args.server.rstrip("/")
            kiosk, desk = args.kiosk_token, args.desk_token
            if not (kiosk and desk):
                if args.database in ("", "sqlite"):
                    raise SystemExit(
                        "error: with --server give --kiosk-token and --desk-token, or --database with "
                        "the server's database URL so tokens can be created through the CLI"
                    )
                made = create_tokens(args.database, [("kiosk", "bench-kiosk"), *bench_desks(max(1, desks))])
                yield Target(url, made["bench-kiosk"], [made[f"bench-desk-{i + 1}"] for i in range(max(1, desks))],
                             "external", None)
                return
            # One token given: a desk acts only at its own desk, so the server refuses this token's calls at
            # every other desk (403 wrong_desk, counted as errors). Give --database for one token per desk.
            yield Target(url, kiosk, [desk] * max(1, desks), "external", None)
            return
        with BenchDatabase(args.database, folder, keep=args.keep) as db:
            wanted = [("kiosk", "bench-kiosk"), *bench_desks(max(1, desks))]
            made = create_tokens(db.url, wanted)
            module_args = None
            if getattr(args, "server_threads", None):
                module_args = [
                    "-m",
                    "bench.profile_server",
                    "--profiler",
                    "none",
                    "--threads",
                    str(args.server_threads),
                ]
                print(f"server through bench.profile_server with {args.server_threads} threads")
            elif args.profile:
                out = args.profile_out or str(ROOT / "bench" / "results" / f"profile-{args.profile}-{db.kind}.txt")
                module_args = ["-m", "bench.profile_server", "--profiler", args.profile]
                if args.profile == "none":
                    print("server with inline handlers (bench.profile_server), no profiler")
                else:
                    module_args += ["--out", out]
                    print(f"profiling the server with {args.profile}; report: {out}")
            server = ServerProcess(db.url, folder / "server.log", access_log=args.access_log, module_args=module_args)
            try:
                fingerprint = code_fingerprint()
                server.start()
                yield Target(
                    server.url,
                    made["bench-kiosk"],
                    [made[f"bench-desk-{i + 1}"] for i in range(max(1, desks))],
                    db.kind,
                    server,
                    db.pg_name,
                    fingerprint,
                )
            finally:
                code = server.stop()
                if code not in (0, None, -signal.SIGINT):
                    print(
                        f"warning: the server exited with {code}; log tail:\n{server.log_tail()}",
                        file=sys.stderr,
                    )


def use_uvloop() -> None:
    """A faster event loop for the load generator itself, when installed (it comes with uvicorn)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - plain asyncio works too
        return
    import asyncio

    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
