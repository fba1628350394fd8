"""The durable outbox on its own: order, states, number blocks, and atomic writes under kill -9."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from queue_ticketing.client.models import NumberBlock
from queue_ticketing.client.outbox import LEASE_BLOCK, Outbox, OutOfNumbers, Request
from tests.support.live_server import wait_until

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
TODAY = date(2026, 11, 30)
ROOT = Path(__file__).resolve().parents[2]


def check_in(code: str) -> Request:
    return Request("check_in", "POST", "/api/v1/locations/ijsselmonde/check-ins", {"code": code})


def lease_answer(block_id: str, first: int, last: int, day: date = TODAY) -> dict[str, object]:
    return {"block_id": block_id, "location": "ijsselmonde", "service": "paspoort", "letter": "P",
            "business_day": day.isoformat(), "first": first, "last": last}


def with_block(outbox: Outbox, block_id: str, first: int, last: int, day: date = TODAY) -> None:
    lease = outbox.add(f"lease-{block_id}", Request(LEASE_BLOCK, "POST", "/lease", {"service": "paspoort"}), NOW)
    outbox.settle(lease, 201, lease_answer(block_id, first, last, day), NOW)


def ticket_request(block: NumberBlock, sequence: int) -> Request:
    return Request("offline_ticket", "POST", f"/blocks/{block.block_id}/tickets",
                   {"number": f"{block.letter}{sequence:03d}"})


@pytest.fixture
def outbox(tmp_path: Path):  # type: ignore[no-untyped-def]
    box = Outbox(tmp_path / "outbox.sqlite")
    yield box
    box.close()


def test_pending_entries_come_back_in_the_order_they_were_written(outbox: Outbox) -> None:
    for n in range(5):
        outbox.add(f"k{n}", check_in(f"C{n}"), NOW)
    seen, after = [], 0
    while (entry := outbox.next_pending(after)) is not None:
        seen.append(entry.key)
        after = entry.seq
    assert seen == ["k0", "k1", "k2", "k3", "k4"]


def test_the_body_is_kept_exactly_as_it_will_be_sent_every_time(outbox: Outbox) -> None:
    entry = outbox.add("k", Request("x", "POST", "/p", {"b": 1, "a": "é"}), NOW)
    again = outbox.next_pending()
    assert again is not None
    assert entry.body == again.body == '{"a":"é","b":1}'.encode()


def test_entries_being_sent_by_a_caller_are_skipped(outbox: Outbox) -> None:
    for n in range(3):
        outbox.add(f"k{n}", check_in("C"), NOW)
    entry = outbox.next_pending(0, skip={"k0", "k1"})
    assert entry is not None and entry.key == "k2"


def test_settled_entries_keep_their_outcome_and_leave_the_queue(outbox: Outbox) -> None:
    done = outbox.add("done", check_in("A"), NOW)
    outbox.add("refused", check_in("B"), NOW)
    outbox.add("waiting", check_in("C"), NOW)
    outbox.settle(done, 201, {"number": "P001"}, NOW)
    outbox.reject("refused", 409, "appointment_not_found", "No such code.", NOW)
    assert outbox.pending_count() == 1
    assert outbox.outcome("done").answer == {"number": "P001"}
    refused = outbox.outcome("refused")
    assert (refused.state, refused.status, refused.code) == ("rejected", 409, "appointment_not_found")
    assert outbox.outcome("waiting").state == "pending"
    assert outbox.outcome("unknown") is None
    assert outbox.counts() == {"done": 1, "rejected": 1, "pending": 1}


def test_only_the_latest_device_status_waits(outbox: Outbox) -> None:
    for n in range(3):
        outbox.add(f"s{n}", Request("device_status", "POST", "/status", {"n": n}), NOW, topic="status",
                   replace_pending_topic=True)
    assert outbox.pending_count() == 1
    assert outbox.outcome("s2").state == "pending"


def test_everything_written_is_there_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    first = Outbox(path)
    first.add("k", check_in("A"), NOW)
    with_block(first, "b1", 1, 5)
    first.close()
    again = Outbox(path)
    assert again.pending_count() == 1
    assert again.numbers_left("ijsselmonde", "paspoort", TODAY) == 5
    again.close()


def test_offline_numbers_are_taken_in_order_across_blocks_until_none_is_left(outbox: Outbox) -> None:
    with_block(outbox, "b2", 11, 12)
    with_block(outbox, "b1", 1, 2)
    numbers = []
    for n in range(4):
        issue = outbox.issue_offline("ijsselmonde", "paspoort", TODAY, f"t{n}", NOW, ticket_request)
        numbers.append((issue.block.block_id, issue.sequence))
    assert numbers == [("b1", 1), ("b1", 2), ("b2", 11), ("b2", 12)]
    with pytest.raises(OutOfNumbers) as caught:
        outbox.issue_offline("ijsselmonde", "paspoort", TODAY, "t5", NOW, ticket_request)
    assert caught.value.reason == "exhausted"
    with pytest.raises(OutOfNumbers) as none:
        outbox.issue_offline("ijsselmonde", "rijbewijs", TODAY, "t6", NOW, ticket_request)
    assert none.value.reason == "none_leased"


def test_a_number_is_not_used_up_when_its_ticket_could_not_be_queued(outbox: Outbox) -> None:
    with_block(outbox, "b1", 1, 5)

    def broken(block: NumberBlock, sequence: int) -> Request:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        outbox.issue_offline("ijsselmonde", "paspoort", TODAY, "t", NOW, broken)
    assert outbox.numbers_left("ijsselmonde", "paspoort", TODAY) == 5
    assert outbox.pending_count() == 0  # no ticket entry either


def test_threads_issuing_at_once_never_get_the_same_number(outbox: Outbox) -> None:
    with_block(outbox, "b1", 1, 100)
    numbers: list[int] = []
    lock = threading.Lock()

    def issue(worker: int) -> None:
        for n in range(20):
            got = outbox.issue_offline("ijsselmonde", "paspoort", TODAY, f"w{worker}-{n}", NOW, ticket_request)
            with lock:
                numbers.append(got.sequence)

    threads = [threading.Thread(target=issue, args=(w,)) for w in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == list(range(1, 101))


def test_a_failed_online_request_is_forgotten_or_kept_as_abandoned_with_its_replacement(outbox: Outbox) -> None:
    with_block(outbox, "b1", 1, 5)
    outbox.add("never-sent", check_in("A"), NOW)
    outbox.add("maybe-sent", check_in("B"), NOW)
    outbox.issue_offline("ijsselmonde", "paspoort", TODAY, "t1", NOW, ticket_request, replacing="never-sent")
    outbox.issue_offline("ijsselmonde", "paspoort", TODAY, "t2", NOW, ticket_request, replacing="maybe-sent",
                         replaced_may_have_arrived=True)
    assert outbox.outcome("never-sent") is None
    assert outbox.outcome("maybe-sent").state == "abandoned"
    assert outbox.pending_count() == 2  # the two offline tickets


def test_old_settled_entries_and_past_blocks_are_forgotten(outbox: Outbox) -> None:
    old = outbox.add("old", check_in("A"), NOW - timedelta(days=8))
    outbox.settle(old, 201, {}, NOW - timedelta(days=8))
    outbox.add("waiting", check_in("B"), NOW - timedelta(days=8))
    with_block(outbox, "yesterday", 1, 5, TODAY - timedelta(days=1))
    assert outbox.forget_settled(NOW - timedelta(days=7)) == 1
    assert outbox.forget_blocks_before(TODAY) == 1
    assert outbox.outcome("waiting").state == "pending"


def test_an_outbox_of_a_newer_client_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    sqlite3.connect(path).execute("PRAGMA user_version=99").connection.close()
    with pytest.raises(RuntimeError, match="newer client"):
        Outbox(path)


WRITER = """
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo
from queue_ticketing.client.outbox import Outbox, Request
from tests.client.test_outbox import ticket_request, with_block
outbox = Outbox(sys.argv[1])
with_block(outbox, "b1", 1, 100000)
now = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
n = 0
while True:
    outbox.issue_offline("ijsselmonde", "paspoort", date(2026, 11, 30), f"t{n}", now, ticket_request)
    n += 1
    if n == 20:
        print("issuing", flush=True)
"""


def test_a_kiosk_killed_while_issuing_offline_leaves_each_number_taken_with_exactly_one_ticket(
        tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    assert wait_until(lambda: writer.stdout.readline().strip() == "issuing", 30, what="the writer issuing")
    writer.send_signal(signal.SIGKILL)
    writer.wait(10)
    outbox = Outbox(path)
    try:
        numbers = []
        after = 0
        while (entry := outbox.next_pending(after)) is not None:
            after = entry.seq
            assert entry.body is not None
            numbers.append(int(json.loads(entry.body)["number"][1:]))
        left = outbox.numbers_left("ijsselmonde", "paspoort", TODAY)
    finally:
        outbox.close()
    assert len(numbers) >= 20
    assert numbers == list(range(1, len(numbers) + 1))  # no gap, no repeat
    assert left == 100000 - len(numbers)  # every number taken has its ticket queued
