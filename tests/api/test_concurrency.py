"""Exactly once under concurrency: numbers are gapless and unique, calls never collide."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.conftest import Api

THREADS = 16
TICKETS = 2000


def test_sixteen_threads_issuing_2000_tickets_get_2000_distinct_gapless_numbers(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    url = f"{api.base}/api/v1/locations/ijsselmonde/tickets"
    local = threading.local()

    def issue(_: int) -> str:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        response = session.post(url, json={"service": "paspoort"}, timeout=30,
                                headers={"Authorization": f"Bearer {kiosk}", "Idempotency-Key": str(uuid.uuid4())})
        assert response.status_code == 201, response.text
        return str(response.json()["number"])

    with ThreadPoolExecutor(THREADS) as pool:
        numbers = list(pool.map(issue, range(TICKETS)))

    assert len(set(numbers)) == TICKETS
    assert sorted(int(n[1:]) for n in numbers) == list(range(1, TICKETS + 1))
    queue = api.get("/api/v1/locations/ijsselmonde/queue").json()
    assert next(s for s in queue["services"] if s["service"] == "paspoort")["waiting"] == TICKETS


def test_desks_calling_at_the_same_moment_never_get_the_same_ticket(api: Api, make_token) -> None:
    kiosk, desk_token = make_token("kiosk"), make_token("desk", desk="balie-1")
    issued = {api.issue(kiosk, "paspoort").json()["id"] for _ in range(120)}
    desks = [f"balie-{n}" for n in range(1, 7)]
    start = threading.Barrier(len(desks))
    called: list[str] = []
    lock = threading.Lock()

    def desk_loop(desk: str) -> None:
        session = requests.Session()
        start.wait()
        while True:
            response = session.post(f"{api.base}/api/v1/locations/ijsselmonde/desks/{desk}/call-next", timeout=30,
                                    headers={"Authorization": f"Bearer {desk_token}",
                                             "Idempotency-Key": str(uuid.uuid4())})
            if response.status_code == 204:
                return
            assert response.status_code == 200, response.text
            ticket = response.json()
            with lock:
                called.append(ticket["id"])
            # Finish explicitly, so the next click is a new call and not a double click.
            finished = session.post(f"{api.base}/api/v1/tickets/{ticket['id']}/finish", timeout=30,
                                    headers={"Authorization": f"Bearer {desk_token}"})
            assert finished.status_code == 200, finished.text

    threads = [threading.Thread(target=desk_loop, args=(d,)) for d in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    duplicates = [ticket for ticket, n in Counter(called).items() if n > 1]
    assert duplicates == []
    assert set(called) == issued
