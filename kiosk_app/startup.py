"""Putting a kiosk together from its command line: the location's configuration (name, printer), the
client with its outbox and offline number blocks, the camera's scanner, the speaker and the clock."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from location_config import load_location
from location_config.public import public_view
from queue_ticketing.client import Client, LocationInfo
from queue_ticketing.domain.clock import system_clock

from .app import KioskApp, KioskParts
from .printing import TicketPrinter
from .scanner import QrScanner
from .speech import Speaker
from .worker import kivy_schedule

log = logging.getLogger(__name__)


def build_app(*, location: str, server: str, token: str, device: str = "kiosk-1", camera: str = "0",
              printer: str | None = None, outbox: str | None = None, kiosk_mode: bool = True,
              screenshot: Path | None = None, screenshot_every: float = 0) -> KioskApp:
    """The kiosk for ``location``; raises LookupError naming what is wrong with the location or device."""
    try:
        config = load_location(location)
    except Exception as error:
        raise LookupError(f"Unknown or invalid location {location!r}: {error}") from error
    if printer == "none":
        ticket_printer = None
    elif printer:
        ticket_printer = TicketPrinter.from_setting(printer)
    else:
        ticket_printer = TicketPrinter.for_device(config, device)
    outbox_path = Path(outbox) if outbox else Path("var") / f"kiosk-{device}-outbox.sqlite"
    outbox_path.parent.mkdir(parents=True, exist_ok=True)
    # The heartbeat lets the hosts' alerts tell a quiet kiosk from one that is off or hung.
    client = Client(server, token, outbox_path, clock=system_clock, heartbeat_seconds=60)
    client.keep_offline_numbers(location)

    def scanner(on_read: Any) -> QrScanner:
        source: int | str = int(camera) if camera.isdigit() else camera
        return QrScanner(source, on_read, schedule=kivy_schedule, at_end="loop")

    parts = KioskParts(client=client, location=location, clock=system_clock, printer=ticket_printer,
                       scanner_factory=None if camera == "none" else scanner, speaker=Speaker(),
                       device_id=device, location_name=config.name,
                       local_info=LocationInfo.from_json(public_view(config)))
    app = KioskApp(parts, kiosk_mode=kiosk_mode, screenshot=screenshot, screenshot_every=screenshot_every)
    log.info("kiosk starting", extra={"fields": {"location": location, "device": device,
                                                 "printer": ticket_printer is not None, "camera": camera != "none"}})
    return app
