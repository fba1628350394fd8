"""The kiosk PC's screen: ``python -m kiosk_app`` in kiosk mode on a bare X server (Xvfb, no window
manager, as the kiosk PC's ``xinit`` session runs it) fills the whole screen, and a tap through
``xdotool`` (real X pointer events, through SDL) lands on what is drawn there: "Nederlands" opens the
home screen, a tile opens its screen."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from kiosk_app.theme import PALETTE
from tests.support.xwd import screen_picture

BACKGROUND, ACCENT, BAR = (PALETTE[name][0] for name in ("background", "accent", "bar"))
DEADLINE = 60.0


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@pytest.fixture
def bare_x(request: pytest.FixtureRequest) -> Iterator[str]:
    """An Xvfb screen of ``request.param`` (width, height) and nothing else on it: no window manager."""
    for tool, package in (("Xvfb", "xvfb"), ("xdotool", "xdotool"), ("xwd", "x11-apps")):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed: `make test` installs it when run as root "
                        f"(apt-get install {package})")
    width, height = request.param
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{width}x{height}x24",
                               "-nolisten", "tcp"], pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], 15)
        if not ready:
            pytest.fail("Xvfb did not start within 15 s")
        yield f":{os.read(read_end, 64).decode().strip()}"
    finally:
        os.close(read_end)
        server.terminate()
        server.wait(timeout=10)


def wait_for_picture(display: str, ready: Callable[[Image.Image], bool], what: str) -> Image.Image:
    deadline = time.monotonic() + DEADLINE
    while True:
        picture = screen_picture(display)
        if ready(picture):
            return picture
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {DEADLINE} s waiting for {what}")
        time.sleep(0.2)  # polling the screen, bounded by the deadline


def edges(picture: Image.Image, step: int = 4) -> list[tuple[int, int, int]]:
    """Pixels along all four edges of the screen."""
    width, height = picture.size
    points = [(x, y) for x in range(0, width, step) for y in (0, height - 1)]
    points += [(x, y) for y in range(0, height, step) for x in (0, width - 1)]
    return [picture.getpixel(point) for point in points]  # type: ignore[misc]


def first_filled(picture: Image.Image, colour: tuple[int, int, int], min_run: int = 60) -> tuple[int, int]:
    """A point inside the topmost, then leftmost, area of ``colour`` at least ``min_run`` pixels wide
    (a primary button or tile): where a finger would tap it."""
    width, height = picture.size
    pixels = picture.load()
    assert pixels is not None
    for y in range(height):
        run = 0
        for x in range(width):
            run = run + 1 if pixels[x, y] == colour else 0
            if run == min_run:
                end = x
                while end + 1 < width and pixels[end + 1, y] == colour:
                    end += 1
                return (x - min_run + 1 + end) // 2, y + 25
    raise AssertionError(f"nothing of colour {colour} on the screen")


def tap(display: str, point: tuple[int, int]) -> None:
    subprocess.run(["xdotool", "mousemove", str(point[0]), str(point[1]), "click", "1"],
                   env={**os.environ, "DISPLAY": display}, check=True, timeout=10)


def wait_for_screen(log: Path, screen: str, kiosk: subprocess.Popen[bytes]) -> None:
    """Until the kiosk logs that it shows ``screen`` (its JSON log lines)."""
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                if entry.get("event") == "screen shown" and entry.get("screen") == screen:
                    return
        if kiosk.poll() is not None:
            pytest.fail(f"the kiosk stopped: {log.read_text()[-2000:]}")
        time.sleep(0.1)  # polling the log, bounded by the deadline
    raise AssertionError(f"the {screen} screen was not shown within {DEADLINE} s")


@pytest.mark.parametrize("bare_x", [(1280, 800), (1920, 1080)], indirect=True, ids=["1280x800", "1920x1080"])
def test_kiosk_mode_fills_a_bare_x_screen_and_takes_taps_where_it_draws_them(
        bare_x: str, central, token_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "kiosk.log"
    env = {**os.environ, "DISPLAY": bare_x, "GASTVRIJ_TOKEN": token_for("kiosk"), "KIVY_NO_CONFIG": "1",
           "KIVY_HOME": str(tmp_path / "kivy")}
    with log.open("wb") as output:
        kiosk = subprocess.Popen([sys.executable, "-m", "kiosk_app", "--location", "ijsselmonde", "--server",
                                  central.url, "--camera", "none", "--printer", "none",
                                  "--outbox", str(tmp_path / "outbox.sqlite")],
                                 env=env, stdout=subprocess.DEVNULL, stderr=output)
    try:
        background = rgb(BACKGROUND)
        welcome = wait_for_picture(bare_x, lambda p: set(edges(p)) == {background},
                                   "the welcome screen's background along every edge of the screen")
        welcome.save(tmp_path / "welcome.png")
        tap(bare_x, first_filled(welcome, rgb(ACCENT)))  # "Nederlands", the first language
        wait_for_screen(log, "home", kiosk)
        bar = rgb(BAR)
        home = wait_for_picture(bare_x, lambda p: p.getpixel((0, 0)) == bar and p.getpixel((p.width - 1, 0)) == bar,
                                "the home screen's top bar across the whole width")
        home.save(tmp_path / "home.png")
        tap(bare_x, first_filled(home, rgb(ACCENT)))  # the first tile: "I have an appointment"
        wait_for_screen(log, "check_in", kiosk)
    finally:
        kiosk.terminate()
        try:
            kiosk.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kiosk.kill()
            kiosk.wait(timeout=10)


@pytest.mark.parametrize("bare_x", [(1024, 600)], indirect=True, ids=["1024x600"])
def test_the_x_screen_size_comes_from_the_x_server(bare_x: str) -> None:
    from kiosk_app.x_screen import x_screen_size

    assert x_screen_size(bare_x) == (1024, 600)
    assert x_screen_size(":4096") is None  # no X server there
