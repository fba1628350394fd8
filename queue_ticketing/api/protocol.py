"""The HTTP/1.1 connection: uvicorn's httptools protocol with the limits it lacks.

uvicorn bounds none of these with httptools (``h11_max_incomplete_event_size`` holds only for h11):

- the request head (request line and headers) at most ``max_head_bytes``, else 431; the request
  line at most ``max_url_bytes``, else 414; at most ``max_headers`` header lines, else 431;
- the head must arrive within ``head_timeout`` seconds of its first byte (or of the connection),
  else 408 and the connection is closed: a client that trickles a request byte by byte ("slowloris")
  cannot hold a connection;
- a body must arrive within ``body_timeout`` seconds of its head, else the connection is closed;
- every refusal uvicorn writes itself (a malformed request) is a problem+json like the app's.

Each limit is checked as the bytes arrive, so a refused head is never kept whole in memory."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

REASONS = {400: b"Bad Request", 408: b"Request Timeout", 414: b"URI Too Long",
           431: b"Request Header Fields Too Large"}


@dataclass(frozen=True)
class ConnectionLimits:
    max_head_bytes: int = 16 * 1024
    max_url_bytes: int = 8 * 1024
    max_headers: int = 100
    head_timeout: float = 10.0
    body_timeout: float = 30.0


class _Refused(Exception):
    """Raised from a parser callback: the head broke a limit (status, code, detail)."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(code)
        self.status, self.code, self.detail = status, code, detail


def problem_response(status: int, code: str, detail: str) -> bytes:
    """A complete HTTP/1.1 answer that closes the connection, with a problem+json body."""
    body = json.dumps({"type": f"https://gastvrij.example/problems/{code}", "title": REASONS[status].decode(),
                       "status": status, "code": code, "detail": detail}).encode()
    head = (b"HTTP/1.1 %d %s\r\ncontent-type: application/problem+json\r\ncontent-length: %d\r\n"
            b"x-content-type-options: nosniff\r\nconnection: close\r\n\r\n" % (status, REASONS[status], len(body)))
    return head + body


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """One connection; the limits come from ``limits`` (a class attribute set by ``with_limits``)."""

    limits = ConnectionLimits()

    def __init__(self, config: Config, server_state: ServerState, app_state: dict[str, object],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._head_received = 0
        self._head_parsed = 0
        self._header_count = 0
        self._reading_head = True
        self._refused: _Refused | None = None
        self._timer: asyncio.TimerHandle | None = None

    @classmethod
    def with_limits(cls, limits: ConnectionLimits) -> type[LimitedHttpToolsProtocol]:
        return type("LimitedHttpToolsProtocol", (cls,), {"limits": limits})

    # Connection events

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.limits.head_timeout, 408, "request_timeout",
                  f"The request's head did not arrive within {self.limits.head_timeout:g} s.")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._reading_head and self._refused is None and not self.transport.is_closing():
            # Bytes the parser holds for a head that is not complete yet (a header cut in two).
            self._head_received += len(data)
            if self._head_received > self.limits.max_head_bytes:
                self._refuse(_Refused(431, "request_head_too_large", self._head_detail()))

    def send_400_response(self, msg: str) -> None:
        refused = self._refused
        if refused is None:
            refused = _Refused(400, "malformed_request", "This is not a well-formed HTTP/1.1 request.")
        self._disarm()
        self.transport.write(problem_response(refused.status, refused.code, refused.detail))
        self.transport.close()

    # Parser callbacks

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_received = 0
        self._head_parsed = 0
        self._header_count = 0
        self._reading_head = True
        if self._timer is None:
            self._arm(self.limits.head_timeout, 408, "request_timeout",
                      f"The request's head did not arrive within {self.limits.head_timeout:g} s.")

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > self.limits.max_url_bytes:
            self._refused = _Refused(414, "uri_too_long",
                                     f"The request's address may be at most {self.limits.max_url_bytes} bytes.")
            raise self._refused

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        self._head_parsed += len(name) + len(value) + 4
        if self._header_count > self.limits.max_headers:
            self._refused = _Refused(431, "too_many_headers",
                                     f"A request may have at most {self.limits.max_headers} header lines.")
            raise self._refused
        if self._head_parsed + len(self.url) > self.limits.max_head_bytes:
            self._refused = _Refused(431, "request_head_too_large", self._head_detail())
            raise self._refused
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._reading_head = False
        self._disarm()
        super().on_headers_complete()
        if self.cycle is None or not self.cycle.more_body or self.cycle.response_complete:
            return
        self._arm(self.limits.body_timeout, None, "", "")

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    # Timers

    def _head_detail(self) -> str:
        return f"The request line and headers may be at most {self.limits.max_head_bytes} bytes together."

    def _arm(self, seconds: float, status: int | None, code: str, detail: str) -> None:
        self._disarm()
        refusal = _Refused(status, code, detail) if status is not None else None
        self._timer = self.loop.call_later(seconds, self._timed_out, refusal)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _timed_out(self, refusal: _Refused | None) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        if refusal is not None and (self.cycle is None or self.cycle.response_complete):
            self._refuse(refusal)
        else:
            # A body that stopped coming: the app sees the client go (http.disconnect).
            self.transport.close()

    def _refuse(self, refused: _Refused) -> None:
        self._refused = refused
        self.send_400_response(refused.detail)
