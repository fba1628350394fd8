"""After 45 s without a touch the kiosk asks "Are you still there?"; 15 s later everything entered is
cleared, the camera stopped and the welcome screen shown in Dutch. The clock is the test's."""

from __future__ import annotations

from kiosk_app.scanner import QrScanner
from kiosk_app.worker import kivy_schedule
from tests.support.qr_video import scene, write_video


def quiet(kiosk, clock, seconds: float) -> None:
    clock.advance(seconds=seconds)
    kiosk.app.inactivity.tick()  # what the app's one-second Clock does
    kiosk.frames(2)


def test_after_a_quiet_minute_everything_is_cleared_and_dutch_again(open_kiosk, clock, tmp_path):
    video = write_video(tmp_path / "camera.avi", [scene() for _ in range(10)])
    kiosk = open_kiosk(scanner_factory=lambda on_read: QrScanner(str(video), on_read, schedule=kivy_schedule,
                                                                 at_end="loop"))
    kiosk.tap("language:ar")
    kiosk.tap("contrast")
    kiosk.tap("appointment")
    kiosk.type("ABC")
    assert kiosk.app.camera_on
    quiet(kiosk, clock, 46)
    assert kiosk.app.inactivity.asking
    assert kiosk.visible("still_here")
    quiet(kiosk, clock, 15)
    assert kiosk.app.screen == "welcome"
    assert kiosk.app.language.language == "nl"
    assert kiosk.app.check_in.code == ""
    assert not kiosk.app.camera_on
    assert not kiosk.app.theme.high_contrast
    assert not kiosk.visible("still_here")


def test_a_touch_during_the_countdown_keeps_the_visit(open_kiosk, clock):
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    kiosk.tap("appointment")
    kiosk.type("AB")
    quiet(kiosk, clock, 50)
    kiosk.tap("still_here")
    assert not kiosk.app.inactivity.asking
    quiet(kiosk, clock, 30)
    assert kiosk.app.screen == "check_in"
    assert kiosk.app.check_in.code == "AB"


def test_the_welcome_screen_never_times_out(open_kiosk, clock):
    kiosk = open_kiosk()
    quiet(kiosk, clock, 600)
    assert not kiosk.app.inactivity.asking
    assert kiosk.app.screen == "welcome"
