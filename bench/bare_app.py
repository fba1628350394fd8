"""A FastAPI application that does nothing, served like the central service: the framework's floor.

``POST /api/v1/locations/{location}/tickets`` answers 201 with ``{}`` without reading the body,
touching a database or checking a token; ``GET /api/v1/health`` answers like the service's, so the
benchmarks' server harness can start it. It runs on the same uvicorn configuration as
``python -m queue_ticketing serve`` (uvloop, httptools, no access log, start-up objects frozen out
of the garbage collector), so what a ticket issue costs beyond it is the service's own work.

    python -m bench.bare_app --host 127.0.0.1 --port 8001
"""

from __future__ import annotations

import argparse
import gc

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

app = FastAPI(title="bare endpoint")


@app.get("/api/v1/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/api/v1/locations/{location}/tickets", status_code=201)
async def issue(location: str) -> Response:
    return JSONResponse({}, status_code=201)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_app", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--no-access-log", action="store_true", help="accepted for the harness; it never logs")
    args = parser.parse_args(argv)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_config=None, access_log=False,
                            loop="uvloop", http="httptools")
    gc.collect()
    gc.freeze()
    uvicorn.Server(config).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
