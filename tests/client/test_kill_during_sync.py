"""The kiosk process is killed (SIGKILL) in the middle of handing in its outbox, at the worst
moment: the server has committed an entry whose answer the kiosk has not yet seen. After a restart
nothing is lost and nothing is doubled."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from queue_ticketing.client import Client
from queue_ticketing.client.outbox import Outbox
from queue_ticketing.domain.clock import FixedClock
from tests.client.conftest import HOME, CentralService
from tests.support.live_server import wait_until
from tests.support.lossy_proxy import LossyProxy

ROOT = Path(__file__).resolve().parents[2]
OFFLINE_TICKETS = 40
ANSWERED_BEFORE_THE_KILL = 15


def kiosk_process(server: str, token: str, outbox: Path, clock: FixedClock) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.client.kiosk_process", "--server", server, "--token", token,
         "--outbox", str(outbox), "--now", clock().isoformat()],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_kiosk_killed_in_the_middle_of_a_sync_loses_nothing_and_doubles_nothing(
        central: CentralService, kiosk: str, desk_view: Client, clock: FixedClock, outbox_path: Path) -> None:
    with Client(central.url, kiosk, outbox_path, clock=clock, background=False) as client:
        client.keep_offline_numbers(HOME, ["paspoort"], block_size=OFFLINE_TICKETS, low_water=OFFLINE_TICKETS)
        client.sync()
        central.stop()
        offline = []
        for _ in range(OFFLINE_TICKETS):
            clock.advance(seconds=15)
            offline.append(client.issue_ticket(HOME, "paspoort").number)
        assert client.pending == OFFLINE_TICKETS
    central.start()

    proxy = LossyProxy(central.port).start()
    try:
        proxy.hold_answers_after(ANSWERED_BEFORE_THE_KILL)
        first = kiosk_process(proxy.url, kiosk, outbox_path, clock)
        try:
            wait_until(proxy.holding.is_set, 30, what="the kiosk waiting for an answer the server already gave")
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=10)
        assert first.returncode == -signal.SIGKILL
        outbox = Outbox(outbox_path)
        assert outbox.pending_count() == OFFLINE_TICKETS - ANSWERED_BEFORE_THE_KILL
        outbox.close()
        assert len(desk_view.queue(HOME).tickets or ()) == ANSWERED_BEFORE_THE_KILL + 1  # one unconfirmed

        proxy.forward_all()
        second = kiosk_process(proxy.url, kiosk, outbox_path, clock)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err
    finally:
        proxy.close()
    report = json.loads(out.strip().splitlines()[-1])
    assert report == {"replayed": OFFLINE_TICKETS - ANSWERED_BEFORE_THE_KILL, "rejected": 0, "remaining": 0,
                      "stopped": None}
    waiting = desk_view.queue(HOME).tickets or ()
    assert Counter(t.number for t in waiting) == Counter(offline)  # every one, once
    outbox = Outbox(outbox_path)
    assert outbox.pending_count() == 0
    outbox.close()
