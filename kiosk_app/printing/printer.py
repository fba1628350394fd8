"""The kiosk's ticket printer: network (``tcp://host:9100``), file (``file:///dev/usb/lp0``) or USB
(``usb://04b8:0e15``), from the device's ``printer`` setting in the location configuration."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from location_config.model import Location

from .layout import AppointmentPrint, CaseReceipt, Line, TicketPrint, appointment_lines, layout_lines, receipt_lines
from .raster import PAPER_DOTS, line_image, needs_raster

log = logging.getLogger(__name__)


class PrinterStatus(StrEnum):
    """What the kiosk reports to the hosts (``client.report_status(printer=...)``)."""

    OK = "ok"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    OFFLINE = "offline"
    NONE = "none"
    """No printer configured: the visitor sees the number and QR on screen."""

    @property
    def printed(self) -> bool:
        """The slip came out (paper running low still prints)."""
        return self in (PrinterStatus.OK, PrinterStatus.PAPER_LOW)


def open_printer(spec: str, timeout: float = 3.0) -> Any:
    """An (unopened) python-escpos printer for a ``printer`` setting."""
    url = urlsplit(spec)
    if url.scheme == "tcp":
        from escpos.printer import Network

        return Network(url.hostname or "127.0.0.1", url.port or 9100, timeout=timeout)
    if url.scheme == "file":
        from escpos.printer import File

        return File(url.path)
    if url.scheme == "usb":
        from escpos.printer import Usb

        vendor, product = (int(part, 16) for part in url.netloc.split(":"))
        return Usb(vendor, product)
    raise ValueError(f"unknown printer {spec!r}: use tcp://host:port, file:///path or usb://vendor:product")


class TicketPrinter:
    """Prints tickets and says how that went. ``ask_paper``: ask the printer for its paper sensor
    first (network printers answer; a file printer cannot)."""

    def __init__(self, make_printer: Callable[[], Any], ask_paper: bool = True) -> None:
        self._make_printer = make_printer
        self._ask_paper = ask_paper
        self.status = PrinterStatus.OK

    @classmethod
    def for_device(cls, location: Location, device_id: str, timeout: float = 3.0) -> TicketPrinter | None:
        """The printer in this kiosk's device settings (``printer = "tcp://..."``), or None."""
        device = next((d for d in location.devices if d.id == device_id), None)
        spec = device.settings.get("printer") if device is not None else None
        return cls.from_setting(spec if isinstance(spec, str) else None, timeout)

    @classmethod
    def from_setting(cls, spec: str | None, timeout: float = 3.0) -> TicketPrinter | None:
        if not spec:
            return None
        return cls(lambda: open_printer(spec, timeout), ask_paper=urlsplit(spec).scheme == "tcp")

    def print_ticket(self, ticket: TicketPrint) -> PrinterStatus:
        """Print one ticket; the status afterwards. Never raises for a printer problem."""
        return self.print_lines(layout_lines(ticket))

    def print_receipt(self, receipt: CaseReceipt) -> PrinterStatus:
        """Print the case number of a report made at the kiosk. Never raises for a printer problem."""
        return self.print_lines(receipt_lines(receipt))

    def print_appointment(self, appointment: AppointmentPrint) -> PrinterStatus:
        """Print the confirmation of an appointment booked at the kiosk. Never raises for a printer problem."""
        return self.print_lines(appointment_lines(appointment))

    def print_lines(self, lines: list[Line]) -> PrinterStatus:
        try:
            printer = self._make_printer()
            printer.open()
        except Exception as error:
            log.warning("printer offline", extra={"fields": {"error": type(error).__name__}})
            self.status = PrinterStatus.OFFLINE
            return self.status
        try:
            paper = printer.paper_status() if self._ask_paper else 2
            if paper == 0:
                self.status = PrinterStatus.PAPER_OUT
                return self.status
            _print(printer, lines)
            self.status = PrinterStatus.PAPER_LOW if paper == 1 else PrinterStatus.OK
        except Exception as error:
            log.warning("printer failed", extra={"fields": {"error": type(error).__name__}})
            self.status = PrinterStatus.OFFLINE
        finally:
            with contextlib.suppress(Exception):  # a broken connection has nothing left to close
                printer.close()
        return self.status


def _print(printer: Any, lines: list[Line]) -> None:
    width = printer.profile.profile_data.setdefault("media", {}).setdefault("width", {})
    if width.get("pixels") in (None, "Unknown"):
        width["pixels"] = PAPER_DOTS  # 80 mm paper; else python-escpos prints a warning on stdout per image
    printer.set(align="center", normal_textsize=True)
    for line in lines:
        if line.kind == "rule":
            printer.textln("-" * 32)
        elif line.kind == "number":
            printer.set(align="center", bold=True, double_width=True, double_height=True)
            printer.textln(line.value)
            printer.set(align="center", normal_textsize=True)
        elif line.kind == "qr":
            printer.qr(line.value, size=6, native=True, center=False)
        elif needs_raster(line.value):
            printer.image(line_image(line.value), center=False)  # as wide as the paper: centred in itself
            printer.set(align="center", normal_textsize=True)
        else:
            printer.textln(line.value)
    printer.cut()
