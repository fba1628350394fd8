"""A visitor makes an appointment at the kiosk: touches on the real window, the real central service,
a loopback receipt printer whose ESC/POS bytes are read back, and the QR on the screen read by zbar.
The clock is Monday 30 November 2026, 09:00 (passport appointments from 09:30, every 15 minutes)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image

from kiosk_app.printing import TicketPrinter
from kiosk_app.scanner.decoding import qr_texts
from kiosk_app.theme import MIN_TOUCH
from queue_ticketing.client import Client
from tests.kiosk.test_booking import FIRST, read_escpos
from tests.support.live_server import wait_until

NEXT = "2026-11-30T09:45:00+01:00"


def to_confirm(kiosk, language: str = "nl", starts_at: str = FIRST) -> None:
    kiosk.tap(f"language:{language}")
    kiosk.tap("book")
    kiosk.wait_until(lambda: kiosk.visible("book:paspoort"), "the bookable services")
    kiosk.tap("book:paspoort")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_day" and kiosk.visible("day:2026-11-30"), "the days")
    kiosk.tap("day:2026-11-30")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_time" and kiosk.visible(f"time:{starts_at}"), "the times")
    kiosk.tap(f"time:{starts_at}")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_confirm", "the confirmation step")


def qr_on_screen(kiosk, path: Path) -> list[str]:
    """The QR codes zbar reads on a picture of the screen (as a phone's camera would)."""
    kiosk.screenshot(path)
    with Image.open(path) as image:
        rgb = np.array(image.convert("RGB"))
    return qr_texts(rgb[:, :, ::-1].copy())


def test_a_visitor_books_an_appointment_and_gets_it_printed_and_on_screen(open_kiosk, printer, tmp_path):
    kiosk = open_kiosk(printer=TicketPrinter.from_setting(printer.url))
    kiosk.tap("language:nl")
    assert kiosk.app.t("Make an appointment") in kiosk.texts()
    kiosk.tap("book")
    kiosk.wait_until(lambda: kiosk.visible("book:paspoort"), "the bookable services")
    assert not kiosk.visible("book:informatie")  # a walk-in-only service is not offered
    kiosk.tap("book:paspoort")
    kiosk.wait_until(lambda: kiosk.visible("day:2026-12-01"), "the days")
    assert "Morgen, dinsdag\n1 december" in kiosk.texts()
    kiosk.tap("day:2026-11-30")
    kiosk.wait_until(lambda: kiosk.visible(f"time:{FIRST}"), "the times")
    times = [b for b in kiosk.buttons() if getattr(b, "action", "").startswith("time:")]
    assert len(times) == 15 and all(b.width >= MIN_TOUCH and b.height >= MIN_TOUCH for b in times)
    kiosk.tap("later_times")
    assert not kiosk.visible(f"time:{FIRST}") and kiosk.visible("earlier_times")
    kiosk.tap("earlier_times")
    kiosk.tap(f"time:{FIRST}")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_confirm", "the confirmation step")
    assert "Vandaag, maandag 30 november" in kiosk.texts() and "09:30\u00a0–\u00a009:45" in kiosk.texts()
    kiosk.tap("book_now")
    kiosk.wait_until(lambda: kiosk.app.screen == "booked" and kiosk.app.booking.printed, "the printed confirmation")
    code = kiosk.app.booking.code
    assert code in kiosk.texts()
    assert qr_on_screen(kiosk, tmp_path / "booked.png") == [kiosk.app.booking.visitor_url]
    wait_until(lambda: b"\x1dV" in printer.received, 5, what="the whole confirmation, up to the cut")
    printed = read_escpos(bytes(printer.received))
    assert printed.qr == [kiosk.app.booking.code]
    assert code in printed.lines and "Rotterdam IJsselmonde" in printed.lines
    kiosk.tap("done")
    assert kiosk.app.screen == "welcome" and kiosk.app.booking.code == ""


def test_two_people_book_two_appointments_one_after_another_on_one_printed_confirmation(
        open_kiosk, printer, tmp_path):
    kiosk = open_kiosk(printer=TicketPrinter.from_setting(printer.url))
    kiosk.tap("language:en")
    kiosk.tap("book")
    kiosk.wait_until(lambda: kiosk.visible("book:paspoort"), "the bookable services")
    assert "For how many people?" in kiosk.texts()
    assert [b.action for b in kiosk.buttons() if b.action.startswith("people:")] == ["people:1", "people:2"]
    assert all(kiosk.find(f"people:{n}").height >= MIN_TOUCH for n in (1, 2))
    kiosk.tap("people:2")
    assert kiosk.find("people:2").icon == "check"  # the choice shows by a tick, not colour alone
    kiosk.tap("book:paspoort")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_day" and kiosk.visible("day:2026-11-30"), "the days")
    kiosk.tap("day:2026-11-30")
    kiosk.wait_until(lambda: kiosk.visible(f"time:{FIRST}"), "the times for two")
    assert not kiosk.visible("time:2026-11-30T11:45:00+01:00")  # the second would fall after closing
    kiosk.tap(f"time:{FIRST}")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_confirm", "the confirmation step")
    assert "One appointment each, one after another: 09:30 and 09:45" in kiosk.texts()
    assert "09:30\u00a0–\u00a010:00" in kiosk.texts()
    kiosk.tap("book_now")
    kiosk.wait_until(lambda: kiosk.app.screen == "booked" and kiosk.app.booking.printed, "the printed confirmation")
    booked = kiosk.app.booking.booked
    codes = [b["code"] for b in booked]
    assert len(set(codes)) == 2 and all(code in kiosk.texts() for code in codes)
    assert "Your appointments are booked." in kiosk.texts()
    assert sorted(qr_on_screen(kiosk, tmp_path / "booked-two.png")) == sorted(b["visitor_url"] for b in booked)
    wait_until(lambda: b"\x1dV" in printer.received, 5, what="the whole confirmation, up to the cut")
    printed = read_escpos(bytes(printer.received))
    assert printed.qr == codes  # one slip, each code with its QR for the camera at check-in
    assert any(line.startswith("1. 09:30") for line in printed.lines)
    assert any(line.startswith("2. 09:45") for line in printed.lines)
    assert all(code in printed.lines for code in codes)


def test_back_goes_a_step_back_a_double_tap_books_once_and_quiet_resets(open_kiosk, client: Client, clock):
    kiosk = open_kiosk()
    to_confirm(kiosk, "en")
    kiosk.tap("other_time")
    assert kiosk.app.screen == "book_time"
    kiosk.tap(f"time:{NEXT}")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_confirm", "the confirmation step")
    kiosk.double_tap("book_now")
    kiosk.wait_until(lambda: kiosk.app.screen == "booked", "the appointment")
    free = [s.starts_at.isoformat() for s in client.slots("ijsselmonde", "paspoort").slots]
    assert NEXT not in free and FIRST in free and "2026-11-30T10:00:00+01:00" in free  # one booked
    for seconds in (46, 15):  # the visitor walks away: the next one starts afresh
        clock.advance(seconds=seconds)
        kiosk.app.inactivity.tick()
        kiosk.frames(2)
    assert kiosk.app.screen == "welcome" and kiosk.app.language.language == "nl"
    assert kiosk.app.booking.state == "service" and kiosk.app.booking.code == ""


def test_a_time_taken_at_the_last_moment_offers_the_next_free_times(open_kiosk, book):
    kiosk = open_kiosk()
    to_confirm(kiosk, "en")
    book(datetime.fromisoformat(FIRST))  # someone else, a moment before
    kiosk.tap("book_now")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_time" and kiosk.app.booking.taken, "the next free times")
    assert kiosk.app.booking.message in kiosk.texts()
    assert "someone else booked that time" in kiosk.app.booking.message
    kiosk.tap(f"time:{NEXT}")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_confirm", "the confirmation step")
    kiosk.tap("book_now")
    kiosk.wait_until(lambda: kiosk.app.screen == "booked", "the appointment")


def test_offline_the_visitor_hears_booking_needs_the_connection_and_tickets_still_work(
        open_kiosk, client, central, screenshots):
    client.keep_offline_numbers("ijsselmonde", ["paspoort"], block_size=5)
    client.sync()
    kiosk = open_kiosk()
    to_confirm(kiosk, "en")
    central.stop()
    kiosk.tap("book_now")
    kiosk.wait_until(lambda: kiosk.app.booking.state == "unavailable", "the answer")
    assert kiosk.app.screen == "book_confirm"
    assert any("needs our connection" in words for words in kiosk.texts())
    assert client.pending == 0
    for language in ("nl", "ar"):
        kiosk.app.language.choose(language)
        kiosk.screenshot(screenshots / f"kiosk-book-offline-{language}.png")
    kiosk.tap("home")
    kiosk.tap("walk_in")
    kiosk.tap("service:paspoort")
    kiosk.wait_until(lambda: kiosk.app.screen == "ticket" and kiosk.app.walk_in.offline_ticket, "an offline ticket")


def test_where_the_city_books_on_its_website_the_tile_shows_its_address_and_qr(
        kivy_window, central, token_for, clock, tmp_path, screenshots):
    from kiosk_app.app import KioskApp, KioskParts
    from kiosk_app.worker import ThreadWorker, kivy_schedule

    from .driver import Kiosk

    with Client(central.url, token_for("kiosk", "hoogvliet"), tmp_path / "outbox.sqlite", clock=clock,
                background=False) as hoogvliet:
        kiosk = Kiosk(KioskApp(KioskParts(client=hoogvliet, location="hoogvliet", clock=clock,
                                          worker=ThreadWorker(kivy_schedule)))).start()
        try:
            kiosk.tap("language:nl")
            kiosk.wait_until(lambda: kiosk.visible("book"), "the booking tile")
            kiosk.tap("book")
            url = "https://www.rotterdam.nl/afspraak-maken"
            kiosk.wait_until(lambda: url in kiosk.texts(), "the booking website's address")
            assert not any(getattr(b, "action", "").startswith("book:") for b in kiosk.buttons())
            assert qr_on_screen(kiosk, screenshots / "kiosk-book-elsewhere-nl.png") == [url]
            kiosk.app.language.choose("ar")
            kiosk.screenshot(screenshots / "kiosk-book-elsewhere-ar.png")
        finally:
            kiosk.stop()

