"""/metrics in Prometheus text format: request counts and latencies (middleware), and what the alert
rules in deploy/prometheus/ watch: the database reachable, queues and their longest wait against the
norm, open event streams per location, whether a location is open now, each device's latest heartbeat.

Served on the main port to an ``ops`` (or admin) token, or, with ``GASTVRIJ_METRICS_PORT``, on that
port of the loopback address only (to whatever runs on the machine, e.g. a local Prometheus agent)
and not on the main port at all."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from wsgiref.simple_server import WSGIServer
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ..domain.permissions import authorize
from ..events.bus import EventBus
from ..services.context import ServiceContext
from ..services.monitoring import WatchedFigures, watched_figures
from .dependencies import Caller

LOOPBACK = "127.0.0.1"

router = APIRouter(tags=["operations"])
log = logging.getLogger(__name__)


PRINTER_STATES = ("ok", "paper_low", "paper_out", "offline", "none")


class QueueCollector(Collector):
    """What the alerts in deploy/prometheus/ watch. The figures from the database are read at
    scrape time, so every server process reports the same truth; when the database cannot be
    reached, ``gastvrij_database_up`` is 0 and they are left out (the scrape still answers)."""

    def __init__(self, ctx: ServiceContext, bus: EventBus) -> None:
        self.ctx = ctx
        self.bus = bus

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self._process_metrics()
        up = GaugeMetricFamily("gastvrij_database_up", "1 when this process reaches its database, else 0")
        try:
            figures = watched_figures(self.ctx)
        except Exception as error:
            log.warning("metrics: database unreachable", extra={"fields": {"error": type(error).__name__}})
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from self._database_metrics(figures)

    def _process_metrics(self) -> Iterator[GaugeMetricFamily]:
        now = self.ctx.now()
        streams = GaugeMetricFamily("gastvrij_event_streams", "Open Server-Sent Event streams in this process",
                                    labels=["location"])
        counts = self.bus.stream_counts()
        opened = GaugeMetricFamily("gastvrij_location_open", "1 while the location's opening hours say open",
                                   labels=["location"])
        norms = GaugeMetricFamily("gastvrij_service_norm_seconds", "The wait a service's norm promises",
                                  labels=["location", "service"])
        for location in sorted(self.ctx.locations.values(), key=lambda loc: loc.id):
            streams.add_metric([location.id], counts.get(location.id, 0))
            local = now.astimezone(ZoneInfo(location.timezone))
            opened.add_metric([location.id], int(location.opening_hours.is_open(local.date(), local.time())))
            for service in location.services:
                norms.add_metric([location.id, service.id], service.norm_minutes * 60)
        yield from (streams, opened, norms)

    def _database_metrics(self, figures: WatchedFigures) -> Iterator[GaugeMetricFamily]:
        waiting = GaugeMetricFamily("gastvrij_tickets_waiting", "Tickets waiting per location and service",
                                    labels=["location", "service"])
        for (location, service), count in sorted(figures.waiting.items()):
            waiting.add_metric([location, service], count)
        longest = GaugeMetricFamily("gastvrij_ticket_longest_wait_seconds",
                                    "How long the longest-waiting ticket of a queue has waited",
                                    labels=["location", "service"])
        for (location, service), seconds in sorted(figures.longest_wait_seconds.items()):
            longest.add_metric([location, service], seconds)
        seen = GaugeMetricFamily("gastvrij_device_last_seen_timestamp_seconds",
                                 "When a device last reported its status (Unix time)",
                                 labels=["location", "device", "name", "role"])
        printer = GaugeMetricFamily("gastvrij_device_printer", "1 for the state a kiosk's printer last reported",
                                    labels=["location", "device", "name", "state"])
        for beat in figures.heartbeats:
            labels = [beat.location or "", beat.device_id, beat.name]
            seen.add_metric([*labels, beat.role], beat.seen_at.timestamp())
            if beat.printer is not None:
                for state in PRINTER_STATES:
                    printer.add_metric([*labels, state], int(beat.printer == state))
        yield from (waiting, longest, seen, printer)


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
