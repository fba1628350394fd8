"""/metrics in Prometheus text format: request counts and latencies, tickets waiting per service."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ..events.bus import EventBus
from ..services.context import ServiceContext
from ..services.queue_overview import waiting_everywhere

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
def metrics_route(request: Request) -> Response:
    registry: CollectorRegistry = request.app.state.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
