"""Booking a later appointment with the robot, in the pure behaviour: the robot asks for the
service, says and shows the first three free times, books the one chosen by voice or tap, and
handles a time taken meanwhile, a location that books on its website, no connection and no answer."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from location_config import load_location
from robot_host import intents
from robot_host.behaviour import BOOKING, HAND_OFF, LISTENING, SERVING, initial_state
from robot_host.commands import BookAppointment, DrawTicket, FindSlots, Listen, RequestAssist, Say, ShowTablet
from robot_host.events import (
    Booked,
    BookingFailed,
    BookingOptions,
    PersonLeft,
    ServiceDown,
    SlotsFound,
    SpeechFinished,
    SpeechRecognised,
    TabletTapped,
    Tick,
)
from tests.robot.test_behaviour import AMS, MORNING, Robot, said

BOOKABLE = ("paspoort", "identiteitskaart", "rijbewijs")
TODAY = [MORNING.replace(hour=9, minute=45) + timedelta(minutes=15 * i) for i in range(4)]
MONDAY_7 = [datetime(2026, 12, 7, 10, 15, tzinfo=AMS), datetime(2026, 12, 7, 10, 30, tzinfo=AMS),
            datetime(2026, 12, 8, 9, 0, tzinfo=AMS)]
WEBSITE = "https://www.rotterdam.nl/afspraak-maken"
SORRY = Say("Sorry, dat verstond ik niet.", "nl", True)


@pytest.fixture(scope="module")
def location():  # type: ignore[no-untyped-def]
    return load_location("ijsselmonde")


@pytest.fixture
def robot(location) -> Robot:  # type: ignore[no-untyped-def]
    robot = Robot(initial_state(location))
    robot.engage()
    return robot


def one(commands: list[object], kind: type) -> object:
    found = [c for c in commands if isinstance(c, kind)]
    assert len(found) == 1, commands
    return found[0]


def hear(robot: Robot, text: str, language: str = "nl", confidence: float = 0.8) -> list[object]:
    return robot(SpeechRecognised(text, confidence, language))


def offer(robot: Robot, service: str = "paspoort", times: list[datetime] = TODAY) -> list[object]:
    """Asks for ``service``'s times, and answers with ``times``."""
    find = one(hear(robot, f"afspraak maken voor {service}"), FindSlots)
    assert isinstance(find, FindSlots) and find.service == service
    return robot(SlotsFound(find.action_key, service, tuple(times)))


def test_i_want_to_make_an_appointment_asks_which_service_then_says_shows_and_books_the_second_time(
        robot: Robot) -> None:
    find = one(hear(robot, "ik wil een afspraak maken"), FindSlots)
    assert isinstance(find, FindSlots) and find.service is None and robot.mode == SERVING
    commands = robot(BookingOptions(find.action_key, BOOKABLE))
    assert said(commands) == ["Voor welk product wilt u een afspraak maken? U kunt ook kiezen op mijn tablet."]
    assert ShowTablet("book", "nl") in commands and robot.mode == BOOKING

    find = one(hear(robot, "paspoort"), FindSlots)  # a service named now is for the appointment, not a ticket
    assert isinstance(find, FindSlots) and find.service == "paspoort"
    commands = robot(SlotsFound(find.action_key, "paspoort", tuple(TODAY)))
    assert said(commands) == [
        "De eerste vrije tijden voor paspoort zijn vandaag om 9:45, om 10:00 of om 10:15.",
        "Welke wilt u? Zeg de eerste, de tweede of de derde, of tik hem aan op mijn tablet."]
    times = ",".join(t.isoformat() for t in TODAY[:3])
    assert ShowTablet("book", "nl", query=(("service", "paspoort"), ("times", times))) in commands
    listen = one(commands, Listen)
    assert isinstance(listen, Listen) and {"de tweede", "tweede", "10 15"} <= set(listen.vocabulary)

    book = one(hear(robot, "de tweede"), BookAppointment)
    assert book == BookAppointment("paspoort", TODAY[1], "nl", book.action_key)  # type: ignore[union-attr]
    commands = robot(Booked(book.action_key, "ap-1", "AB3XY7", TODAY[1], "https://x/a/ap-1"))  # type: ignore[union-attr]
    assert said(commands) == ["Uw afspraak staat: vandaag om 10:00. Uw inchekcode en een QR-code voor uw telefoon "
                              "staan op mijn tablet."]
    assert ShowTablet("booked", "nl", query=(("appointment", "ap-1"),)) in commands
    assert robot.mode == LISTENING and robot.state.booking is None
    assert not [c for c in robot.commands if isinstance(c, DrawTicket)]


def test_times_on_other_days_are_said_naturally_in_the_visitor_s_language(robot: Robot) -> None:
    commands = offer(robot, times=MONDAY_7)
    assert said(commands)[0] == ("De eerste vrije tijden voor paspoort zijn maandag 7 december om 10:15, om 10:30 "
                                 "of dinsdag 8 december om 9:00.")
    find = one(hear(robot, "i want to make an appointment", "en"), FindSlots)
    commands = robot(SlotsFound(find.action_key, "paspoort", (MONDAY_7[0], TODAY[0] + timedelta(days=1))))  # type: ignore[union-attr]
    assert said(commands) == [
        "The first free times for passport are tomorrow at 9:45 or Monday 7 December at 10:15.",
        "Which one would you like? Say the first or the second, or tap it on my tablet."]


def test_the_time_itself_chooses_too(robot: Robot) -> None:
    offer(robot)
    book = one(hear(robot, "10 15"), BookAppointment)
    assert isinstance(book, BookAppointment) and book.starts_at == TODAY[2]


def test_booking_by_tablet_taps(robot: Robot) -> None:
    find = one(robot(TabletTapped("book")), FindSlots)
    commands = robot(BookingOptions(find.action_key, BOOKABLE))  # type: ignore[union-attr]
    assert ShowTablet("book", "nl") in commands
    find = one(robot(TabletTapped("book:rijbewijs")), FindSlots)
    assert isinstance(find, FindSlots) and find.service == "rijbewijs"
    robot(SlotsFound(find.action_key, "rijbewijs", tuple(TODAY)))
    assert robot(TabletTapped(f"slot:{TODAY[3].isoformat()}"))[0] == SORRY  # not one offered
    book = one(robot(TabletTapped(f"slot:{TODAY[2].isoformat()}")), BookAppointment)
    assert isinstance(book, BookAppointment) and (book.service, book.starts_at) == ("rijbewijs", TODAY[2])
    robot(Booked(book.action_key, "ap-2", "QQ7RT2", TODAY[2], "https://x/a/ap-2"))
    assert robot(TabletTapped(f"slot:{TODAY[0].isoformat()}")) == []  # an old page: nothing booked twice


def test_a_time_taken_meanwhile_is_said_and_the_next_free_times_offered(robot: Robot) -> None:
    offer(robot)
    book = one(hear(robot, "de eerste"), BookAppointment)
    later = tuple(TODAY[3] + timedelta(minutes=15 * i) for i in (0, 1, 2, 4))
    commands = robot(BookingFailed(book.action_key, "slot_taken", next_free=later))  # type: ignore[union-attr]
    assert said(commands)[0] == ("Het spijt me, die tijd is net bezet. De volgende vrije tijden zijn vandaag om 10:30, "
                                 "om 10:45 of om 11:00.")
    assert robot.mode == BOOKING
    shown = one(commands, ShowTablet)
    assert isinstance(shown, ShowTablet) and TODAY[3].isoformat() in dict(shown.query)["times"]
    book = one(hear(robot, "de eerste"), BookAppointment)
    assert isinstance(book, BookAppointment) and book.starts_at == TODAY[3]


def test_where_the_city_books_on_its_website_the_robot_says_so_and_the_tablet_shows_it(robot: Robot) -> None:
    find = one(hear(robot, "ik wil een afspraak maken"), FindSlots)
    commands = robot(BookingOptions(find.action_key, (), WEBSITE))  # type: ignore[union-attr]
    assert said(commands) == ["Hier maakt u een afspraak op de website van de gemeente: rotterdam.nl. "
                              "Het adres staat op mijn tablet."]
    assert ShowTablet("book_elsewhere", "nl") in commands and robot.mode == LISTENING
    offer(robot)
    book = one(hear(robot, "de derde"), BookAppointment)
    commands = robot(BookingFailed(book.action_key, "booked_elsewhere", booking_url=WEBSITE))  # type: ignore[union-attr]
    assert ShowTablet("book_elsewhere", "nl") in commands


def test_offline_the_robot_says_booking_needs_the_connection_and_calls_a_host_on_yes(robot: Robot) -> None:
    robot(ServiceDown())
    commands = hear(robot, "ik wil een afspraak maken")
    assert said(commands) == [
        "Het spijt me, voor een afspraak heb ik de verbinding met ons systeem nodig, en die is er nu niet.",
        "Zal ik een collega voor u roepen?"]
    assert ShowTablet("book_offline", "nl") in commands
    assert not [c for c in commands if isinstance(c, FindSlots)]
    listen = one(commands, Listen)
    assert isinstance(listen, Listen) and "ja" in listen.vocabulary
    commands = hear(robot, "ja")
    assert RequestAssist("visitor_needs_help", "asked for a person") in commands and robot.mode == HAND_OFF


def test_a_failing_server_while_booking_offers_a_host_and_no_thanks_goes_back(robot: Robot) -> None:
    offer(robot)
    book = one(hear(robot, "de eerste"), BookAppointment)
    commands = robot(BookingFailed(book.action_key, "offline"))  # type: ignore[union-attr]
    assert "Zal ik een collega voor u roepen?" in said(commands)
    commands = hear(robot, "nee dank u")
    assert said(commands) == ["Goed. Waarmee kan ik u nog meer helpen?"]
    assert robot.mode == LISTENING and robot.state.booking is None


def test_no_understood_answer_asks_once_more_then_silence_gives_up_kindly(robot: Robot) -> None:
    offer(robot)
    commands = hear(robot, "eh", confidence=0.2)
    assert said(commands) == ["Sorry, dat verstond ik niet.",
                              "Welke wilt u? Zeg de eerste, de tweede of de derde, of tik hem aan op mijn tablet."]
    assert robot.mode == BOOKING
    assert said(robot(Tick(), seconds=5)) == []
    commands = robot(Tick(), seconds=8)  # silence
    assert said(commands)[0].startswith("Het spijt me, ik kon u niet verstaan.")
    assert ShowTablet("menu", "nl") in commands and robot.mode == LISTENING and robot.state.booking is None


def test_silence_alone_asks_once_more_first(robot: Robot) -> None:
    offer(robot)
    commands = robot(Tick(), seconds=13)
    assert said(commands)[0] == "Sorry, dat verstond ik niet." and robot.mode == BOOKING


def test_the_time_to_answer_starts_once_the_robot_has_said_the_times(robot: Robot) -> None:
    offer(robot)
    assert said(robot(Tick(), seconds=10)) == []  # saying three times and the question takes a while
    robot(SpeechFinished())
    assert said(robot(Tick(), seconds=10)) == []
    assert said(robot(Tick(), seconds=3)) == ["Sorry, dat verstond ik niet.",
                                              "Welke wilt u? Zeg de eerste, de tweede of de derde, "
                                              "of tik hem aan op mijn tablet."]


def test_another_request_ends_the_booking_and_a_late_answer_is_ignored(robot: Robot) -> None:
    offer(robot)
    book = one(hear(robot, "de eerste"), BookAppointment)
    robot(PersonLeft(1))
    assert robot.state.booking is None
    assert robot(Booked(book.action_key, "ap-3", "ZZ7RT2", TODAY[0], "https://x/a/ap-3")) == []  # type: ignore[union-attr]


def test_i_have_an_appointment_is_still_a_check_in(location) -> None:  # type: ignore[no-untyped-def]
    assert intents.from_speech("ik heb een afspraak", location) == intents.WantCheckIn(None)
    assert intents.from_speech("ik wil een afspraak maken", location) == intents.WantBooking(None)
    assert intents.from_speech("make an appointment for passport", location) == intents.WantBooking("paspoort")
    assert intents.from_speech("randevu almak istiyorum", location) == intents.WantBooking(None)
    assert intents.from_speech("chcę umówić wizytę", location) == intents.WantBooking(None)
    assert intents.from_speech("أريد حجز موعد", location) == intents.WantBooking(None)


def test_the_booking_phrases_are_in_the_vocabulary_as_a_recogniser_takes_them(location) -> None:  # type: ignore[no-untyped-def]
    dutch = intents.vocabulary(location, "nl")
    assert {"ik wil een afspraak maken", "afspraak maken", "afspraak maken voor paspoort"} <= set(dutch)
    assert "afspraak maken voor informatie" not in dutch  # no appointments for it
    english = intents.vocabulary(location, "en")
    assert "i want to make an appointment" in english and "make an appointment for passport" in english
    for language in ("nl", "en", "tr", "pl", "ar"):
        words = intents.booking_vocabulary(language, TODAY[:3], "Europe/Amsterdam")
        assert all(w == intents.speakable(w) for w in words)


@pytest.mark.parametrize(("text", "index"), [
    ("de eerste", 0), ("the second one", 1), ("üçüncü", 2), ("druga", 1), ("الثالث", 2),
    ("10:15", 2), ("10 15", 2), ("om 9.45", 0), ("10 uur 00", 1), ("11 00", None), ("de vierde", None)])
def test_a_time_is_chosen_by_its_place_or_its_clock_time(text: str, index: int | None) -> None:
    chosen = intents.chosen_time(text, TODAY[:3], "Europe/Amsterdam")
    assert chosen == (TODAY[index] if index is not None else None)


def test_switching_language_keeps_the_booking_and_its_page(robot: Robot) -> None:
    offer(robot)
    commands = robot(TabletTapped("language:en"))
    shown = one(commands, ShowTablet)
    assert isinstance(shown, ShowTablet) and (shown.page, shown.language) == ("book", "en")
    assert dict(shown.query)["service"] == "paspoort"
    assert said(commands) == [
        "Which one would you like? Say the first, the second or the third, or tap it on my tablet."]
    book = one(hear(robot, "the second", "en"), BookAppointment)
    assert isinstance(book, BookAppointment) and (book.starts_at, book.language) == (TODAY[1], "en")
    robot(Booked(book.action_key, "ap-4", "KK7RT2", TODAY[1], "https://x/a/ap-4"))
    commands = robot(TabletTapped("language:tr"))
    assert ShowTablet("booked", "tr", query=(("appointment", "ap-4"),)) in commands  # the code stays on the tablet
    hear(robot, "saatler", "tr", confidence=0.9)
    commands = robot(TabletTapped("language:nl"))
    assert ShowTablet("booked", "nl", query=(("appointment", "ap-4"),)) in commands
    assert robot(TabletTapped("back")) == []  # the tablet went back to its menu
    assert ShowTablet("menu", "en") in robot(TabletTapped("language:en"))
