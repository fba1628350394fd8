"""What a printed ticket says, as data: the same lines feed the printer and the preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TicketPrint:
    """One ticket to print. ``service_name`` is in the visitor's language, ``service_name_nl`` in Dutch
    (the same when the visitor chose Dutch); ``wait_text`` is already translated."""

    location_name: str
    service_name: str
    service_name_nl: str
    number: str
    issued_at: datetime
    wait_text: str
    mobile_url: str | None
    follow_text: str = ""
    visit: tuple[tuple[str, str], ...] = ()
    """A visit of several services: each one's name (visitor's language, Dutch) in order; else empty."""
    visit_text: str = ""
    """The words above the visit's services ("Your visit, in this order:")."""


@dataclass(frozen=True)
class Line:
    kind: str
    """``text``, ``number`` (printed large), ``qr`` or ``rule``."""
    value: str = ""


def layout_lines(ticket: TicketPrint) -> list[Line]:
    """The ticket top to bottom: location, service (visitor's language and Dutch; a visit of several: each
    numbered in order), the number large,
    issue time, estimated wait, and the QR of the mobile ticket when there is one."""
    lines = [Line("text", ticket.location_name), Line("rule")]
    if ticket.visit:
        lines += [Line("text", ticket.visit_text)] if ticket.visit_text else []
        for place, (name, name_nl) in enumerate(ticket.visit, 1):
            lines.append(Line("text", f"{place}. {name}"))
            if name_nl != name:
                lines.append(Line("text", f"{place}. {name_nl}"))
    else:
        lines.append(Line("text", ticket.service_name))
        if ticket.service_name_nl != ticket.service_name:
            lines.append(Line("text", ticket.service_name_nl))
    lines += [Line("number", ticket.number), Line("text", ticket.issued_at.strftime("%d-%m-%Y %H:%M")),
              Line("text", ticket.wait_text)]
    if ticket.mobile_url:
        if ticket.follow_text:
            lines.append(Line("text", ticket.follow_text))
        lines.append(Line("qr", ticket.mobile_url))
    return lines


@dataclass(frozen=True)
class CaseReceipt:
    """A slip with the case number of a report or complaint made at the kiosk (no message text: what
    the visitor typed stays off paper that may be left behind)."""

    location_name: str
    heading: str
    case_number: str
    made_at: datetime
    note: str = ""


def receipt_lines(receipt: CaseReceipt) -> list[Line]:
    lines = [Line("text", receipt.location_name), Line("rule"), Line("text", receipt.heading),
             Line("number", receipt.case_number), Line("text", receipt.made_at.strftime("%d-%m-%Y %H:%M"))]
    if receipt.note:
        lines.append(Line("text", receipt.note))
    return lines


@dataclass(frozen=True)
class AppointmentPrint:
    """The confirmation of an appointment booked at the kiosk: where, what, when, the check-in code and
    the QR of the visitor's own page. Every text is already in the visitor's language; no one's data."""

    location_name: str
    address: str
    heading: str
    service_name: str
    service_name_nl: str
    day: str
    time: str
    code_label: str
    code: str
    check_in: str
    visitor_url: str
    follow_text: str = ""
    each: tuple[tuple[str, str, str], ...] = ()
    """A booking of several appointments one after another: each one's time, check-in code and when its
    check-in opens, in order (``time`` and ``code`` are then the whole span and the first code)."""
    each_text: str = ""
    """The words above them ("One appointment each, one after another: 09:30 and 09:45")."""


def appointment_lines(appointment: AppointmentPrint) -> list[Line]:
    """Top to bottom: location and address, the heading, the service (visitor's language and Dutch),
    day and time, the check-in code large with when check-in opens, and the check-in code's QR: the
    paper comes back to the kiosk's camera (the screen showed the QR of the visitor's page, for a phone).
    A booking of several: each appointment's time, code large, check-in time and code QR in turn."""
    lines = [Line("text", appointment.location_name)]
    if appointment.address:
        lines.append(Line("text", appointment.address))
    lines += [Line("rule"), Line("text", appointment.heading), Line("text", appointment.service_name)]
    if appointment.service_name_nl != appointment.service_name:
        lines.append(Line("text", appointment.service_name_nl))
    lines += [Line("text", appointment.day), Line("text", appointment.time)]
    if appointment.each:
        lines += [Line("text", appointment.each_text)] if appointment.each_text else []
        if appointment.follow_text:
            lines.append(Line("text", appointment.follow_text))
        for place, (time, code, check_in) in enumerate(appointment.each, 1):
            lines += [Line("rule"), Line("text", f"{place}. {time}"), Line("text", appointment.code_label),
                      Line("number", code), Line("text", check_in), Line("qr", code)]
        return lines
    lines += [Line("rule"), Line("text", appointment.code_label), Line("number", appointment.code),
              Line("text", appointment.check_in)]
    if appointment.follow_text:
        lines.append(Line("text", appointment.follow_text))
    lines.append(Line("qr", appointment.code))
    return lines
