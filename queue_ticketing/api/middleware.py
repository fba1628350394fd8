"""Pure ASGI middleware: request size limit, Prometheus metrics and one log line per request."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problems import TITLES

log = logging.getLogger("queue_ticketing.access")


def _problem_bytes(status: int, code: str, detail: str) -> bytes:
    return json.dumps({"type": f"https://gastvrij.example/problems/{code}", "title": TITLES[status],
                       "status": status, "code": code, "detail": detail}).encode()


class BodyLimit:
    """Refuse bodies over ``limit`` bytes with 413, whether announced or streamed, and request
    bodies that are not JSON with 415 (but for a form posted to a path matching ``form_paths``)."""

    def __init__(self, app: ASGIApp, limit: int, form_paths: str | None = None) -> None:
        self.app = app
        self.limit = limit
        self.form_paths = re.compile(form_paths) if form_paths else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", ()))
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await self._refuse(send, 413, "too_large", f"The request body may be at most {self.limit} bytes.")
            return
        has_body = (length.isdigit() and int(length) > 0) or b"transfer-encoding" in headers
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        is_form = (content_type == b"application/x-www-form-urlencoded" and self.form_paths is not None
                   and self.form_paths.fullmatch(scope["path"]) is not None)
        if has_body and not (content_type == b"application/json" or content_type.endswith(b"+json") or is_form):
            await self._refuse(send, 415, "unsupported_media_type", "Send the request body as application/json.")
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # Becomes a 413 problem in the app's exception handler.
                    raise HTTPException(413, f"The request body may be at most {self.limit} bytes.")
            return message

        await self.app(scope, limited_receive, send)

    async def _refuse(self, send: Send, status: int, code: str, detail: str) -> None:
        body = _problem_bytes(status, code, detail)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


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
        if scope["path"].endswith("/events"):
            # Event streams last for hours and send thousands of chunks: count them, wrap nothing.
            self.requests.labels(scope["method"], "/api/v1/locations/{location}/events", "stream").inc()
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
            self.latency.labels(method, route).observe(elapsed)
            self.requests.labels(method, route, str(status)).inc()
            if self.access_log:
                role = getattr(scope.get("state", {}).get("principal"), "role", None) \
                    if isinstance(scope.get("state"), dict) else None
                log.info("request", extra={"fields": {"method": method, "route": route, "status": status,
                                                      "ms": round(elapsed * 1000, 2), "role": role}})


def _route_of(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(path) if path else "unmatched"
