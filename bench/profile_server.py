"""The central service under a profiler, for ``python -m bench.load --profile ...``.

Starts the same app as ``python -m queue_ticketing serve`` (uvloop, httptools) but runs FastAPI's
synchronous handlers and dependencies inline on the event loop instead of in the thread pool, so
one profiler on one thread sees all the work of a request. Request handling is then serial: use the
report for *where the CPU goes per request*, not for throughput. The report is written when the
server stops (SIGINT/SIGTERM).

    python -m bench.profile_server --profiler cprofile --out prof.txt --port 8000
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def inline_threadpool() -> None:
    """Run ``run_in_threadpool`` callables directly (bench only: this blocks the loop while they run)."""
    import fastapi.dependencies.utils
    import fastapi.routing
    import starlette._exception_handler
    import starlette.concurrency

    async def run_inline(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return func(*args, **kwargs)

    for module in (
        starlette.concurrency,
        fastapi.routing,
        fastapi.dependencies.utils,
        starlette._exception_handler,
    ):
        module.run_in_threadpool = run_inline  # type: ignore[attr-defined]


class ThreadLimit:
    """Pure ASGI middleware that sets anyio's default thread-pool size (40) once the loop runs:
    an experiment in how many threads should fight for the GIL."""

    def __init__(self, app: Any, threads: int) -> None:
        self.app = app
        self.threads = threads
        self.done = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if not self.done:
            import anyio.to_thread

            anyio.to_thread.current_default_thread_limiter().total_tokens = self.threads
            self.done = True
        await self.app(scope, receive, send)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile_server",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--profiler",
        choices=("cprofile", "pyinstrument", "none"),
        default="cprofile",
        help="none: no profiler, only the inline handlers (to measure the thread-pool hop)",
    )
    parser.add_argument("--out", default="", help="text report; cProfile also writes OUT.prof (pstats)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-access-log", action="store_true")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="keep the thread pool but with this many threads (anyio's default is 40); implies --threaded",
    )
    parser.add_argument(
        "--threaded",
        action="store_true",
        help="keep the thread pool (the profiler then sees only the event-loop thread)",
    )
    args = parser.parse_args(argv)

    import uvicorn

    from queue_ticketing.api.app import create_app
    from queue_ticketing.settings import Settings
    from queue_ticketing.structured_logging import configure

    settings = Settings()
    if args.no_access_log:
        settings.access_log = False
    configure(settings.log_level)
    app = create_app(settings)
    if args.threads:
        app.add_middleware(ThreadLimit, threads=args.threads)
    elif not args.threaded:
        inline_threadpool()
    if args.profiler != "none" and not args.out:
        parser.error("--out is required with a profiler")
    out = Path(args.out or ".")
    if args.out:
        out.parent.mkdir(parents=True, exist_ok=True)

    def serve() -> None:
        try:  # the service's own server wrapper, when it has one (ends live streams on shutdown)
            from queue_ticketing.api.server import serve as service_serve
        except ImportError:
            service_serve = None
        if service_serve is not None:
            service_serve(app, args.host, args.port)
        else:
            uvicorn.run(
                app,
                host=args.host,
                port=args.port,
                log_config=None,
                access_log=False,
                timeout_graceful_shutdown=3,
                loop="uvloop",
                http="httptools",
            )

    if args.profiler == "none":
        serve()
    elif args.profiler == "cprofile":
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        try:
            serve()
        finally:
            profiler.disable()
            profiler.dump_stats(str(out) + ".prof")
            text = io.StringIO()
            stats = pstats.Stats(profiler, stream=text).strip_dirs()
            text.write("=== by cumulative time ===\n")
            stats.sort_stats("cumulative").print_stats(70)
            text.write("\n=== by own time ===\n")
            stats.sort_stats("tottime").print_stats(50)
            out.write_text(text.getvalue())
    else:
        try:
            from pyinstrument import Profiler
        except ImportError:
            print("pyinstrument is not installed: .venv/bin/pip install pyinstrument", file=sys.stderr)
            return 2
        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
        try:
            serve()
        finally:
            profiler.stop()
            out.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
