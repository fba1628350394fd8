"""A tiny HTTP server on loopback that answers badly, on purpose: error pages in HTML, JSON cut
off, 500s, and answers too slow for any timeout. ``answer_with(kind)`` picks the misbehaviour."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
CUT_JSON = b'{"id": "abc", "number": "P0'


class BadServer:
    KINDS = ("html_error", "html_ok", "cut_json", "broken_json", "wrong_fields", "server_error", "busy",
             "slow", "trickle", "problem_404")

    def __init__(self) -> None:
        self.kind = "html_error"
        self.requests = 0
        self.release = threading.Event()
        """Set at stop: slow answers end at once."""
        bad = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                """Quiet: the tests read answers, not the server's request log."""

            def do_GET(self) -> None:
                bad.requests += 1
                bad.answer(self)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                bad.requests += 1
                bad.answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="bad-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> BadServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer_with(self, kind: str) -> None:
        assert kind in self.KINDS, kind
        self.kind = kind
        self.requests = 0

    def answer(self, h: BaseHTTPRequestHandler) -> None:
        kind = self.kind
        if kind == "html_error":
            self._send(h, 502, "text/html", HTML_PAGE)
        elif kind == "html_ok":  # a captive portal's login page
            self._send(h, 200, "text/html; charset=utf-8", b"<html><body>Log in to the guest Wi-Fi</body></html>")
        elif kind == "cut_json":  # promises more than it sends, then hangs up
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", "400")
            h.end_headers()
            h.wfile.write(CUT_JSON)
            h.wfile.flush()
            h.close_connection = True
        elif kind == "broken_json":
            self._send(h, 200, "application/json", CUT_JSON)
        elif kind == "wrong_fields":
            self._send(h, 200, "application/json", b'{"hello": "world"}')
        elif kind == "server_error":
            problem = {"type": "about:blank", "status": 500, "code": "internal_error", "detail": "Database on fire."}
            self._send(h, 500, "application/problem+json", json.dumps(problem).encode())
        elif kind == "busy":
            self._send(h, 503, "text/plain", b"Service Unavailable", {"Retry-After": "0"})
        elif kind == "slow":  # says nothing at all for a long time
            self.release.wait(30)
        elif kind == "trickle":  # answers, but a byte at a time, never finishing in time
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            for _ in range(600):
                if self.release.wait(0.05):
                    break
                try:
                    h.wfile.write(b" ")
                    h.wfile.flush()
                except OSError:
                    break
        elif kind == "problem_404":
            problem = {"status": 404, "code": "not_found", "detail": "There is no location 'x'."}
            self._send(h, 404, "application/problem+json", json.dumps(problem).encode())

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, media: str, body: bytes,
              headers: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", media)
        h.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(body)
