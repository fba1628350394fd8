"""CPU per ticket issue through the app's ASGI callable: no client library, no network, no uvicorn.

The app is built as ``serve`` builds it, on a fresh SQLite file, and ``--together`` issues are
sent at once (so the group commit batches them, as under load); after a warm-up, the process's CPU
time over ``--issues`` issues is divided by their number. ``PYTHONPATH`` names the source tree
whose ``queue_ticketing`` is measured; alternate trees to compare them:

    PYTHONPATH=. .venv/bin/python bench/issue_cpu.py --label after
    PYTHONPATH=/tmp/gastvrij-1b5748e .venv/bin/python bench/issue_cpu.py --label before
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

BODY = json.dumps({"service": "paspoort", "language": "nl"}).encode()
PATH = "/api/v1/locations/ijsselmonde/tickets"


def _kiosk_token(db: Any) -> str:
    from queue_ticketing.domain.clock import system_clock
    from queue_ticketing.services.devices import create_device

    try:
        from queue_ticketing.store.write_batch import write_alone
    except ImportError:  # a tree from before write_alone: a standalone unit of work
        from queue_ticketing.store.unit_of_work import UnitOfWork

        with UnitOfWork(db, system_clock()) as uow:  # type: ignore[call-arg]
            token: str = create_device(uow, "kiosk", "ijsselmonde", "bench-kiosk").token
            uow.commit()  # type: ignore[attr-defined]
        return token
    return str(write_alone(db, system_clock, lambda uow: create_device(uow, "kiosk", "ijsselmonde",
                                                                        "bench-kiosk").token))


async def _issue(app: Any, token: str) -> None:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": PATH, "raw_path": PATH.encode(), "query_string": b"", "root_path": "",
             "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000), "state": {},
             "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(BODY)).encode()), (b"authorization", f"Bearer {token}".encode()),
                         (b"idempotency-key", str(uuid.uuid4()).encode())]}
    sent: list[dict[str, Any]] = []
    delivered = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if not delivered.is_set():
            delivered.set()
            return {"type": "http.request", "body": BODY, "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    if sent[0]["status"] != 201:
        raise SystemExit(f"error: an issue was answered {sent[0]['status']}: {sent}")


async def _measure(app: Any, token: str, issues: int, together: int) -> float:
    async with app.router.lifespan_context(app):
        for _ in range(max(1, 200 // together)):
            await asyncio.gather(*(_issue(app, token) for _ in range(together)))
        gc.collect()
        gc.freeze()  # as serve does
        started = time.process_time()
        for _ in range(issues // together):
            await asyncio.gather(*(_issue(app, token) for _ in range(together)))
        return (time.process_time() - started) / (issues // together * together)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.issue_cpu", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=2000)
    parser.add_argument("--together", type=int, default=16, help="issues sent at once")
    parser.add_argument("--label", default="", help="printed before the figure")
    args = parser.parse_args(argv)
    import uvloop

    from queue_ticketing.api.app import create_app
    from queue_ticketing.settings import Settings

    folder = Path(tempfile.mkdtemp(prefix="gastvrij-issue-cpu-"))
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'bench.sqlite'}", access_log=False))
    token = _kiosk_token(app.state.db)
    uvloop.install()
    seconds = asyncio.run(_measure(app, token, args.issues, args.together))
    print(f"{args.label + ': ' if args.label else ''}{1000 * seconds:.3f} ms CPU per issue "
          f"({args.issues} issues, {args.together} at a time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
