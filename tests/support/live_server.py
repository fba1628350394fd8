"""A real uvicorn server on a loopback port, in a thread (same process) or as a child process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
import uvicorn
from fastapi import FastAPI

from queue_ticketing.api.server import server_config


def wait_until(condition, seconds: float = 10.0, interval: float = 0.02, what: str = "condition"):  # type: ignore[no-untyped-def]
    """Poll ``condition`` until it returns something truthy; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds}s waiting for {what}")
        time.sleep(interval)


class ThreadServer:
    """uvicorn serving ``app`` on 127.0.0.1 (a free port) in a background thread."""

    def __init__(self, app: FastAPI, port: int = 0) -> None:
        self.config = server_config(app, "127.0.0.1", port, log_level="warning", access_log=False,
                                    timeout_graceful_shutdown=1, lifespan="on")
        self.app = app
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, name="test-server", daemon=True)
        self.port = port

    def start(self) -> ThreadServer:
        self.thread.start()
        wait_until(lambda: self.server.started or not self.thread.is_alive(), 20, what="server start")
        if not self.server.started:
            raise RuntimeError("the test server did not start")
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.app.state.bus.close()  # end open event streams, as the real server does on SIGTERM
        self.server.should_exit = True
        self.thread.join(timeout=10)


class ProcessServer:
    """``python -m queue_ticketing serve`` as a child process (for multi-process and restart tests)."""

    def __init__(self, database_url: str, port: int, log: Path, env: dict[str, str] | None = None) -> None:
        self.database_url = database_url
        self.port = port
        self.log_path = log
        self.env = env or {}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ProcessServer:
        env = {**os.environ, "GASTVRIJ_DATABASE_URL": self.database_url, "GASTVRIJ_ACCESS_LOG": "false",
               **self.env}
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "queue_ticketing", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, stdout=self._log, stderr=self._log)

        def healthy() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; log: {self.log_path.read_text()[-2000:]}")
            try:
                return requests.get(f"{self.url}/api/v1/health", timeout=0.5).status_code == 200
            except requests.RequestException:
                return False

        wait_until(healthy, 30, interval=0.05, what="server process health")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
