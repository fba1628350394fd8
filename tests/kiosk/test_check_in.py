"""Check-in by a typed code: every answer kind and with its next step (the server's clock is Monday
30 November 2026, 09:00 in Rotterdam)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk_app.viewmodels import CheckInViewModel
from queue_ticketing.domain.appointments import CODE_MAX_LENGTH


@pytest.fixture
def check_in(client, language, worker) -> CheckInViewModel:
    return CheckInViewModel(client, "ijsselmonde", language, worker)


def test_a_typed_code_is_normalised_as_the_server_reads_it(check_in):
    check_in.type_code("ab-c")
    check_in.type_code(" d2 3x9")
    assert check_in.code == "ABCD23X9"
    check_in.backspace()
    assert check_in.code == "ABCD23X"


def test_a_code_is_at_most_as_long_as_a_booking_systems_own_codes(check_in):
    check_in.type_code("A" * 20)
    assert check_in.code == "A" * CODE_MAX_LENGTH


def test_a_due_appointment_checks_in_and_shows_the_number(check_in, book, clock):
    code = book(clock() + timedelta(minutes=5))["code"]
    check_in.type_code(code.lower())
    check_in.submit()
    assert check_in.state == "checked_in"
    assert check_in.ticket_number
    assert check_in.ticket_number in check_in.message
    assert check_in.next_step == "wait_for_number"


def test_a_second_tap_checks_in_once(check_in, book, clock):
    check_in.type_code(book(clock() + timedelta(minutes=5))["code"])
    check_in.submit()
    first = check_in.ticket_number
    check_in.state = "typing"
    check_in.submit()
    assert check_in.ticket_number == first


def test_too_early_says_when_check_in_opens(check_in, book, clock):
    check_in.type_code(book(clock() + timedelta(hours=3))["code"])
    check_in.submit()
    assert check_in.state == "refused"
    assert check_in.next_step == "come_back_later"
    assert ":" in check_in.message and "Check-in opent om" in check_in.message


def test_too_late_offers_a_walk_in_ticket(check_in, book, clock):
    check_in.type_code(book(clock() - timedelta(hours=2))["code"])
    check_in.submit()
    assert check_in.next_step == "walk_in"


def test_an_appointment_elsewhere_is_answered_as_an_unknown_code(check_in, book, clock):
    # The service never tells whether a code exists elsewhere (codes cannot be probed).
    check_in.type_code(book(clock() + timedelta(minutes=5), location="hoogvliet")["code"])
    check_in.submit()
    assert check_in.next_step == "retype"
    assert "hoogvliet" not in check_in.message


def test_an_unknown_code_asks_to_type_it_again(check_in):
    check_in.type_code("ZZZZZZ")
    check_in.submit()
    assert check_in.state == "refused"
    assert check_in.next_step == "retype"


def test_offline_the_check_in_is_saved_with_a_clear_message(check_in, book, clock, central):
    check_in.type_code(book(clock() + timedelta(minutes=5))["code"])
    central.stop()
    check_in.submit()
    assert check_in.state == "queued"
    assert "offline" in check_in.message
