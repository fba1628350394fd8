"""Ticket printing with python-escpos: the ticket's layout, the printer from the device settings, the
printer's status for the hosts, and a plain-text preview for tests."""

from .layout import AppointmentPrint, CaseReceipt, Line, TicketPrint, appointment_lines, layout_lines, receipt_lines
from .preview import preview_text
from .printer import PrinterStatus, TicketPrinter, open_printer

__all__ = ["AppointmentPrint", "CaseReceipt", "Line", "PrinterStatus", "TicketPrint", "TicketPrinter",
           "appointment_lines", "layout_lines", "open_printer", "preview_text", "receipt_lines"]
