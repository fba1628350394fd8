"""Booking a later appointment with the robot: the real robot host over real libqi against the strict
simulated Pepper (voice heard, tablet pages loaded, read and tapped) and the real central service on
loopback. The clock is Monday 30 November 2026, 09:00: the first free passport time is 09:30."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import requests

from queue_ticketing.client import Client
from tests.support.live_server import ThreadServer, free_port, wait_until

from .conftest import SimulatorProcess

FIRST = datetime.fromisoformat("2026-11-30T09:30:00+01:00")


def answer(simulator: SimulatorProcess, phrase: str, after_saying: str) -> None:
    """The visitor says ``phrase`` once the robot said ``after_saying`` and listens for its answer."""
    said_at = simulator.wait_to_say(after_saying)[0]
    wait_until(lambda: any(c[0] >= said_at for c in simulator.calls("ALSpeechRecognition", "setVocabulary")),
               what="the robot to listen for the answer")
    wait_until(lambda: simulator.control.hear(phrase, 0.8), what=f"the robot to hear {phrase!r}")


def tablet_page(simulator: SimulatorProcess, central: ThreadServer, page: str,
                holding: str = "") -> tuple[str, dict[str, list[str]]]:
    """The tablet's latest ``page`` (whose address holds ``holding``), as the tablet reads it."""
    url = wait_until(lambda: next((c[3][0] for c in reversed(simulator.calls("ALTabletService", "pageLoaded"))
                                   if f"/{page}?" in c[3][0] and holding in c[3][0]), None),
                     what=f"the tablet's {page} page")
    parts = urlsplit(url)
    html = requests.get(f"{central.url}{parts.path}?{parts.query}", timeout=5)
    assert html.status_code == 200, html.text[:300]
    return html.text, parse_qs(parts.query)


def booked_appointment(simulator: SimulatorProcess, central: ThreadServer) -> tuple[str, str]:
    """The booked page's check-in code, and the visitor's page it links by QR (checked to hold it)."""
    html, query = tablet_page(simulator, central, "booked")
    code = re.search(r'class="booked-code"[^>]*>([A-Z0-9]+)<', html)
    assert code, html
    assert 'src="data:image/png;base64,' in html  # the QR, an image drawn by the server
    visitor = requests.get(f"{central.url}/a/{query['appointment'][0]}", timeout=5)
    assert visitor.status_code == 200 and code.group(1) in visitor.text
    return code.group(1), query["appointment"][0]


def free_times(central: ThreadServer, token: str) -> list[datetime]:
    with Client(central.url, token, background=False) as client:
        return [slot.starts_at for slot in client.slots("ijsselmonde", "paspoort").slots]


def test_booking_by_voice_says_shows_and_books_the_second_time(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    robot = token_for("robot")
    start_host(simulator, central.url, robot)
    simulator.control.personEnters(1)
    wait_until(lambda: simulator.control.hear("ik wil een afspraak maken", 0.8), what="the robot to listen")
    answer(simulator, "paspoort", "Voor welk product wilt u een afspraak maken?")
    simulator.wait_to_say("De eerste vrije tijden voor paspoort zijn vandaag om 9:30, om 9:45 of om 10:00.")
    html, query = tablet_page(simulator, central, "book", "times=")
    assert query["service"] == ["paspoort"] and html.count('class="robot-button time-button"') == 3
    assert "09:45" in html
    answer(simulator, "de tweede", "Zeg de eerste, de tweede of de derde")
    simulator.wait_to_say("Uw afspraak staat: vandaag om 9:45.")
    booked_appointment(simulator, central)
    times = free_times(central, robot)
    assert FIRST in times and datetime.fromisoformat("2026-11-30T09:45:00+01:00") not in times


def test_booking_by_tablet_taps(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    simulator.wait_for("ALAnimatedSpeech", "say")
    simulator.control.tap("book")
    html, _ = tablet_page(simulator, central, "book")
    assert 'data-event="book:paspoort"' in html
    simulator.control.tap("book:paspoort")
    simulator.wait_to_say("De eerste vrije tijden voor paspoort")
    html, _ = tablet_page(simulator, central, "book", "times=")
    slots = re.findall(r'data-event="(slot:[^"]+)"', html)
    assert len(slots) == 3
    simulator.control.tap(slots[2])
    simulator.wait_to_say("Uw afspraak staat: vandaag om 10:00.")
    booked_appointment(simulator, central)


def test_a_time_taken_meanwhile_is_said_and_the_next_free_times_offered(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    start_host(simulator, central.url, token_for("robot"))
    simulator.control.personEnters(1)
    wait_until(lambda: simulator.control.hear("afspraak maken voor paspoort", 0.8), what="the robot to listen")
    simulator.wait_to_say("De eerste vrije tijden voor paspoort zijn vandaag om 9:30")
    with Client(central.url, token_for("kiosk"), background=False) as kiosk:  # the kiosk is quicker
        kiosk.book_appointment("ijsselmonde", "paspoort", FIRST)
    answer(simulator, "de eerste", "Zeg de eerste, de tweede of de derde")
    simulator.wait_to_say("Het spijt me, die tijd is net bezet. De volgende vrije tijden zijn vandaag om 9:45, "
                          "om 10:00 of om 10:15.")
    html, _ = tablet_page(simulator, central, "book", "times=2026-11-30T09%3A45")
    assert "09:30" not in html and "09:45" in html
    answer(simulator, "de eerste", "Het spijt me, die tijd is net bezet.")
    simulator.wait_to_say("Uw afspraak staat: vandaag om 9:45.")


def test_where_the_city_books_on_its_website_the_robot_says_it_and_the_tablet_shows_it(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    start_host(simulator, central.url, token_for("robot", "hoogvliet"), location="hoogvliet")
    simulator.control.personEnters(1)
    wait_until(lambda: simulator.control.hear("ik wil een afspraak maken", 0.8), what="the robot to listen")
    simulator.wait_to_say("Hier maakt u een afspraak op de website van de gemeente: rotterdam.nl.")
    html, _ = tablet_page(simulator, central, "book_elsewhere")
    assert "https://www.rotterdam.nl/afspraak-maken" in html and 'src="data:image/png;base64,' in html


def test_offline_the_robot_says_booking_needs_the_connection_and_calls_a_host(
        simulator: SimulatorProcess, central: ThreadServer, token_for, start_host) -> None:  # type: ignore[no-untyped-def]
    running = start_host(simulator, f"http://127.0.0.1:{free_port()}", token_for("robot"))
    simulator.control.personEnters(1)
    wait_until(lambda: simulator.control.hear("ik wil een afspraak maken", 0.8), what="the robot to listen")
    simulator.wait_to_say("voor een afspraak heb ik de verbinding met ons systeem nodig")
    tablet_page(simulator, central, "book_offline")
    answer(simulator, "ja", "Zal ik een collega voor u roepen?")
    simulator.wait_to_say("Er komt een collega naar u toe.")
    assert running.mode == "hand_off"
