"""uvicorn with the request limits of the settings, told to end the live streams first when it stops
(they would otherwise hold it open), and speaking systemd's notify protocol: READY=1 once it accepts
requests (the schema was brought up to date before, in ``create_app``), WATCHDOG=1 from the event
loop, STOPPING=1 when it begins to stop."""

from __future__ import annotations

import gc
import ipaddress
import socket
import time
from types import FrameType
from typing import Any

import uvicorn
from fastapi import FastAPI

from .. import systemd
from ..settings import Settings
from .protocol import ConnectionLimits, LimitedHttpToolsProtocol


class StreamAwareServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.app = app
        self.watchdog_every = systemd.watchdog_interval()
        self._next_ping = 0.0

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            # Listening now: a request that arrives from here on is answered.
            systemd.notify(f"READY=1\nSTATUS=serving on {self.config.host}:{self.config.port}")

    async def on_tick(self, counter: int) -> bool:
        # Pinged from the event loop itself: a loop that hangs stops the pings and systemd restarts
        # the process. An unreachable database does not stop them (a restart would not bring it
        # back); the health check and the alerts report that.
        if self.watchdog_every is not None and (now := time.monotonic()) >= self._next_ping:
            systemd.notify("WATCHDOG=1")
            self._next_ping = now + self.watchdog_every
        return await super().on_tick(counter)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        systemd.notify("STOPPING=1")
        self.app.state.bus.close()
        super().handle_exit(sig, frame)


def require_public_url(settings: Settings, host: str) -> None:
    """Refuse (``SystemExit`` with the reason) to serve beyond loopback without a public URL."""
    if not settings.public_url and not is_loopback(host):
        raise SystemExit(f"error: serving on {host} (reachable from other machines) needs the service's public "
                         "address: set GASTVRIJ_PUBLIC_URL or --public-url (e.g. https://gastvrij.rotterdam.nl), "
                         "and GASTVRIJ_TRUSTED_HOSTS to every other name clients use for this server.")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_config(app: FastAPI, host: str, port: int, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for ``app`` with the request limits of its settings (see
    ``protocol.py``): the same in ``serve`` and in the tests' servers."""
    settings: Settings = app.state.settings
    limits = ConnectionLimits(max_head_bytes=settings.max_header_bytes, head_timeout=settings.header_timeout_seconds,
                              body_timeout=settings.body_timeout_seconds)
    return uvicorn.Config(app, host=host, port=port, http=LimitedHttpToolsProtocol.with_limits(limits),
                          h11_max_incomplete_event_size=settings.max_header_bytes, **options)


def serve(app: FastAPI, host: str, port: int, forwarded_allow_ips: str = "127.0.0.1,::1") -> None:
    """Serve ``app`` until SIGINT/SIGTERM. Outside this machine's loopback it needs the public URL:
    links in tickets and ZGW answers are built from it, not from a request's Host header.
    ``X-Forwarded-Proto`` and ``X-Forwarded-For`` are believed only from ``forwarded_allow_ips``
    (comma-separated addresses or networks: the proxies)."""
    require_public_url(app.state.settings, host)
    config = server_config(app, host, port, log_config=None, access_log=False, timeout_graceful_shutdown=3,
                           loop="uvloop", proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips)
    # What exists now (modules, routes, configuration) lives as long as the process: keep it out
    # of the garbage collector's full passes, which otherwise stop the event loop for 20-60 ms.
    gc.collect()
    gc.freeze()
    StreamAwareServer(config, app).run()
