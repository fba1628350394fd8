"""``python -m queue_ticketing.client``: an operator looks into a kiosk's outbox and drains it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from queue_ticketing.client import Client
from queue_ticketing.client.__main__ import main
from queue_ticketing.domain.clock import FixedClock
from tests.client.conftest import HOME, CentralService

ROOT = Path(__file__).resolve().parents[2]


def test_help_names_both_commands() -> None:
    done = subprocess.run([sys.executable, "-m", "queue_ticketing.client", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    assert "status" in done.stdout and "sync" in done.stdout


def test_status_shows_what_waits_without_contents(central: CentralService, kiosk: str, clock: FixedClock,
                                                  outbox_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.lease_block(HOME, "paspoort", size=5)
        client.online.set(False)
        client.issue_ticket(HOME, "paspoort")
        client.check_in(HOME, "SECRET42")
    assert main(["status", "--outbox", str(outbox_path)]) == 0
    shown = capsys.readouterr().out
    assert "pending 2" in shown and "pending check_in: 1" in shown and "pending offline_ticket: 1" in shown
    assert "SECRET42" not in shown


def test_sync_hands_the_outbox_in(central: CentralService, kiosk: str, clock: FixedClock, outbox_path: Path,
                                  capsys) -> None:  # type: ignore[no-untyped-def]
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.online.set(False)
        client.request_assist(HOME, reason="printer")
    # --token=T: a token may start with "-"
    assert main(["sync", "--outbox", str(outbox_path), "--server", central.url, f"--token={kiosk}"]) == 0
    assert "replayed 1, rejected 0, remaining 0" in capsys.readouterr().out
