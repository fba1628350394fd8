"""Where a request's CPU goes: a short in-process run of the real app, one request at a time.

The app is built as ``serve`` builds it, the synchronous handlers run inline (no thread pool) and
requests go through httpx's ASGI transport on the same thread, so there is no network, no uvicorn
and no thread switching: what is left is the cost of the app, FastAPI/Starlette, pydantic,
SQLAlchemy and the database driver. Prints the time per request without a profiler, the SQL
statements per request and their time in the driver, then a cProfile (or pyinstrument) report and
cProfile's own time grouped by library.

    python -m bench.profile_inprocess --op issue --requests 2000
    python -m bench.profile_inprocess --op mixed --database postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .harness import LOCATION, BenchDatabase, workdir
from .profile_server import inline_threadpool

CATEGORIES = (
    ("/sqlalchemy/", "SQLAlchemy"),
    ("/fastapi/", "FastAPI"),
    ("/starlette/", "Starlette"),
    ("/pydantic", "pydantic"),
    ("/queue_ticketing/", "app (queue_ticketing)"),
    ("/location_config/", "app (location_config)"),
    ("/httpx/", "test client (httpx, not in a real server)"),
    ("/httpcore/", "test client (httpx, not in a real server)"),
    ("/anyio/", "anyio"),
    ("/psycopg/", "psycopg (Python part)"),
    ("/asyncio/", "asyncio"),
    ("/json/", "json"),
    ("/prometheus_client/", "prometheus_client"),
    ("/logging/", "logging"),
    ("/opentelemetry/", "opentelemetry"),
)


def category(filename: str, name: str) -> str:
    if filename == "~":
        if "sqlite3" in name:
            return "sqlite3 driver (C)"
        if "psycopg" in name or "pq" in name:
            return "psycopg (C)"
        return "builtins (C)"
    for marker, label in CATEGORIES:
        if marker in filename:
            return label
    return "other Python (" + Path(filename).name + ")"


class Api:
    """The three requests, each timed (wall and CPU) under its own name."""

    def __init__(self, client: Any, kiosk: str, desk: str) -> None:
        self.client = client
        self.kiosk = {"Authorization": f"Bearer {kiosk}"}
        self.desk = {"Authorization": f"Bearer {desk}"}
        self.services = ["paspoort", "identiteitskaart"]  # both served by balie-1
        self.i = 0
        self.current = "-"
        self.wall: Counter[str] = Counter()
        self.cpu: Counter[str] = Counter()
        self.count: Counter[str] = Counter()

    async def _post(self, name: str, path: str, headers: dict[str, str], body: Any = None) -> Any:
        self.current = name
        wall, cpu = time.perf_counter(), time.process_time()
        r = await self.client.post(path, json=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
        self.wall[name] += time.perf_counter() - wall
        self.cpu[name] += time.process_time() - cpu
        self.count[name] += 1
        self.current = "-"
        return r

    async def issue(self) -> dict[str, Any]:
        self.i += 1
        r = await self._post(
            "issue",
            f"/api/v1/locations/{LOCATION}/tickets",
            self.kiosk,
            {"service": self.services[self.i % 2], "language": "nl"},
        )
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    async def call(self, desk: str = "balie-1") -> dict[str, Any] | None:
        r = await self._post("call_next", f"/api/v1/locations/{LOCATION}/desks/{desk}/call-next", self.desk)
        assert r.status_code in (200, 204), r.text
        return r.json() if r.status_code == 200 else None

    async def finish(self, ticket_id: str) -> None:
        r = await self._post("finish", f"/api/v1/tickets/{ticket_id}/finish", self.desk)
        assert r.status_code == 200, r.text

    def reset(self) -> None:
        self.wall.clear()
        self.cpu.clear()
        self.count.clear()


async def one_round(api: Api, op: str) -> None:
    """issue: one ticket. call: one ticket drawn (keeps the queue as long as it is) and one called
    and finished at balie-1. mixed: the same three; reported per request either way."""
    if op == "issue":
        await api.issue()
        return
    await api.issue()
    ticket = await api.call()
    if ticket is not None:
        await api.finish(ticket["id"])


async def run(args: argparse.Namespace, database_url: str) -> None:
    import httpx
    from sqlalchemy import event

    from queue_ticketing.api.app import create_app
    from queue_ticketing.domain.clock import system_clock
    from queue_ticketing.services.devices import create_device
    from queue_ticketing.settings import Settings
    from queue_ticketing.store.write_batch import write_alone

    app = create_app(Settings(database_url=database_url, access_log=False))
    inline_threadpool()
    db = app.state.db
    kiosk = write_alone(db, system_clock, lambda uow: create_device(uow, "kiosk", LOCATION, "profile-kiosk").token)
    desk = write_alone(db, system_clock, lambda uow: create_device(uow, "desk", LOCATION, "profile-desk").token)

    sql_time: Counter[tuple[str, str]] = Counter()
    sql_count: Counter[tuple[str, str]] = Counter()
    api: Api | None = None
    started_at: dict[int, float] = {}
    counting = {"on": False}

    @event.listens_for(db.engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        started_at[id(cursor)] = time.perf_counter()

    @event.listens_for(db.engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        began = started_at.pop(id(cursor), None)
        if counting["on"] and began is not None:
            key = (api.current if api else "-", " ".join(statement.split())[:80])
            sql_time[key] += time.perf_counter() - began
            sql_count[key] += 1

    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
        api = Api(c, kiosk, desk)
        for _ in range(args.backlog):  # a queue of a busy morning (not measured)
            await api.issue()
        for _ in range(args.warmup):
            await one_round(api, args.op)

        # 1. plain timing, no profiler
        api.reset()
        counting["on"] = True
        for _ in range(args.requests):
            await one_round(api, args.op)
        counting["on"] = False
        print(
            f"op {args.op} on {db.engine.dialect.name}, in process (no network, no uvicorn, no thread pool), "
            f"{args.backlog} tickets waiting at the start:"
        )
        for name in api.count:
            n = api.count[name]
            sql = sum(v for (route, _), v in sql_time.items() if route == name)
            statements = sum(v for (route, _), v in sql_count.items() if route == name)
            print(
                f"  {name:10s} {n:6d} requests: {1000 * api.wall[name] / n:6.2f} ms wall, "
                f"{1000 * api.cpu[name] / n:6.2f} ms CPU per request (≈ {n / api.cpu[name]:,.0f}/s per core); "
                f"{statements / n:.1f} SQL statements, {1000 * sql / n:.2f} ms in cursor.execute "
                f"({100 * sql / api.wall[name]:.0f}%)"
            )
        print("SQL statements by time in cursor.execute (driver + database):")
        for (route, statement), seconds in sql_time.most_common(args.top_sql):
            n = api.count[route] or 1
            print(
                f"  {route:10s} {sql_count[(route, statement)] / n:4.2f}/req "
                f"{1e6 * seconds / sql_count[(route, statement)]:7.1f} µs  {statement}"
            )

        # 2. profiled
        if args.profiler == "cprofile":
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                await one_round(api, args.op)
            profiler.disable()
            text = io.StringIO()
            stats = pstats.Stats(profiler, stream=text)
            by_category: dict[str, float] = defaultdict(float)
            for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
                by_category[category(filename, name)] += tottime
            total = sum(by_category.values())
            report = ["cProfile own time by library (profiler overhead inflates pure-Python parts):"]
            for label, seconds in sorted(by_category.items(), key=lambda kv: -kv[1]):
                if seconds / total >= 0.005:
                    report.append(f"  {100 * seconds / total:5.1f}%  {label}")
            print("\n".join(report))
            stats.strip_dirs().sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top // 2)
            body = "\n".join(report) + "\n\n" + text.getvalue()
        else:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002, async_mode="disabled")
            profiler.start()
            for _ in range(args.requests):
                await one_round(api, args.op)
            profiler.stop()
            body = profiler.output_text(unicode=False, color=False, show_all=False)
        if args.out:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(body)
            print(f"profile written to {args.out}")
        else:
            print(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile_inprocess",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--op",
        choices=("issue", "mixed"),
        default="issue",
        help="issue: draw tickets; mixed: draw one, call-next and finish at balie-1 per round",
    )
    parser.add_argument("--backlog", type=int, default=50, help="tickets waiting before the run starts")
    parser.add_argument("--requests", type=int, default=1000, help="rounds to time and then to profile")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--database", default="sqlite", help="'sqlite' or postgresql://... (a fresh database)")
    parser.add_argument("--profiler", choices=("cprofile", "pyinstrument"), default="cprofile")
    parser.add_argument("--top", type=int, default=40, help="rows of the cProfile listings")
    parser.add_argument("--top-sql", type=int, default=15)
    parser.add_argument("--out", help="write the profile here instead of printing it")
    args = parser.parse_args(argv)
    with workdir(False) as folder, BenchDatabase(args.database, folder) as database:
        asyncio.run(run(args, database.url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
