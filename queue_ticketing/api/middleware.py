"""Pure ASGI middleware: request size limit, Prometheus metrics and one log line per request."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("queue_ticketing.access")


def _problem_bytes(status: int, code: str, detail: str) -> bytes:
    return json.dumps({"type": f"https://gastvrij.example/problems/{code}", "title": "Request too large",
                       "status": status, "code": code, "detail": detail}).encode()


class BodyLimit:
    """Refuse bodies over ``limit`` bytes with 413, whether announced or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._refuse(send)
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = _problem_bytes(413, "too_large", f"The request body may be at most {self.limit} bytes.")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class Observability:
    """Counts and times every request by route template (never by concrete path: paths hold ids)."""

    def __init__(self, app: ASGIApp, registry: CollectorRegistry, access_log: bool) -> None:
        self.app = app
        self.access_log = access_log
        self.requests = Counter("gastvrij_http_requests", "HTTP requests", ["method", "route", "status"],
                                registry=registry)
        self.latency = Histogram("gastvrij_http_request_seconds", "HTTP request latency", ["method", "route"],
                                 registry=registry,
                                 buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = _route_of(scope)
            elapsed = time.perf_counter() - started
            method = scope["method"]
            if not route.endswith("/events"):  # streams last for hours
                self.latency.labels(method, route).observe(elapsed)
            self.requests.labels(method, route, str(status)).inc()
            if self.access_log:
                device = getattr(scope.get("state", {}).get("device"), "role", None) \
                    if isinstance(scope.get("state"), dict) else None
                log.info("request", extra={"fields": {"method": method, "route": route, "status": status,
                                                      "ms": round(elapsed * 1000, 2), "role": device}})


def _route_of(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(path) if path else "unmatched"
