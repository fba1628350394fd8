"""/metrics in Prometheus text format: requests and latencies (middleware), and what the alerts in
deploy/prometheus/ watch, read at scrape time so every server process reports the same truth:
the database reachable, queues and their longest wait against the norm, open event streams per
location, whether a location is open now, and each device's latest heartbeat."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from location_config import Location

from ..domain.clock import Clock
from ..events.bus import EventBus
from ..store.database import Database
from ..store.device_heartbeats import DeviceHeartbeatStore
from ..store.tickets import TicketStore

router = APIRouter(tags=["operations"])
log = logging.getLogger(__name__)

PRINTER_STATES = ("ok", "paper_low", "paper_out", "offline", "none")


class QueueCollector(Collector):
    def __init__(self, db: Database, bus: EventBus, locations: Mapping[str, Location], clock: Clock) -> None:
        self.db = db
        self.bus = bus
        self.locations = locations
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self._process_metrics()
        up = GaugeMetricFamily("gastvrij_database_up", "1 when this process reaches its database, else 0")
        try:
            database = list(self._database_metrics())
        except Exception as error:  # the scrape still answers: the alert needs the 0
            log.warning("metrics: database unreachable", extra={"fields": {"error": type(error).__name__}})
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from database

    def _process_metrics(self) -> Iterator[GaugeMetricFamily]:
        now = self.clock()
        streams = GaugeMetricFamily("gastvrij_event_streams", "Open Server-Sent Event streams in this process",
                                    labels=["location"])
        counts = self.bus.stream_counts()
        opened = GaugeMetricFamily("gastvrij_location_open", "1 while the location's opening hours say open",
                                   labels=["location"])
        norms = GaugeMetricFamily("gastvrij_service_norm_seconds", "The wait a service's norm promises",
                                  labels=["location", "service"])
        for location in sorted(self.locations.values(), key=lambda loc: loc.id):
            streams.add_metric([location.id], counts.get(location.id, 0))
            local = now.astimezone(ZoneInfo(location.timezone))
            opened.add_metric([location.id], int(location.opening_hours.is_open(local.date(), local.time())))
            for service in location.services:
                norms.add_metric([location.id, service.id], service.norm_minutes * 60)
        yield from (streams, opened, norms)

    def _database_metrics(self) -> Iterator[GaugeMetricFamily]:
        now = self.clock()
        waiting = GaugeMetricFamily("gastvrij_tickets_waiting", "Tickets waiting per location and service",
                                    labels=["location", "service"])
        longest = GaugeMetricFamily("gastvrij_ticket_longest_wait_seconds",
                                    "How long the longest-waiting ticket of a queue has waited",
                                    labels=["location", "service"])
        seen = GaugeMetricFamily("gastvrij_device_last_seen_timestamp_seconds",
                                 "When a device last reported its status (Unix time)",
                                 labels=["location", "device", "name", "role"])
        printer = GaugeMetricFamily("gastvrij_device_printer", "1 for the state a kiosk's printer last reported",
                                    labels=["location", "device", "name", "state"])
        with self.db.read() as conn:
            store = TicketStore(conn)
            for (location, service), count in sorted(store.all_waiting_counts().items()):
                waiting.add_metric([location, service], count)
            for location in sorted(self.locations):
                for service, (_count, since) in sorted(store.waiting_summary(location).items()):
                    longest.add_metric([location, service], max(0.0, (now - since).total_seconds()))
            heartbeats = DeviceHeartbeatStore(conn).all()
        for beat in heartbeats:
            labels = [beat.location or "", beat.device_id, beat.name]
            seen.add_metric([*labels, beat.role], beat.seen_at.timestamp())
            if beat.printer is not None:
                for state in PRINTER_STATES:
                    printer.add_metric([*labels, state], int(beat.printer == state))
        yield from (waiting, longest, seen, printer)


@router.get("/metrics", include_in_schema=False)
def metrics_route(request: Request) -> Response:
    registry: CollectorRegistry = request.app.state.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
