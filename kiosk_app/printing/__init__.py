"""Ticket printing with python-escpos: the ticket's layout, the printer from the device settings, the
printer's status for the hosts, and a plain-text preview for tests."""

from .layout import TicketPrint, layout_lines
from .preview import preview_text
from .printer import PrinterStatus, TicketPrinter, open_printer

__all__ = ["PrinterStatus", "TicketPrint", "TicketPrinter", "layout_lines", "open_printer", "preview_text"]
