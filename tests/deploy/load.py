"""A steady load of ticket issues from clients that behave like the kiosk's: each visitor action has
one Idempotency-Key, sent again (with backoff) until the service answers it."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

import requests


@dataclass(frozen=True)
class Acknowledged:
    id: str
    number: str
    key: str
    at: float
    """``time.monotonic()`` when the answer arrived."""


@dataclass
class LoadReport:
    acknowledged: list[Acknowledged] = field(default_factory=list)
    failed_attempts: list[str] = field(default_factory=list)
    """What went wrong on attempts that were then retried (status codes or exception names)."""
    given_up: int = 0


class TicketLoad:
    """``clients`` threads issuing walk-in tickets one after another through ``base_url``."""

    def __init__(self, base_url: str, token: str, clients: int = 4, service: str = "paspoort",
                 verify: bool | str = True, retry_for: float = 30.0) -> None:
        self.base_url = base_url
        self.token = token
        self.service = service
        self.verify = verify
        self.retry_for = retry_for
        self.report = LoadReport()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, daemon=True, name=f"load-{i}") for i in range(clients)]

    def __enter__(self) -> TicketLoad:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> LoadReport:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.retry_for + 10)
        return self.report

    def count(self) -> int:
        with self._lock:
            return len(self.report.acknowledged)

    def _client(self) -> None:
        session = requests.Session()
        while not self._stop.is_set():
            self._issue_one(session)

    def _issue_one(self, session: requests.Session) -> None:
        key = str(uuid.uuid4())
        url = f"{self.base_url}/api/v1/locations/ijsselmonde/tickets"
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key}
        deadline = time.monotonic() + self.retry_for
        delay = 0.05
        while True:
            try:
                response = session.post(url, json={"service": self.service, "channel": "kiosk"}, headers=headers,
                                        timeout=10, verify=self.verify)  # per request: REQUESTS_CA_BUNDLE
                                                                         # would win over session.verify
                if response.status_code == 201:
                    body = response.json()
                    with self._lock:
                        self.report.acknowledged.append(Acknowledged(body["id"], body["number"], key,
                                                                     time.monotonic()))
                    return
                failure = str(response.status_code)
            except requests.RequestException as error:
                failure = type(error).__name__
            with self._lock:
                self.report.failed_attempts.append(failure)
            if time.monotonic() > deadline:
                with self._lock:
                    self.report.given_up += 1
                return
            time.sleep(delay)  # a client's backoff between tries, not a wait for the test
            delay = min(delay * 2, 1.0)
