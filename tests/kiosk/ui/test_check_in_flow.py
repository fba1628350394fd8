"""A visitor with an appointment checks in: by the QR of the confirmation held up to the camera (a
video file stands in for the camera), or by the code typed on the keypad; every refusal gets a kind
answer and a next step that works."""

from __future__ import annotations

from datetime import timedelta

from kiosk_app.scanner import QrScanner
from kiosk_app.worker import kivy_schedule
from tests.support.qr_video import check_in_video


def to_check_in(kiosk, language: str = "nl") -> None:
    kiosk.tap(f"language:{language}")
    kiosk.tap("appointment")
    kiosk.wait_until(lambda: kiosk.app.screen == "check_in", "the check-in screen")


def check_in_with(kiosk, code: str, answer: str) -> None:
    """Type ``code`` on the keypad, tap "Check in" and wait for the view-model's ``answer`` state."""
    kiosk.type(code)
    kiosk.tap("check_in")
    kiosk.wait_until(lambda: kiosk.app.check_in.state == answer, f"the answer {answer!r}")


def test_the_qr_of_the_confirmation_checks_the_visitor_in(open_kiosk, book, clock, tmp_path):
    appointment = book(clock() + timedelta(minutes=5))
    video = check_in_video(tmp_path / "camera.avi", appointment["code"])
    scanners: list[QrScanner] = []

    def camera(on_read):
        scanner = QrScanner(str(video), on_read, schedule=kivy_schedule, clock=clock, at_end="loop")
        scanners.append(scanner)
        return scanner

    kiosk = open_kiosk(scanner_factory=camera)
    to_check_in(kiosk)
    kiosk.wait_until(lambda: kiosk.app.check_in.state == "checked_in", "the check-in by QR")
    assert kiosk.app.check_in.code == appointment["code"]
    number = kiosk.app.check_in.ticket_number
    assert number and number in " ".join(kiosk.texts())
    assert kiosk.app.camera_on
    preview = kiosk.app._manager.get_screen("check_in").ids.preview
    assert preview.frames_shown > 0  # the camera's picture reached the screen's one texture
    kiosk.tap("next_step")  # "Done": the next visitor, the camera off
    kiosk.wait_until(lambda: kiosk.app.screen == "welcome", "the welcome screen")
    assert not kiosk.app.camera_on
    assert not scanners[0].running


def test_a_typed_code_checks_the_visitor_in(open_kiosk, book, clock):
    appointment = book(clock() + timedelta(minutes=5))
    kiosk = open_kiosk()
    to_check_in(kiosk, "en")
    check_in_with(kiosk, appointment["code"], "checked_in")
    assert any("You are checked in" in text for text in kiosk.texts())


def test_an_unknown_code_is_answered_kindly_and_can_be_typed_again(open_kiosk):
    kiosk = open_kiosk()
    to_check_in(kiosk, "en")
    check_in_with(kiosk, "ABCDEF", "refused")
    assert any("We do not recognise this code" in text for text in kiosk.texts())
    kiosk.tap("next_step")  # "Type the code again"
    assert kiosk.app.check_in.code == ""
    assert kiosk.visible("key:A")


def test_a_late_visitor_is_offered_a_walk_in_ticket(open_kiosk, book, clock):
    appointment = book(clock() - timedelta(minutes=40))
    kiosk = open_kiosk()
    to_check_in(kiosk, "en")
    check_in_with(kiosk, appointment["code"], "refused")
    assert kiosk.app.check_in.next_step == "walk_in"
    kiosk.tap("next_step")  # "Draw a ticket"
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the walk-in services")


def test_an_early_visitor_is_told_when_check_in_opens(open_kiosk, book, clock):
    appointment = book(clock() + timedelta(hours=2))
    kiosk = open_kiosk()
    to_check_in(kiosk, "en")
    check_in_with(kiosk, appointment["code"], "refused")
    assert kiosk.app.check_in.next_step == "come_back_later"
    assert any("Check-in opens at" in text for text in kiosk.texts())


def test_offline_the_check_in_waits_in_the_outbox_with_a_clear_message(open_kiosk, book, clock, central, client):
    appointment = book(clock() + timedelta(minutes=5))
    kiosk = open_kiosk()
    to_check_in(kiosk, "en")
    central.stop()
    check_in_with(kiosk, appointment["code"], "queued")
    assert any("Your check-in is saved" in text for text in kiosk.texts())
    assert client.pending == 1  # kept, not dropped


def test_without_a_working_camera_the_screen_says_to_type_the_code(open_kiosk, tmp_path):
    kiosk = open_kiosk(scanner_factory=lambda on_read: QrScanner(str(tmp_path / "no-such-camera.avi"), on_read,
                                                                 schedule=kivy_schedule))
    to_check_in(kiosk, "en")
    kiosk.wait_until(lambda: kiosk.app.camera_state == "no_camera", "the camera's status")
    assert "The camera is not available. Please type your code." in kiosk.texts()
    assert kiosk.visible("key:A")
