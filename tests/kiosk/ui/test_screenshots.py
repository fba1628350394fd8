"""A picture of every kiosk screen, in Dutch and in Arabic, in the states a visitor meets (a drawn
ticket, a check-in answer, a found case, a sent report, the countdown). ``make screenshots`` keeps them
in docs/screens/; otherwise they go to a temporary folder and are only checked to show something."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from kiosk_app.printing import TicketPrinter

from .test_self_service import open_case


def looks_drawn(path: Path) -> bool:
    """More than a blank screen: many colours (text, icons, anti-aliasing)."""
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    return len(colours) > 50


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_every_screen_in_dutch_and_arabic(open_kiosk, printer, book, clock, zgw, screenshots, language):
    kiosk = open_kiosk(printer=TicketPrinter.from_setting(printer.url))
    pictures: list[Path] = []

    def shot(name: str) -> None:
        pictures.append(kiosk.screenshot(screenshots / f"kiosk-{name}-{language}.png"))

    shot("welcome")
    kiosk.tap(f"language:{language}")
    shot("home")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services")
    shot("walk-in")
    kiosk.tap("service:paspoort")
    kiosk.wait_until(lambda: kiosk.app.walk_in.printed, "the printed ticket")
    shot("ticket")
    kiosk.tap("home")
    kiosk.tap("appointment")
    kiosk.type("K7M")
    shot("check-in")
    kiosk.app.check_in.reset()
    kiosk.type(book(clock() - timedelta(minutes=40))["code"])
    kiosk.tap("check_in")
    kiosk.wait_until(lambda: kiosk.app.check_in.state == "refused", "the answer")
    shot("check-in-too-late")
    kiosk.tap("home")
    kiosk.tap("information")
    kiosk.wait_until(lambda: kiosk.visible("bring:paspoort"), "the services")
    kiosk.tap("bring:paspoort")
    shot("information")
    kiosk.tap("home")
    kiosk.tap("case_status")
    number = open_case(zgw)
    kiosk.type(number.removeprefix("ZAAK-"))
    kiosk.tap("field:postcode")
    kiosk.type("3078AK16")
    shot("case-status")
    kiosk.tap("look_up")
    kiosk.wait_until(lambda: kiosk.app.case_status.state == "found", "the case")
    shot("case-status-found")
    kiosk.tap("home")
    kiosk.tap("report")
    shot("report")
    kiosk.tap("kind:complaint")
    kiosk.type("DE WACHTTIJD WAS LANG")
    shot("report-writing")
    kiosk.tap("send")
    kiosk.wait_until(lambda: kiosk.app.report.state == "sent", "the case number")
    shot("report-sent")
    kiosk.tap("home")
    kiosk.tap("call_host")
    kiosk.wait_until(lambda: kiosk.app.assist.state == "called", "the host called")
    shot("call-host")
    kiosk.app.theme.high_contrast = True
    kiosk.app.theme.large_text = True
    kiosk.tap("home")
    shot("home-contrast-larger")
    clock.advance(seconds=50)
    kiosk.app.inactivity.tick()
    kiosk.frames(3)
    shot("still-there")
    assert all(looks_drawn(p) for p in pictures)


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_the_booking_screens_in_dutch_and_arabic(open_kiosk, printer, book, screenshots, language):
    """Make an appointment: service, day, time (a page of them), confirm, a time taken a moment before
    (the next free ones), booked and printed. The website's address and offline: test_booking_flow."""
    kiosk = open_kiosk(printer=TicketPrinter.from_setting(printer.url))
    pictures: list[Path] = []

    def shot(name: str) -> None:
        pictures.append(kiosk.screenshot(screenshots / f"kiosk-{name}-{language}.png"))

    kiosk.tap(f"language:{language}")
    kiosk.tap("book")
    kiosk.wait_until(lambda: kiosk.visible("book:paspoort"), "the bookable services")
    shot("book")
    kiosk.tap("book:paspoort")
    kiosk.wait_until(lambda: kiosk.visible("day:2026-11-30"), "the days")
    shot("book-day")
    kiosk.tap("day:2026-11-30")
    kiosk.wait_until(lambda: kiosk.visible("time:2026-11-30T09:30:00+01:00"), "the times")
    shot("book-time")
    kiosk.tap("time:2026-11-30T09:30:00+01:00")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_confirm", "the confirmation step")
    shot("book-confirm")
    book(datetime.fromisoformat("2026-11-30T09:30:00+01:00"))  # someone else, a moment before
    kiosk.tap("book_now")
    kiosk.wait_until(lambda: kiosk.app.booking.taken, "the next free times")
    shot("book-taken")
    kiosk.tap("time:2026-11-30T09:45:00+01:00")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_confirm", "the confirmation step")
    kiosk.tap("book_now")
    kiosk.wait_until(lambda: kiosk.app.booking.printed, "the printed confirmation")
    shot("booked")
    assert all(looks_drawn(p) for p in pictures)


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_a_visit_of_several_services_in_dutch_and_arabic(open_kiosk, printer, screenshots, language):
    """More than one thing: two services chosen (a third can be added), then the ticket listing them in order."""
    kiosk = open_kiosk(printer=TicketPrinter.from_setting(printer.url))
    kiosk.tap(f"language:{language}")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services")
    kiosk.tap("several")
    kiosk.tap("add:paspoort")
    kiosk.tap("add:verhuizing")
    pictures = [kiosk.screenshot(screenshots / f"kiosk-walk-in-several-{language}.png")]
    kiosk.tap("draw")
    kiosk.wait_until(lambda: kiosk.app.walk_in.printed, "the printed ticket")
    pictures.append(kiosk.screenshot(screenshots / f"kiosk-ticket-visit-{language}.png"))
    assert all(looks_drawn(p) for p in pictures)


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_a_booking_for_two_people_in_dutch_and_arabic(open_kiosk, printer, screenshots, language):
    """For how many people (chosen), what will be booked for two, and the two appointments booked."""
    kiosk = open_kiosk(printer=TicketPrinter.from_setting(printer.url))
    pictures: list[Path] = []

    def shot(name: str) -> None:
        pictures.append(kiosk.screenshot(screenshots / f"kiosk-{name}-{language}.png"))

    kiosk.tap(f"language:{language}")
    kiosk.tap("book")
    kiosk.wait_until(lambda: kiosk.visible("book:paspoort"), "the bookable services")
    kiosk.tap("people:2")
    shot("book-two")
    kiosk.tap("book:paspoort")
    kiosk.wait_until(lambda: kiosk.visible("day:2026-11-30"), "the days")
    kiosk.tap("day:2026-11-30")
    kiosk.wait_until(lambda: kiosk.visible("time:2026-11-30T09:30:00+01:00"), "the times")
    kiosk.tap("time:2026-11-30T09:30:00+01:00")
    kiosk.wait_until(lambda: kiosk.app.screen == "book_confirm", "the confirmation step")
    shot("book-confirm-two")
    kiosk.tap("book_now")
    kiosk.wait_until(lambda: kiosk.app.booking.printed, "the printed confirmation")
    shot("booked-two")
    assert all(looks_drawn(p) for p in pictures)
