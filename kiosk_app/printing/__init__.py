"""Ticket printing with python-escpos: the ticket's layout, the printer from the device settings, the
printer's status for the hosts, and a plain-text preview for tests."""

from .layout import CaseReceipt, Line, TicketPrint, layout_lines, receipt_lines
from .preview import preview_text
from .printer import PrinterStatus, TicketPrinter, open_printer

__all__ = ["CaseReceipt", "Line", "PrinterStatus", "TicketPrint", "TicketPrinter", "layout_lines", "open_printer",
           "preview_text", "receipt_lines"]
