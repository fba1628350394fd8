"""The kiosk PC's X session (deploy/kiosk-pc): its xinitrc, run by the real xinit on an X server (Xvfb
standing in for Xorg), leaves the screen saver and blanking off, and ``wait-for-display`` waits for
that display and gives up on one that never answers."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

KIOSK_PC = Path(__file__).resolve().parents[2] / "deploy" / "kiosk-pc"


def free_display() -> int:
    """A display number with no X server (nor a lock of one) on this machine."""
    candidates = [n for n in range(300, 900) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                  and not Path(f"/tmp/.X{n}-lock").exists()]
    return random.choice(candidates)


@pytest.fixture
def kiosk_session() -> Iterator[str]:
    for tool, package in (("xinit", "xinit"), ("xset", "x11-xserver-utils"), ("Xvfb", "xvfb")):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed: `make test` installs it when run as root "
                        f"(apt-get install {package})")
    display = f":{free_display()}"
    session = subprocess.Popen(["xinit", str(KIOSK_PC / "xinitrc"), "--", shutil.which("Xvfb") or "Xvfb", display,
                                "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield display
    finally:
        session.terminate()  # xinit stops its client and the server
        try:
            session.wait(timeout=15)
        except subprocess.TimeoutExpired:
            session.kill()
            session.wait(timeout=5)


def xset_query(display: str) -> str:
    return subprocess.run(["xset", "q"], env={**os.environ, "DISPLAY": display}, capture_output=True, text=True,
                          check=True, timeout=10).stdout


def test_the_session_turns_the_screen_saver_and_blanking_off(kiosk_session: str) -> None:
    env = {**os.environ, "DISPLAY": kiosk_session}
    subprocess.run([str(KIOSK_PC / "wait-for-display"), "30"], env=env, check=True, timeout=40)
    # The display answers before the xinitrc has run (or while it runs): poll until a deadline.
    deadline = time.monotonic() + 20
    settings = xset_query(kiosk_session)
    while not ("timeout:  0" in settings and "prefer blanking:  no" in settings) and time.monotonic() < deadline:
        time.sleep(0.1)
        settings = xset_query(kiosk_session)
    assert "timeout:  0" in settings, settings
    assert "prefer blanking:  no" in settings, settings


def test_waiting_for_a_display_that_never_answers_gives_up_with_a_reason() -> None:
    if shutil.which("xset") is None:
        pytest.skip("xset is not installed: `make test` installs it when run as root (apt-get install "
                    "x11-xserver-utils)")
    result = subprocess.run([str(KIOSK_PC / "wait-for-display"), "1"],
                            env={**os.environ, "DISPLAY": f":{free_display()}"}, capture_output=True, text=True,
                            timeout=20)
    assert result.returncode == 1
    assert "did not answer within 1 s" in result.stderr
