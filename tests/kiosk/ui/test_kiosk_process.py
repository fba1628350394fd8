"""``python -m kiosk_app`` as a kiosk PC runs it under systemd: kiosk mode (full screen, no cursor, no
exit by Escape or closing), READY=1 once the first frame is drawn, and watchdog pings from the UI
thread; a clear message when it is started without what it needs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def kiosk_command(central_url: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "kiosk_app", "--location", "ijsselmonde", "--server", central_url,
            "--camera", "none", "--printer", "none", *extra]


def test_help_documents_every_option() -> None:
    result = subprocess.run([sys.executable, "-m", "kiosk_app", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for option in ("--location", "--server", "--token", "--windowed", "--camera", "--printer", "--device",
                   "--outbox", "--screenshot"):
        assert option in result.stdout


def test_without_a_token_the_kiosk_says_what_it_needs() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GASTVRIJ_TOKEN", "GASTVRIJ_SERVER")}
    result = subprocess.run([sys.executable, "-m", "kiosk_app", "--location", "ijsselmonde"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--server and --token" in result.stderr


def kiosk_mode_settings(call: str, env: dict[str, str]) -> list[str]:
    probe = (f"from kiosk_app.__main__ import configure_window; {call}; from kivy.config import Config; "
             "print(*(Config.get(section, name) for section, name in (('graphics', 'fullscreen'), "
             "('graphics', 'borderless'), ('graphics', 'show_cursor'), ('kivy', 'exit_on_escape'), "
             "('input', 'mouse'), ('graphics', 'position'), ('graphics', 'left'), ('graphics', 'top'), "
             "('graphics', 'width'), ('graphics', 'height'))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env={**env, "KIVY_NO_CONFIG": "1"}, check=True)
    return result.stdout.split()


def test_kiosk_mode_fills_the_x_screen_and_leaves_no_way_out() -> None:
    settings = kiosk_mode_settings("configure_window(windowed=False, screen=(1920, 1080))", dict(os.environ))
    assert settings == ["0", "1", "0", "0", "mouse,disable_multitouch", "custom", "0", "0", "1920", "1080"]


def test_without_an_x_server_kiosk_mode_asks_sdl_for_its_own_full_screen() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    settings = kiosk_mode_settings("configure_window(windowed=False)", env)
    assert settings[:5] == ["auto", "1", "0", "0", "mouse,disable_multitouch"]


def test_under_systemd_it_says_ready_after_its_first_frame_pings_the_watchdog_and_stops_on_sigterm(
        kivy_window, central, token_for, tmp_path: Path) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    address = str(tmp_path / "notify.sock")
    listener.bind(address)
    listener.settimeout(0.5)
    env = {**os.environ, "NOTIFY_SOCKET": address, "WATCHDOG_USEC": "400000", "GASTVRIJ_TOKEN": token_for("kiosk")}
    started = time.monotonic()
    kiosk = subprocess.Popen(kiosk_command(central.url, "--outbox", str(tmp_path / "outbox.sqlite")), env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    messages: list[str] = []
    try:
        deadline = started + 60
        while time.monotonic() < deadline and messages.count("WATCHDOG=1") < 2:
            try:
                messages.append(listener.recv(256).decode())
            except TimeoutError:
                if kiosk.poll() is not None:
                    pytest.fail(f"the kiosk stopped: {kiosk.stderr.read() if kiosk.stderr else ''}")
        assert messages[0] == "READY=1"
        assert messages.count("WATCHDOG=1") >= 2
        kiosk.terminate()  # systemctl stop
        assert kiosk.wait(timeout=20) == 0
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
        listener.close()
