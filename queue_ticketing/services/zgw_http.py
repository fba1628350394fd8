"""HTTP to another ZGW API (an external Catalogi API, the city's zaaksysteem): a JWT signed with this
service's client id and secret on every request, connect and read timeouts, retries for requests that
are safe to repeat (GET, HEAD), and a circuit breaker so a system that is down is not asked again and
again while callers wait."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
import requests


class ZgwUnavailable(Exception):
    """The other system did not answer usefully (down, too slow, 5xx, or the breaker is open)."""


@dataclass
class CircuitBreaker:
    """Open after ``threshold`` failures in a row; after ``cooldown`` seconds one trial request may
    pass (half-open): its success closes the breaker, its failure opens it again."""

    threshold: int = 5
    cooldown: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _failures: int = 0
    _opened_at: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self) -> bool:
        with self._lock:
            if self._opened_at is None:
                return True
            if self.clock() - self._opened_at >= self.cooldown:
                self._opened_at = self.clock()  # half-open: this one caller tries, the others wait again
                return True
            return False

    def succeeded(self) -> None:
        with self._lock:
            self._failures, self._opened_at = 0, None

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self.threshold:
                self._opened_at = self.clock()

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._opened_at is not None


SAFE_METHODS = frozenset({"GET", "HEAD"})
RETRY_STATUSES = frozenset({502, 503, 504})


@dataclass
class ZgwSession:
    client_id: str
    secret: str
    connect_timeout: float = 2.0
    read_timeout: float = 5.0
    attempts: int = 3
    """For safe requests only; a POST is never repeated (it could open a second case)."""
    backoff: float = 0.2
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    session: requests.Session = field(default_factory=requests.Session)
    sleep: Callable[[float], None] = time.sleep

    def _headers(self) -> dict[str, str]:
        token = jwt.encode({"iss": self.client_id, "client_id": self.client_id, "iat": int(time.time()),
                            "user_id": "gastvrij", "user_representation": "Gastvrij"}, self.secret,
                           algorithm="HS256")
        return {"Authorization": f"Bearer {token}", "Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326",
                "Accept": "application/json"}

    def request(self, method: str, url: str, json: Any = None, params: dict[str, Any] | None = None,
                timeout: float | None = None) -> requests.Response:
        """The answer (any status below 500), or ``ZgwUnavailable``."""
        tries = self.attempts if method.upper() in SAFE_METHODS else 1
        for attempt in range(tries):
            if not self.breaker.allow():
                raise ZgwUnavailable("circuit open")
            try:
                response = self.session.request(method, url, json=json, params=params, headers=self._headers(),
                                                timeout=(self.connect_timeout, timeout or self.read_timeout))
            except requests.RequestException as error:
                self.breaker.failed()
                failure: str = type(error).__name__
            else:
                if response.status_code < 500:
                    self.breaker.succeeded()
                    return response
                self.breaker.failed()
                failure = f"HTTP {response.status_code}"
                if response.status_code not in RETRY_STATUSES:
                    break
            if attempt + 1 < tries:
                self.sleep(self.backoff * (2 ** attempt))
        raise ZgwUnavailable(failure)

    def get(self, url: str, timeout: float | None = None, **params: Any) -> requests.Response:
        return self.request("GET", url, params=params or None, timeout=timeout)
