"""The check-in camera: a video file stands in for the camera (blank frames, then the confirmation's QR
held up straight, turned and noisy); every wait polls with a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from kiosk_app.scanner import QrRead, QrScanner, ScannerStatus, appointment_code
from queue_ticketing.domain.clock import FixedClock
from tests.support.live_server import wait_until
from tests.support.qr_video import HEIGHT, WIDTH, check_in_video, scene, write_video

CODE = "K7M2XP"


class TickingClock(FixedClock):
    """Moves on ``step`` seconds every time it is read: one QR report per frame apart."""

    def __init__(self, now: datetime, step: float) -> None:
        super().__init__(now)
        self.step = timedelta(seconds=step)

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


@pytest.fixture
def reads() -> list[QrRead]:
    return []


@pytest.fixture
def scanners() -> Iterator[list[QrScanner]]:
    made: list[QrScanner] = []
    yield made
    for scanner in made:
        scanner.stop()


@pytest.fixture
def scanner_for(scanners: list[QrScanner], reads: list[QrRead], clock: FixedClock) -> Callable[..., QrScanner]:
    """A started scanner on ``source``; by default deterministic: every frame decoded, the file read
    as fast as it decodes, stopped at its end."""

    def make(source: object, **options: object) -> QrScanner:
        settings: dict[str, object] = {"clock": clock, "decode_fps": None, "realtime": False, "at_end": "stop"}
        settings.update(options)
        scanner = QrScanner(source, reads.append, **settings)  # type: ignore[arg-type]
        scanners.append(scanner)
        scanner.start()
        return scanner

    return make


def ended(scanner: QrScanner) -> bool:
    return scanner.status is ScannerStatus.ENDED


# ---------------------------------------------------------------------------- what a QR holds


@pytest.mark.parametrize("text", ["K7M2XP", "k7m2xp", "K7M-2XP", " K7M 2XP\n"])
def test_a_qr_holding_the_plain_code_reads_as_the_code(text: str) -> None:
    assert appointment_code(text) == CODE


@pytest.mark.parametrize("text", [
    "https://afspraken.rotterdam.nl/bevestiging/K7M2XP",
    "https://afspraken.rotterdam.nl/bevestiging/k7m-2xp/",
    "https://afspraken.rotterdam.nl/inchecken?code=K7M2XP&lang=nl",
    "HTTP://AFSPRAKEN.ROTTERDAM.NL/k7m2xp",
])
def test_a_link_whose_last_path_segment_or_code_parameter_is_the_code_reads_as_the_code(text: str) -> None:
    assert appointment_code(text) == CODE


def test_a_booking_systems_own_code_of_up_to_16_letters_and_digits_is_accepted() -> None:
    assert appointment_code("GEM-2026-00042") == "GEM202600042"


@pytest.mark.parametrize("text", [
    "WIFI:S:Gastvrij;T:WPA;P:geheim;;",
    "BEGIN:VCARD\nFN:Jan Jansen\nEND:VCARD",
    "Welkom, fijn dat u er bent!",
    "K7M",
    "K7M2XPK7M2XPK7M2XPK",
    "https://gastvrij.test/t/3bX9_kq-Vf2LmN8pQr4sTw",
    "https://www.rotterdam.nl/",
    "https://afspraken.rotterdam.nl/inchecken?code=",
    "ftp://afspraken.rotterdam.nl/K7M2XP",
    "K7M2XÞ",
])
def test_anything_else_is_not_an_appointment_qr(text: str) -> None:
    assert appointment_code(text) is None


# -------------------------------------------------------------------------------- the scanner


def test_the_code_on_a_held_up_confirmation_is_reported_once(tmp_path: Path, scanner_for: Callable[..., QrScanner],
                                                             reads: list[QrRead]) -> None:
    scanner = scanner_for(check_in_video(tmp_path / "camera.avi", CODE, blank=10, steady=4))
    wait_until(lambda: ended(scanner), what="the end of the video")
    assert reads == [QrRead(CODE)]
    assert reads[0].is_appointment
    assert scanner.decoded_frames == 10 + 4 + 3


def test_turned_and_noisy_frames_are_read(tmp_path: Path, scanner_for: Callable[..., QrScanner],
                                          reads: list[QrRead]) -> None:
    scanner = scanner_for(check_in_video(tmp_path / "camera.avi", CODE, blank=2, steady=0))
    wait_until(lambda: ended(scanner), what="the end of the video")
    assert reads == [QrRead(CODE)]


def test_a_link_in_the_qr_is_reported_as_its_code(tmp_path: Path, scanner_for: Callable[..., QrScanner],
                                                  reads: list[QrRead]) -> None:
    link = f"https://afspraken.rotterdam.nl/inchecken?code={CODE.lower()}"
    scanner = scanner_for(check_in_video(tmp_path / "camera.avi", link, blank=1, steady=2))
    wait_until(lambda: ended(scanner), what="the end of the video")
    assert reads == [QrRead(CODE)]


def test_the_same_code_is_reported_again_only_after_repeat_after_seconds(
        tmp_path: Path, scanner_for: Callable[..., QrScanner], reads: list[QrRead]) -> None:
    video = write_video(tmp_path / "camera.avi", [scene(CODE, seed=i) for i in range(7)])
    scanner = scanner_for(video, clock=TickingClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC), 1.0),
                          repeat_after=3.0)
    wait_until(lambda: ended(scanner), what="the end of the video")
    assert reads == [QrRead(CODE)] * 3  # seen at 1, 2, ... 7 s: reported at 1, 4 and 7 s


def test_a_qr_that_is_not_an_appointments_is_reported_as_such_once(
        tmp_path: Path, scanner_for: Callable[..., QrScanner], reads: list[QrRead]) -> None:
    scanner = scanner_for(check_in_video(tmp_path / "camera.avi", "WIFI:S:Gastvrij;T:WPA;P:geheim;;", blank=2))
    wait_until(lambda: ended(scanner), what="the end of the video")
    assert reads == [QrRead(None)]
    assert not reads[0].is_appointment


def test_a_missing_video_file_gives_no_camera_without_raising(
        tmp_path: Path, scanner_for: Callable[..., QrScanner]) -> None:
    statuses: list[ScannerStatus] = []
    scanner = scanner_for(tmp_path / "no-such-camera.avi", on_status=statuses.append)
    wait_until(lambda: scanner.status is ScannerStatus.NO_CAMERA, what="NO_CAMERA")
    assert statuses == [ScannerStatus.STARTING, ScannerStatus.NO_CAMERA]
    assert scanner.latest_frame() is None


def test_a_camera_index_with_no_camera_behind_it_gives_no_camera(scanner_for: Callable[..., QrScanner]) -> None:
    scanner = scanner_for(63)
    wait_until(lambda: scanner.status is ScannerStatus.NO_CAMERA, what="NO_CAMERA")
    assert not scanner.running


def test_a_broken_video_file_gives_no_camera(tmp_path: Path, scanner_for: Callable[..., QrScanner]) -> None:
    broken = tmp_path / "camera.avi"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00AVI not really a video" * 50)
    scanner = scanner_for(broken)
    wait_until(lambda: scanner.status is ScannerStatus.NO_CAMERA, what="NO_CAMERA")


def test_stop_releases_the_camera_promptly_and_twice_is_harmless(
        tmp_path: Path, scanner_for: Callable[..., QrScanner]) -> None:
    video = check_in_video(tmp_path / "camera.avi", CODE)
    scanner = scanner_for(video, realtime=True, at_end="loop", decode_fps=10.0)
    wait_until(scanner.latest_frame, what="a first frame")
    assert scanner.status is ScannerStatus.SCANNING
    started = time.monotonic()
    assert scanner.stop() is True
    assert time.monotonic() - started < 0.5
    assert not scanner.running
    assert scanner.status is ScannerStatus.STOPPED
    assert scanner.latest_frame() is None
    assert scanner.stop() is True


def test_the_preview_is_rgb_with_the_bottom_row_first_for_a_kivy_texture(
        tmp_path: Path, scanner_for: Callable[..., QrScanner]) -> None:
    red_above_blue = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    red_above_blue[: HEIGHT // 2] = (0, 0, 255)  # BGR, as OpenCV stores it
    red_above_blue[HEIGHT // 2:] = (255, 0, 0)
    scanner = scanner_for(write_video(tmp_path / "camera.avi", [red_above_blue] * 3))
    wait_until(lambda: ended(scanner), what="the end of the video")
    frame = scanner.latest_frame()
    assert frame is not None
    assert (frame.width, frame.height, frame.number) == (WIDTH, HEIGHT, 3)
    pixels = np.frombuffer(frame.pixels, np.uint8).reshape(HEIGHT, WIDTH, 3)
    first_row, last_row = pixels[0].mean(axis=0), pixels[-1].mean(axis=0)
    assert first_row[2] > 200 > 50 > first_row[0]  # the first row is the image's bottom: blue
    assert last_row[0] > 200 > 50 > last_row[2]  # the last row is its top: red, in R-G-B order


def test_a_looping_video_plays_again_from_its_start(tmp_path: Path, scanner_for: Callable[..., QrScanner]) -> None:
    scanner = scanner_for(check_in_video(tmp_path / "camera.avi", CODE, blank=2, steady=1), at_end="loop")
    wait_until(lambda: (frame := scanner.latest_frame()) is not None and frame.number > 3 * 6, what="three loops")
    assert scanner.status is ScannerStatus.SCANNING


def test_decoding_is_held_to_decode_fps_while_the_preview_keeps_the_camera_rate(
        tmp_path: Path, scanner_for: Callable[..., QrScanner]) -> None:
    video = write_video(tmp_path / "camera.avi", [scene(seed=i) for i in range(20)], fps=25)
    scanner = scanner_for(video, realtime=True, decode_fps=5.0)
    wait_until(lambda: ended(scanner), what="the end of the video")
    frame = scanner.latest_frame()
    assert frame is not None and frame.number == 20
    assert 1 <= scanner.decoded_frames <= 10


def test_reads_arrive_through_the_schedule_the_screen_gives(
        tmp_path: Path, scanner_for: Callable[..., QrScanner], reads: list[QrRead]) -> None:
    scheduled: list[Callable[[], None]] = []
    scanner = scanner_for(check_in_video(tmp_path / "camera.avi", CODE, blank=1, steady=1),
                          schedule=scheduled.append)
    wait_until(lambda: ended(scanner), what="the end of the video")
    assert reads == []
    for call in scheduled:
        call()
    assert reads == [QrRead(CODE)]


def test_a_failing_callback_does_not_stop_the_scanner(tmp_path: Path, scanners: list[QrScanner]) -> None:
    def fails(_: QrRead) -> None:
        raise RuntimeError("the screen had a bad moment")

    scanner = QrScanner(check_in_video(tmp_path / "camera.avi", CODE, blank=1), fails, decode_fps=None,
                        realtime=False)
    scanners.append(scanner)
    scanner.start()
    wait_until(lambda: ended(scanner), what="the end of the video")
    frame = scanner.latest_frame()
    assert frame is not None and frame.number == 1 + 4 + 3

