"""Self-service at the kiosk: the status of my case (verified by postcode and house number, never a
name or address on screen), a report or complaint that becomes a case (number shown and printed),
the information screen, and calling a host (the hosts see the request)."""

from __future__ import annotations

import requests

from kiosk_app.printing import TicketPrinter


def open_case(zgw, postcode: str = "3078 AK", huisnummer: int = 16) -> str:
    created = zgw.create_zaak()
    assert created.status_code == 201, created.text
    zaak = created.json()
    assert zgw.add_initiator(zaak["url"], "achterstallig_woningonderhoud", postcode, huisnummer).status_code == 201
    assert zgw.set_status(zaak["url"], zgw.statustype_url("achterstallig_woningonderhoud", 1)).status_code == 201
    return zaak["identificatie"]


def look_up(kiosk, number: str, postcode: str, house: str, answer: str) -> None:
    """Type the case number (after the "ZAAK-" already there), postcode and house number, look it up and
    wait for the view-model's ``answer`` state."""
    kiosk.type(number.removeprefix("ZAAK-"))
    kiosk.tap("field:postcode")
    kiosk.type(postcode)
    kiosk.type(house)  # the postcode is full: the keyboard moved on to the house number
    kiosk.tap("look_up")
    kiosk.wait_until(lambda: kiosk.app.case_status.state == answer, f"the answer {answer!r}")


def test_a_visitor_sees_the_status_of_their_case_after_postcode_and_house_number(open_kiosk, zgw):
    number = open_case(zgw)
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    kiosk.tap("case_status")
    look_up(kiosk, number, "3078AK", "16", "found")
    shown = " ".join(kiosk.texts())
    assert number in shown
    assert kiosk.app.case_status.timeline
    assert "30 November 2026" in shown  # the status's day, written as the visitor's language writes it
    for private in ("Jansen", "Anna", "Herenwaard", "999993653"):
        assert private not in shown


def test_a_wrong_postcode_gets_the_same_kind_answer_as_no_such_case(open_kiosk, zgw):
    number = open_case(zgw)
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    kiosk.tap("case_status")
    look_up(kiosk, number, "1234AB", "16", "not_found")
    wrong_postcode = kiosk.app.case_status.message
    kiosk.app.case_status.reset()
    look_up(kiosk, "ZAAK-2026-0000009999", "3078AK", "16", "not_found")
    assert kiosk.app.case_status.message == wrong_postcode


def test_a_complaint_becomes_a_case_whose_number_is_shown_and_printed(open_kiosk, printer, zgw):
    kiosk = open_kiosk(printer=TicketPrinter.from_setting(printer.url))
    kiosk.tap("language:nl")
    kiosk.tap("report")
    kiosk.tap("kind:complaint")
    kiosk.type("LANG GEWACHT")
    kiosk.tap("key: ")
    kiosk.tap("send")
    kiosk.wait_until(lambda: kiosk.app.report.state == "sent" and kiosk.app.report.printed, "the case number")
    number = kiosk.app.report.case_number
    assert number.startswith("ZAAK-")
    assert number in kiosk.texts()
    assert number.encode() in printer.received
    assert b"GEWACHT" not in printer.received  # what the visitor typed stays off the paper
    stored = zgw.get("/zaken", identificatie=number).json()["results"]
    assert len(stored) == 1


def test_an_empty_report_is_not_sent_and_says_why(open_kiosk):
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    kiosk.tap("report")
    kiosk.tap("kind:question")
    kiosk.tap("send")
    assert kiosk.app.report.state == "writing"
    assert "Please type your message." in kiosk.texts()


def test_the_information_screen_shows_hours_and_what_to_bring(open_kiosk):
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    kiosk.tap("information")
    kiosk.wait_until(lambda: kiosk.visible("bring:paspoort"), "the services")
    kiosk.tap("bring:paspoort")
    shown = " ".join(kiosk.texts())
    assert "08:30 – 17:00" in shown
    assert "A debit card to pay" in shown


def test_calling_a_host_reaches_the_hosts(open_kiosk, central, token_for):
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    kiosk.tap("call_host")
    kiosk.wait_until(lambda: kiosk.app.assist.state == "called", "the host called")
    host = token_for("host")
    requests_open = requests.get(f"{central.url}/api/v1/locations/ijsselmonde/assist-requests", timeout=5,
                                 headers={"Authorization": f"Bearer {host}"}).json()
    assert [r["place"] for r in requests_open] == ["kiosk-1"]


def test_after_the_look_up_a_ticket_about_the_case_shows_the_case_to_the_clerk(open_kiosk, zgw, central, token_for):
    number = open_case(zgw)
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    kiosk.tap("case_status")
    look_up(kiosk, number, "3078AK", "16", "found")
    kiosk.tap("ticket_about_case")
    kiosk.wait_until(lambda: kiosk.app.screen == "ticket", "the ticket")
    assert kiosk.app.walk_in.ticket_number.startswith("N")  # the questions desk
    assert number not in " ".join(kiosk.texts())  # the ticket itself does not show the case
    desk = token_for("desk")
    queue = requests.get(f"{central.url}/api/v1/locations/ijsselmonde/queue", timeout=5,
                         headers={"Authorization": f"Bearer {desk}"}).json()
    assert [t["case_reference"] for t in queue["tickets"]] == [number]
