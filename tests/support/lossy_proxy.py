"""A TCP proxy on loopback in front of the real server that can lose answers.

Requests always reach the server. Each answer is read whole from the server (so the server has
finished, and committed, the request) and then forwarded, dropped (the client's connection is cut
instead), or held back until ``forward_all()`` (the client waits: the moment to kill it)."""

from __future__ import annotations

import contextlib
import socket
import threading


class LossyProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._lock = threading.Lock()
        self._drop = 0
        self._hold_after: int | None = None
        self._release = threading.Event()
        self._closing = threading.Event()
        self._sockets: list[socket.socket] = []
        self.forwarded = 0
        self.dropped = 0
        self.holding = threading.Event()
        """Set while an answer is held back."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LossyProxy:
        threading.Thread(target=self._accept, name="lossy-proxy", daemon=True).start()
        return self

    def drop_answers(self, count: int) -> None:
        """Drop the next ``count`` answers (the server has carried the requests out)."""
        with self._lock:
            self._drop = count

    def hold_answers_after(self, count: int) -> None:
        """Forward ``count`` more answers, then hold back every answer after them."""
        with self._lock:
            self._hold_after = count
            self._release.clear()
            self.holding.clear()

    def forward_all(self) -> None:
        """Back to forwarding; answers held so far are dropped (their clients are long gone)."""
        with self._lock:
            self._drop = 0
            self._hold_after = None
        self._release.set()

    def close(self) -> None:
        self._closing.set()
        self._release.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _close(sock)

    def _decide(self) -> str:
        with self._lock:
            if self._drop > 0:
                self._drop -= 1
                self.dropped += 1
                return "drop"
            if self._hold_after is not None:
                if self._hold_after == 0:
                    return "hold"
                self._hold_after -= 1
            self.forwarded += 1
            return "forward"

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
            except OSError:
                _close(client)  # the server is down: the client sees its connection cut
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            threading.Thread(target=self._requests, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._answers, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _requests(client: socket.socket, upstream: socket.socket) -> None:
        try:
            while chunk := client.recv(65536):
                upstream.sendall(chunk)
            upstream.shutdown(socket.SHUT_WR)
        except OSError:
            _close(client, upstream)

    def _answers(self, upstream: socket.socket, client: socket.socket) -> None:
        reader = upstream.makefile("rb")
        try:
            while True:
                head = b""
                while not head.endswith(b"\r\n\r\n"):
                    line = reader.readline()
                    if not line:
                        return
                    head += line
                length = 0
                for header in head.split(b"\r\n")[1:]:
                    name, _, value = header.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                body = reader.read(length) if length else b""
                decision = self._decide()
                if decision == "drop":
                    return
                if decision == "hold":
                    self.holding.set()
                    self._release.wait()
                    return
                client.sendall(head + body)
        except (OSError, ValueError):
            return
        finally:
            with contextlib.suppress(OSError):
                reader.close()
            _close(client, upstream)


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()
