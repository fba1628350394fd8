"""Making an appointment through the view-model, against the real central service on loopback. The
clock is Monday 30 November 2026, 09:00; passport appointments at IJsselmonde are at balie-2 (Mondays
09:00-12:00 and 13:00-16:30, 15 minutes each, bookable from half an hour ahead)."""

from __future__ import annotations

from datetime import date, datetime

from kiosk_app.printing import PrinterStatus, TicketPrinter, appointment_lines, preview_text
from kiosk_app.viewmodels import BookingViewModel
from queue_ticketing.client import Client
from tests.kiosk.conftest import LoopbackPrinter
from tests.support.live_server import wait_until

MONDAY = date(2026, 11, 30)
FIRST = "2026-11-30T09:30:00+01:00"


def booking(client, language, worker, clock, location: str = "ijsselmonde", printer=None) -> BookingViewModel:
    model = BookingViewModel(client, location, language, worker, clock, printer=printer)
    model.know(client.location(location))
    return model


def to_confirm(model: BookingViewModel, starts_at: str = FIRST) -> None:
    model.choose_service("paspoort")
    model.choose_day(MONDAY.isoformat())
    model.choose_time(starts_at)


def free_times(client: Client, day: date = MONDAY) -> list[datetime]:
    return [slot.starts_at for slot in client.slots("ijsselmonde", "paspoort", day=day).slots]


def test_only_the_bookable_services_are_offered_in_the_visitors_language(client, language, worker, clock):
    model = booking(client, language, worker, clock)
    assert model.state == "service" and model.offered == "here"
    ids = [s["id"] for s in model.services]
    assert "paspoort" in ids and "informatie" not in ids and "melding_klacht" not in ids
    assert next(s for s in model.services if s["id"] == "paspoort")["name"] == "Paspoort"
    language.choose("en")
    assert next(s for s in model.services if s["id"] == "paspoort")["name"] == "Passport"


def test_days_with_weekday_and_date_in_the_visitors_language_then_the_days_free_times(client, language, worker, clock):
    language.choose("nl")
    model = booking(client, language, worker, clock)
    model.choose_service("paspoort")
    assert model.state == "day"
    assert model.days[0] == {"day": "2026-11-30", "words": "Vandaag, maandag\n30 november"}
    assert model.days[1]["words"] == "Morgen, dinsdag\n1 december"
    assert len(model.shown_days) == 8
    language.choose("ar")
    assert model.days[0]["words"] == "اليوم، الاثنين\n30 نوفمبر"
    language.choose("tr")
    assert "Pazartesi" in model.days[0]["words"]
    model.choose_day("2026-11-30")
    assert model.state == "time"
    assert model.times[0] == {"starts_at": FIRST, "words": "09:30"}
    assert len(model.times) == len(free_times(client))
    assert len(model.shown_times) == 15  # a page of large buttons
    model.next_times(1)
    assert model.shown_times[0]["starts_at"] == free_times(client)[15].isoformat()
    model.next_times(1)  # no page beyond the last
    assert model.time_page == 1


def test_a_confirmed_time_is_booked_once_however_often_it_is_tapped(client, language, worker, clock):
    language.choose("en")
    model = booking(client, language, worker, clock)
    to_confirm(model)
    assert model.state == "confirm"
    assert (model.day_words, model.time_words) == ("Today, Monday 30 November", "09:30\u00a0–\u00a009:45")
    assert model.place_words == "Rotterdam IJsselmonde, Herenwaard 16, 3078 AK Rotterdam"
    model.book()
    assert model.state == "booked"
    code = model.code
    assert len(code) == 6 and model.visitor_url.startswith("https://gastvrij.test/a/")
    assert model.check_in_words == "Check in at the kiosk with this code from 09:00."
    assert model.show_on_screen  # no printer here: code and QR stay on screen
    model.book()  # a second tap (or a tap after the answer): the same key, the same appointment
    assert model.code == code
    assert FIRST not in [t.isoformat() for t in free_times(client)]
    assert free_times(client)[0].isoformat() == "2026-11-30T09:45:00+01:00"  # one slot taken, not two


def test_the_next_visitor_books_anew(client, language, worker, clock):
    model = booking(client, language, worker, clock)
    to_confirm(model)
    model.book()
    first = model.code
    model.reset()
    assert model.state == "service" and model.code == "" and model.days == []
    to_confirm(model, "2026-11-30T09:45:00+01:00")
    model.book()
    assert model.code != first


def test_a_time_taken_at_the_last_moment_is_said_kindly_with_the_next_free_times(
        client, language, worker, clock, book):
    language.choose("en")
    model = booking(client, language, worker, clock)
    to_confirm(model)
    book(datetime.fromisoformat(FIRST))  # another visitor, a moment before
    model.book()
    assert model.state == "time" and model.taken
    assert "someone else booked that time" in model.message
    assert model.times[0]["starts_at"] == "2026-11-30T09:45:00+01:00"
    model.choose_time(model.times[0]["starts_at"])
    model.book()
    assert model.state == "booked" and model.time_words == "09:45\u00a0–\u00a010:00"


def test_two_people_are_offered_only_times_with_two_free_slots_one_after_another(
        client, language, worker, clock, book):
    language.choose("en")
    model = booking(client, language, worker, clock)
    assert model.max_people == 2  # the location's max_per_booking
    model.choose_people(3)  # more than one booking holds
    assert model.people == 1
    model.choose_people(2)
    book(datetime.fromisoformat("2026-11-30T10:00:00+01:00"))  # someone else
    model.choose_service("paspoort")
    model.choose_day(MONDAY.isoformat())
    offered = [t["starts_at"] for t in model.times]
    assert "2026-11-30T09:30:00+01:00" in offered
    assert "2026-11-30T09:45:00+01:00" not in offered  # 10:00 is taken: no second slot right after it
    assert "2026-11-30T10:00:00+01:00" not in offered and "2026-11-30T10:15:00+01:00" in offered
    assert "2026-11-30T11:45:00+01:00" not in offered  # the second would be after closing (12:00)
    model.choose_time(FIRST)
    assert model.time_words == "09:30\u00a0–\u00a010:00"
    assert model.people_words == "One appointment each, one after another: 09:30 and 09:45"
    model.book()
    assert model.state == "booked" and len(model.booked) == 2
    assert [b["time_words"] for b in model.booked] == ["09:30\u00a0–\u00a009:45", "09:45\u00a0–\u00a010:00"]
    assert model.booked[0]["code"] == model.code and model.booked[1]["code"] != model.code
    assert FIRST not in [t.isoformat() for t in free_times(client)]
    assert "2026-11-30T09:45:00+01:00" not in [t.isoformat() for t in free_times(client)]
    model.book()  # a second tap: the same key, the same two appointments
    assert [b["code"] for b in model.booked] == [model.code, model.booked[1]["code"]]
    assert free_times(client)[0].isoformat() == "2026-11-30T10:15:00+01:00"


def test_two_people_whose_second_slot_went_a_moment_before_get_the_days_times_for_two_again(
        client, language, worker, clock, book):
    language.choose("en")
    model = booking(client, language, worker, clock)
    model.choose_people(2)
    to_confirm(model)
    book(datetime.fromisoformat("2026-11-30T09:45:00+01:00"))  # the second slot, a moment before
    model.book()
    assert model.state == "time" and model.taken
    assert "someone else booked that time" in model.message
    offered = [t["starts_at"] for t in model.times]
    assert offered[0] == "2026-11-30T10:00:00+01:00" and FIRST not in offered


def test_a_new_visitor_books_for_one_person_again(client, language, worker, clock):
    model = booking(client, language, worker, clock)
    model.choose_people(2)
    model.reset()
    assert model.people == 1 and model.booked == []


def test_offline_booking_says_it_needs_the_connection_and_nothing_waits(client, language, worker, clock, central):
    language.choose("en")
    model = booking(client, language, worker, clock)
    model.choose_service("paspoort")
    model.choose_day(MONDAY.isoformat())
    model.choose_time(FIRST)
    central.stop()
    model.book()
    assert model.state == "unavailable"
    assert "needs our connection" in model.message
    language.choose("nl")  # the message follows the visitor's language
    assert "verbinding" in model.message
    assert client.pending == 0  # a booking is never queued
    model.choose_day(MONDAY.isoformat())  # still offline: the same clear answer
    assert model.state == "unavailable"


def test_where_the_city_books_on_its_website_its_address_is_given_and_nothing_is_booked(
        central, token_for, clock, tmp_path, language, worker):
    with Client(central.url, token_for("kiosk", "hoogvliet"), tmp_path / "hoogvliet.sqlite", clock=clock,
                background=False) as hoogvliet:
        model = booking(hoogvliet, language, worker, clock, location="hoogvliet")
        assert model.offered == "elsewhere"
        assert model.state == "elsewhere"
        assert model.booking_url == "https://www.rotterdam.nl/afspraak-maken"
        assert model.services == []


def test_the_confirmation_is_printed_with_day_time_place_code_and_the_qr_of_the_code(
        client, language, worker, clock, printer: LoopbackPrinter):
    language.choose("en")
    model = booking(client, language, worker, clock, printer=TicketPrinter.from_setting(printer.url))
    to_confirm(model)
    model.book()
    assert model.printed and model.printer_status == PrinterStatus.OK.value and not model.show_on_screen
    wait_until(lambda: b"\x1dV" in printer.received, 5, what="the whole confirmation, up to the cut")
    printed = read_escpos(bytes(printer.received))
    assert printed.qr == [model.code]
    for words in ("Rotterdam IJsselmonde", "Herenwaard 16, 3078 AK Rotterdam", "Passport", "Paspoort",
                  "Today, Monday 30 November", "09:30", "Your check-in code", model.code,
                  "Check in at the kiosk with this code from 09:00."):
        assert any(words in line for line in printed.lines), words


def test_a_booking_for_two_prints_one_confirmation_with_each_time_code_and_qr(
        client, language, worker, clock, printer: LoopbackPrinter):
    language.choose("en")
    model = booking(client, language, worker, clock, printer=TicketPrinter.from_setting(printer.url))
    model.choose_people(2)
    to_confirm(model)
    model.book()
    assert model.printed
    wait_until(lambda: b"\x1dV" in printer.received, 5, what="the whole confirmation, up to the cut")
    printed = read_escpos(bytes(printer.received))
    codes = [b["code"] for b in model.booked]
    assert printed.qr == codes
    assert bytes(printer.received).count(b"\x1dV") == 1  # one slip, one cut
    for words in ("One appointment each, one after another: 09:30 and 09:45", "1. 09:30", "2. 09:45", *codes,
                  "Check in at the kiosk with this code from 09:00.",
                  "Check in at the kiosk with this code from 09:15."):
        assert any(words in line for line in printed.lines), words


def test_the_preview_of_a_confirmation_shows_the_code_and_the_qr(client, language, worker, clock):
    model = booking(client, language, worker, clock)
    to_confirm(model)
    model.book()
    text = preview_text(appointment_lines(model._print_job(model._appointment)))
    assert f"[ {model.code} ]" in text and f"[QR {model.code}]" in text


# ------------------------------------------------------------------------------- reading the printout

class Printed:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.qr: list[str] = []


def read_escpos(data: bytes) -> Printed:
    """The text lines and the QR codes' contents (GS ( k, function 180: store the data) of ESC/POS bytes."""
    printed = Printed()
    text = bytearray()
    i = 0
    while i < len(data):
        byte = data[i]
        if data.startswith(b"\x1d(k", i):  # GS ( k pL pH cn fn [parameters]
            size = data[i + 3] + 256 * data[i + 4]
            body = data[i + 5:i + 5 + size]
            if body[:3] == b"\x31\x50\x30":  # QR: store the symbol's data
                printed.qr.append(body[3:].decode())
            i += 5 + size
        elif byte == 0x0A:
            printed.lines.append(text.decode("cp1252", "replace"))
            text.clear()
            i += 1
        elif byte in (0x1B, 0x1D, 0x10):  # another command: skip it (its bytes are no text)
            i += _command_length(data, i)
        elif byte >= 0x20:
            text.append(byte)
            i += 1
        else:
            i += 1
    return printed


def _command_length(data: bytes, i: int) -> int:
    two = data[i:i + 2]
    if two == b"\x1dv":  # GS v 0 m xL xH yL yH raster
        width, height = data[i + 4] + 256 * data[i + 5], data[i + 6] + 256 * data[i + 7]
        return 8 + width * height
    if two in (b"\x1b!", b"\x1ba", b"\x1bE", b"\x1bM", b"\x1bt", b"\x1b-", b"\x1b{", b"\x1bG", b"\x1d!", b"\x1dB",
               b"\x1dV", b"\x1bd", b"\x1bJ", b"\x1dL", b"\x1dW"):
        return 4 if two == b"\x1dV" and data[i + 2] in (65, 66) else 3
    if two == b"\x1b@":
        return 2
    if two == b"\x10\x04":
        return 3
    return 2

