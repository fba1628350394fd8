"""Pure ASGI middleware: what a request must be (host, size, characters), the headers on every
answer, Prometheus metrics and one log line per request."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problems import TITLES

log = logging.getLogger("queue_ticketing.access")


def _problem_bytes(status: int, code: str, detail: str) -> bytes:
    return json.dumps({"type": f"https://gastvrij.example/problems/{code}", "title": TITLES[status],
                       "status": status, "code": code, "detail": detail}).encode()


# Text a service never needs and a database may refuse (PostgreSQL: NUL) or misread: C0 controls,
# DEL and C1 controls; in JSON text also lone UTF-16 surrogates. Tab, line feed and carriage return
# stay allowed in JSON text (a complaint has lines).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
_JSON_CONTROL = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]"  # raw DEL and C1 (raw C0 is not JSON and fails parsing anyway)
    rb"|(?<!\\)(?:\\\\)*\\u(?:"  # an escape: an odd number of backslashes, then u and hex
    rb"00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])"
    rb"|[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"  # a high surrogate without its low one
    rb"|(?<![dD][89abAB][0-9a-fA-F]{2}\\u)[dD][c-fC-F][0-9a-fA-F]{2})"  # a low one alone
)
MAX_HEADERS = 100
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def json_has_control_characters(body: bytes) -> bool:
    """Whether a JSON text holds, in any string, a character ``has_control_characters`` refuses
    (tab, line feed and carriage return aside) or half a surrogate pair."""
    return _JSON_CONTROL.search(body) is not None


async def _refuse(send: Send, status: int, code: str, detail: str) -> None:
    body = _problem_bytes(status, code, detail)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class RequestEdge:
    """What every request must be before a route sees it: from a trusted host (else 400
    ``untrusted_host``), with at most ``max_header_bytes`` of headers in at most ``MAX_HEADERS``
    lines (else 431), and with no control characters in its path, query or header values (else
    400 ``invalid_characters``)."""

    def __init__(self, app: ASGIApp, trusted_hosts: TrustedHosts, max_header_bytes: int) -> None:
        self.app = app
        self.trusted_hosts = trusted_hosts
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        if len(headers) > MAX_HEADERS or sum(len(k) + len(v) for k, v in headers) > self.max_header_bytes:
            await _refuse(send, 431, "request_head_too_large",
                          f"A request may have at most {MAX_HEADERS} headers of {self.max_header_bytes} bytes "
                          "together.")
            return
        host = next((v for k, v in headers if k == b"host"), None)
        if host is not None and not self.trusted_hosts.allows(host):
            await _refuse(send, 400, "untrusted_host",
                          "This service answers only under its own host names (GASTVRIJ_TRUSTED_HOSTS).")
            return
        if (has_control_characters(scope["path"])
                or _CONTROL_BYTES.search(unquote_to_bytes(scope.get("query_string", b""))) is not None
                or any(_CONTROL_BYTES.search(value) is not None for _, value in headers)):
            await _refuse(send, 400, "invalid_characters",
                          "The address, its query or a header holds a control character (such as NUL); "
                          "leave it out.")
            return
        await self.app(scope, receive, send)


class TrustedHosts:
    """Host names this service answers under: exact names, ``*.example.org`` for its subdomains,
    or ``*`` for any. A request's ``Host`` header (without its port) must be one of them, so a link
    built from it (a ticket's mobile address, a ZGW ``url``) never points at another site."""

    LOOPBACK = ("localhost", "127.0.0.1", "::1")

    def __init__(self, names: Iterable[str]) -> None:
        self.any = False
        self.exact: set[str] = set()
        self.suffixes: list[str] = []
        for name in (n.strip().lower() for n in names):
            if name == "*":
                self.any = True
            elif name.startswith("*."):
                self.suffixes.append(name[1:])
            elif name:
                self.exact.add(name.strip("[]"))

    @classmethod
    def of(cls, configured: Sequence[str], public_url: str | None) -> TrustedHosts:
        """``configured`` when given, else this machine's loopback names and the public URL's host."""
        if configured:
            return cls(configured)
        names = list(cls.LOOPBACK)
        if public_url:
            names.append(urlsplit(public_url).hostname or "")
        return cls(names)

    def allows(self, host_header: bytes) -> bool:
        if self.any:
            return True
        host = host_header.decode("latin-1").strip().lower()
        name = host[1:].split("]", 1)[0] if host.startswith("[") else host.rsplit(":", 1)[0] if host.count(":") == 1 \
            else host
        return name in self.exact or any(name.endswith(suffix) for suffix in self.suffixes)


class BodyLimit:
    """Read a request's body before the route does: over ``limit`` bytes, whether announced or
    streamed, is 413; a body that is not JSON (but for a form posted to a path matching
    ``form_paths``) is 415; JSON text with a control character (see ``json_has_control_characters``)
    is 400 ``invalid_characters``. The route then reads the body as it came. Requests without a
    body pass untouched (an event stream's end is still seen)."""

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
            await _refuse(send, 413, "too_large", f"The request body may be at most {self.limit} bytes.")
            return
        has_body = (length.isdigit() and int(length) > 0) or b"transfer-encoding" in headers
        if not has_body:
            await self.app(scope, receive, send)
            return
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        is_form = (content_type == b"application/x-www-form-urlencoded" and self.form_paths is not None
                   and self.form_paths.fullmatch(scope["path"]) is not None)
        if not (content_type == b"application/json" or content_type.endswith(b"+json") or is_form):
            await _refuse(send, 415, "unsupported_media_type", "Send the request body as application/json.")
            return
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before its body was complete
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.limit:
                await _refuse(send, 413, "too_large", f"The request body may be at most {self.limit} bytes.")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        # A form (the staff sign-in) is checked by its own page, which answers with the form again.
        if not is_form and json_has_control_characters(body):
            await _refuse(send, 400, "invalid_characters",
                          "A text in the request holds a control character (such as NUL); leave it out.")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class SecurityHeaders:
    """Headers on every answer, unless the answer sets its own: no MIME sniffing, no referrer (a
    ticket's address is its secret), no framing, and for anything but a page a policy that loads
    nothing (JSON and event streams need no scripts)."""

    HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
               (b"x-frame-options", b"DENY"),
               (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"))
    DOCS_PAGES = ("/docs", "/redoc", "/zaken/api/v1/schema")
    DOCS_POLICY = (b"content-security-policy",
                   b"default-src 'none'; script-src 'unsafe-inline' https://cdn.jsdelivr.net; "
                   b"style-src 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
                   b"font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
                   b"https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; base-uri 'none'; "
                   b"form-action 'none'; frame-ancestors 'none'")
    """The API documentation pages (only with ``GASTVRIJ_API_DOCS``): FastAPI's Swagger UI and
    ReDoc load their scripts and styles from jsDelivr and start them with an inline script."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.docs_headers = (*(h for h in self.HEADERS if h[0] != b"content-security-policy"), self.DOCS_POLICY)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        headers = self.docs_headers if scope["path"] in self.DOCS_PAGES else self.HEADERS

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower(): value for name, value in message.get("headers", ())}
                # A script's own policy would bind it as a (service) worker: scripts keep the page's.
                script = b"javascript" in present.get(b"content-type", b"")
                missing = [(name, value) for name, value in headers
                           if name not in present and not (script and name == b"content-security-policy")]
                if missing:
                    message = {**message, "headers": [*message.get("headers", ()), *missing]}
            await send(message)

        await self.app(scope, receive, with_headers)


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
        method = scope["method"] if scope["method"] in METHODS else "other"  # a label per made-up method: unbounded
        if scope["path"].endswith("/events"):
            # Event streams last for hours and send thousands of chunks: count them, wrap nothing.
            self.requests.labels(method, "/api/v1/locations/{location}/events", "stream").inc()
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
            self.latency.labels(method, route).observe(elapsed)
            self.requests.labels(method, route, str(status)).inc()
            if self.access_log:
                role = getattr(scope.get("state", {}).get("principal"), "role", None) \
                    if isinstance(scope.get("state"), dict) else None
                log.info("request", extra={"fields": {"method": method, "route": route, "status": status,
                                                      "ms": round(elapsed * 1000, 2), "role": role}})


def _route_of(scope: Mapping[str, Any]) -> str:
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(path) if path else "unmatched"
