"""The central service under systemd: READY=1 only once it answers and its schema is current,
watchdog pings from its event loop, STOPPING=1 on SIGTERM; the shipped units pass systemd's own
checks; the backup script keeps what its retention promises."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from alembic.script import ScriptDirectory

from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import alembic_config, current
from tests.support.live_server import free_port

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = ("gastvrij@.service", "gastvrij.target", "gastvrij-housekeeping.service", "gastvrij-housekeeping.timer",
         "gastvrij-backup.service", "gastvrij-backup.timer", "gastvrij-robot.service")


def test_serve_says_ready_once_it_answers_with_the_schema_current_pings_the_watchdog_and_says_stopping(
        tmp_path: Path) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    address = str(tmp_path / "notify.sock")
    listener.bind(address)
    listener.settimeout(0.5)
    database_url = f"sqlite:///{tmp_path / 'gastvrij.sqlite'}"
    port = free_port()
    env = {**os.environ, "NOTIFY_SOCKET": address, "WATCHDOG_USEC": "400000", "GASTVRIJ_DATABASE_URL": database_url}
    server = subprocess.Popen([sys.executable, "-m", "queue_ticketing", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    messages: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not messages:
            try:
                messages.append(listener.recv(256).decode())
            except TimeoutError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
        assert messages and messages[0].startswith("READY=1"), messages
        # Ready means ready: the first request after READY=1 is answered, on the newest schema.
        assert requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).status_code == 200
        db = Database(database_url)
        head = ScriptDirectory.from_config(alembic_config(db)).get_current_head()
        assert current(db) == head
        db.dispose()
        while time.monotonic() < deadline and messages.count("WATCHDOG=1") < 2:
            try:
                messages.append(listener.recv(256).decode())
            except TimeoutError:
                continue
        assert messages.count("WATCHDOG=1") >= 2
        server.terminate()  # systemctl stop
        # uvicorn stops gracefully, then ends by the signal it got: systemd counts that as a clean exit.
        assert server.wait(timeout=20) in (0, -signal.SIGTERM)
        with_stop = []
        while True:
            try:
                with_stop.append(listener.recv(256).decode())
            except TimeoutError:
                break
        assert "STOPPING=1" in with_stop
    finally:
        if server.poll() is None:
            server.kill()
        listener.close()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze (package systemd) is missing")
def test_the_units_pass_systemd_verify_and_the_service_is_hardened(tmp_path: Path) -> None:
    # The units as installed, with the program paths of this checkout (verify checks that they exist).
    for name in UNITS:
        text = (DEPLOY / name).read_text()
        text = text.replace("/opt/gastvrij/.venv/bin/python", sys.executable)
        text = text.replace("/opt/gastvrij/deploy/backup.sh", str(DEPLOY / "backup.sh"))
        (tmp_path / name).write_text(text)
    (tmp_path / "gastvrij@8001.service").symlink_to(tmp_path / "gastvrij@.service")
    units = [str(tmp_path / n) for n in UNITS if n != "gastvrij@.service"] + [str(tmp_path / "gastvrij@8001.service")]
    verify = subprocess.run(["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True,
                            timeout=60)
    assert verify.returncode == 0 and not verify.stderr.strip(), verify.stderr
    security = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--threshold=20",
                               str(tmp_path / "gastvrij@8001.service")], capture_output=True, text=True, timeout=60)
    assert security.returncode == 0, security.stdout[-2000:]
    exposure = security.stdout.strip().splitlines()[-1]
    assert "exposure level" in exposure and float(exposure.split("exposure level for")[1].split(":")[1].split()[0]) \
        <= 2.0, exposure


def test_backup_script_keeps_two_days_whole_then_one_a_day_for_35_days(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    now = time.time()
    day = 86400

    def old(name: str, days: float) -> Path:
        path = folder / name
        path.write_bytes(b"x")
        os.utime(path, (now - days * day, now - days * day))
        return path

    kept_recent = [old("gastvrij-20261202T021500.backup", 1.2), old("gastvrij-20261202T081500.backup", 1.0)]
    dropped_same_day = old("gastvrij-20261128T021500.backup", 5.3)
    kept_newest_of_day = old("gastvrij-20261128T201500.backup", 5.1)
    too_old = old("gastvrij-20261020T201500.backup", 44)
    database_url = f"sqlite:///{tmp_path / 'gastvrij.sqlite'}"
    subprocess.run([sys.executable, "-m", "queue_ticketing", "db", "upgrade", "--database-url", database_url],
                   check=True, capture_output=True, timeout=60)
    done = subprocess.run([str(DEPLOY / "backup.sh"), str(folder)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "GASTVRIJ_PYTHON": sys.executable, "GASTVRIJ_DATABASE_URL": database_url})
    assert done.returncode == 0, done.stderr
    left = sorted(p.name for p in folder.iterdir())
    assert len([n for n in left if n not in {p.name for p in (*kept_recent, kept_newest_of_day)}]) == 1  # today's
    assert all(p.exists() for p in (*kept_recent, kept_newest_of_day))
    assert not dropped_same_day.exists() and not too_old.exists()


def test_the_housekeeping_the_timer_runs_forgets_once_and_says_how_much(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'gastvrij.sqlite'}"
    subprocess.run([sys.executable, "-m", "queue_ticketing", "db", "upgrade", "--database-url", database_url],
                   check=True, capture_output=True, timeout=60)
    done = subprocess.run([sys.executable, "-m", "queue_ticketing", "housekeeping", "--database-url", database_url],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("forgotten: 0 idempotency keys, 0 events, 0 number blocks, 0 staff sessions")
