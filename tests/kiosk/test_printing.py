"""Printing tickets as ESC/POS to a loopback network printer, and what the visitor sees when it fails."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import create_engine, select

from kiosk_app.printing import PrinterStatus, TicketPrint, TicketPrinter, preview_text
from kiosk_app.viewmodels import WalkInViewModel
from queue_ticketing.store.schema import events
from tests.kiosk.conftest import PAPER_OUT
from tests.support.live_server import free_port, wait_until

QR_STORE = b"\x1d(k"  # GS ( k: the printer's own QR code commands


def a_ticket(url: str | None = "https://gastvrij.test/t/abc") -> TicketPrint:
    return TicketPrint("IJsselmonde", "Passport", "Paspoort", "P012", datetime(2026, 11, 30, 9, 0),
                       "Estimated wait: about 10 minutes", url, "Follow your turn on your phone")


def test_the_printer_receives_the_number_and_the_qr_of_the_mobile_ticket(printer):
    status = TicketPrinter.from_setting(printer.url).print_ticket(a_ticket())
    assert status is PrinterStatus.OK
    wait_until(lambda: b"https://gastvrij.test/t/abc" in printer.received, 5, what="the QR data")
    assert b"P012" in printer.received
    assert QR_STORE in printer.received


def test_paper_out_is_reported_and_nothing_is_printed(printer):
    printer.paper = PAPER_OUT
    assert TicketPrinter.from_setting(printer.url).print_ticket(a_ticket()) is PrinterStatus.PAPER_OUT
    assert b"P012" not in printer.received


def test_an_unreachable_printer_is_offline():
    status = TicketPrinter.from_setting(f"tcp://127.0.0.1:{free_port()}", timeout=0.5).print_ticket(a_ticket())
    assert status is PrinterStatus.OFFLINE


def test_the_printer_comes_from_the_kiosks_device_settings(locations):
    printer = TicketPrinter.for_device(locations["ijsselmonde"], "kiosk-1")
    assert printer is not None
    assert TicketPrinter.for_device(locations["ijsselmonde"], "no-such-kiosk") is None


def test_the_preview_shows_both_service_names_the_number_and_the_qr():
    text = preview_text(a_ticket())
    assert "Passport" in text and "Paspoort" in text
    assert "[ P012 ]" in text
    assert "[QR https://gastvrij.test/t/abc]" in text


def test_a_drawn_ticket_is_printed(client, language, worker, printer):
    model = WalkInViewModel(client, "ijsselmonde", language, worker, TicketPrinter.from_setting(printer.url))
    model.load_services()
    model.draw("paspoort")
    assert model.printed and not model.show_on_screen
    assert model.printer_status == "ok"
    wait_until(lambda: model.ticket_number.encode() in printer.received, 5, what="the printed number")


def printer_reports(sqlite_url: str) -> list[str]:
    """The printer states the hosts were told (``device.status`` events in the central database)."""
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        rows = conn.execute(select(events.c.data).where(events.c.type == "device.status")).scalars().all()
    engine.dispose()
    return [json.loads(row).get("printer") for row in rows]


def test_with_the_printer_offline_the_number_and_qr_stay_on_screen(client, language, worker):
    offline = TicketPrinter.from_setting(f"tcp://127.0.0.1:{free_port()}", timeout=0.5)
    model = WalkInViewModel(client, "ijsselmonde", language, worker, offline)
    model.load_services()
    model.draw("paspoort")
    assert model.printer_status == "offline"
    assert model.show_on_screen and not model.printed
    assert model.ticket_number and model.mobile_url
    assert "printer" in model.message


def test_the_hosts_hear_that_the_printer_is_offline(client, language, worker, sqlite_url):
    offline = TicketPrinter.from_setting(f"tcp://127.0.0.1:{free_port()}", timeout=0.5)
    model = WalkInViewModel(client, "ijsselmonde", language, worker, offline)
    model.load_services()
    model.draw("paspoort")
    assert "offline" in printer_reports(sqlite_url)


def test_arabic_lines_are_printed_as_a_shaped_picture_not_as_code_page_letters(printer):
    from kiosk_app.printing.raster import line_image

    ticket = TicketPrint("Rotterdam IJsselmonde", "جواز السفر", "Paspoort", "P012",
                         datetime(2026, 11, 30, 9, 0), "مدة الانتظار المتوقعة: حوالي 30 دقيقة", "https://gastvrij.test/t/x",
                         "تابع دورك على هاتفك")
    assert TicketPrinter.from_setting(printer.url).print_ticket(ticket) is PrinterStatus.OK
    wait_until(lambda: b"\x1dV" in printer.received, 5, what="the whole ticket, up to the cut")
    received = bytes(printer.received)
    assert received.count(b"\x1dv0") == 3  # three raster images (GS v 0): service, wait, follow text
    assert b"\x1bt " not in received  # no Arabic code page selected
    assert b"Paspoort" in received and b"P012" in received  # Dutch and the number stay text
    picture = line_image("جواز السفر")
    assert picture.width == 512 and 0 < picture.histogram()[0] < picture.width * picture.height  # ink, not blank


def test_a_visit_of_several_services_is_printed_with_them_in_order(client, language, worker, printer):
    from tests.kiosk.test_booking import read_escpos

    language.choose("en")
    model = WalkInViewModel(client, "ijsselmonde", language, worker, TicketPrinter.from_setting(printer.url))
    model.load_services()
    model.several()
    model.add("paspoort")
    model.add("rijbewijs")
    model.draw_chosen()
    assert model.printed
    wait_until(lambda: b"\x1dV" in printer.received, 5, what="the whole ticket, up to the cut")
    lines = read_escpos(bytes(printer.received)).lines
    visit = [line for line in lines if line[:2] in ("1.", "2.")]
    assert visit == ["1. Passport", "1. Paspoort", "2. Driving licence", "2. Rijbewijs"]
    assert "Your visit, in this order:" in lines
    assert model.ticket_number in lines


def test_the_preview_of_a_visit_lists_its_services_numbered():
    ticket = TicketPrint("IJsselmonde", "Passport", "Paspoort", "P012", datetime(2026, 11, 30, 9, 0), "", None,
                         visit=(("Passport", "Paspoort"), ("Move", "Verhuizing")), visit_text="Your visit:")
    text = preview_text(ticket)
    assert text.index("1. Passport") < text.index("2. Move") < text.index("[ P012 ]")
