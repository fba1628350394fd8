"""uvicorn with the request limits of the settings, told to end the live streams first when it stops
(they would otherwise hold it open)."""

from __future__ import annotations

import gc
import ipaddress
from types import FrameType
from typing import Any

import uvicorn
from fastapi import FastAPI

from ..settings import Settings
from .protocol import ConnectionLimits, LimitedHttpToolsProtocol


class StreamAwareServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.app = app

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
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


def serve(app: FastAPI, host: str, port: int) -> None:
    """Serve ``app`` until SIGINT/SIGTERM. Outside this machine's loopback it needs the public URL:
    links in tickets and ZGW answers are built from it, not from a request's Host header."""
    require_public_url(app.state.settings, host)
    config = server_config(app, host, port, log_config=None, access_log=False, timeout_graceful_shutdown=3,
                           loop="uvloop")
    # What exists now (modules, routes, configuration) lives as long as the process: keep it out
    # of the garbage collector's full passes, which otherwise stop the event loop for 20-60 ms.
    gc.collect()
    gc.freeze()
    StreamAwareServer(config, app).run()
