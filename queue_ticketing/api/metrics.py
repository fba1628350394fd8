"""/metrics in Prometheus text format: request counts and latencies, tickets waiting per service.

Served on the main port to an ``ops`` (or admin) token, or, with ``GASTVRIJ_METRICS_PORT``, on that
port of the loopback address only (to whatever runs on the machine, e.g. a local Prometheus agent)
and not on the main port at all."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from wsgiref.simple_server import WSGIServer

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ..domain.permissions import authorize
from ..events.bus import EventBus
from ..services.context import ServiceContext
from ..services.queue_overview import waiting_everywhere
from .dependencies import Caller

LOOPBACK = "127.0.0.1"

router = APIRouter(tags=["operations"])


class QueueCollector(Collector):
    """Reads the waiting counts at scrape time, so every server process reports the same truth."""

    def __init__(self, ctx: ServiceContext, bus: EventBus) -> None:
        self.ctx = ctx
        self.bus = bus

    def collect(self) -> Iterator[GaugeMetricFamily]:
        waiting = GaugeMetricFamily("gastvrij_tickets_waiting", "Tickets waiting per location and service",
                                    labels=["location", "service"])
        for (location, service), count in sorted(waiting_everywhere(self.ctx).items()):
            waiting.add_metric([location, service], count)
        yield waiting
        streams = GaugeMetricFamily("gastvrij_event_streams", "Open Server-Sent Event streams in this process")
        streams.add_metric([], self.bus.stream_count())
        yield streams


@router.get("/metrics", include_in_schema=False)
def metrics_route(request: Request, caller: Caller) -> Response:
    authorize(caller, "metrics.read")
    registry: CollectorRegistry = request.app.state.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


class LoopbackMetrics:
    """``/metrics`` on its own port of 127.0.0.1, in a thread of this process (prometheus_client's server)."""

    def __init__(self, registry: CollectorRegistry, port: int) -> None:
        self.registry = registry
        self.port = port
        self._server: tuple[WSGIServer, threading.Thread] | None = None

    def start(self) -> None:
        self._server = start_http_server(self.port, addr=LOOPBACK, registry=self.registry)

    def stop(self) -> None:
        if self._server is not None:
            server, thread = self._server
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
            self._server = None
