"""HTTP to the central service on ``requests``: a keep-alive session per thread, connect and read
timeouts plus a deadline for the whole call, bounded retries with backoff and jitter, and every
answer turned into JSON or one of the client's errors (never a hang, never a raw ``requests`` error).

Only requests that are safe to repeat are retried: reads, and state changes that carry an
Idempotency-Key (the server answers a repeated key with its first answer)."""

from __future__ import annotations

import json
import os
import random
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, HTTPError, MaxRetryError, ReadTimeoutError

from .errors import BadResponse, ClientClosed, ClientError, Offline, ServerError, TimedOut, rejection

API = "/api/v1"
USER_AGENT = "gastvrij-client/1.0"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def api_path(*parts: str) -> str:
    """The path of an API resource, each part quoted: ``api_path("locations", "ijsselmonde", "tickets")``."""
    return API + "".join("/" + quote(part, safe="") for part in parts)


@dataclass(frozen=True)
class Timeouts:
    connect: float = 2.0
    """Seconds to open a connection."""
    read: float = 5.0
    """Seconds of silence while waiting for (a piece of) the answer."""
    total: float = 10.0
    """The most one call may take, retries and pauses included."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    """Tries per call, the first included."""
    backoff: float = 0.2
    """The first pause; it doubles with every retry (full jitter: a random part of it)."""
    max_backoff: float = 2.0


@dataclass(frozen=True)
class Answer:
    status: int
    data: Any
    """The parsed JSON body; None for an empty one (204)."""
    replayed: bool = False
    """The server answered a repeated Idempotency-Key with its first answer."""


class Transport:
    """Sends requests to one server with one token. Thread-safe: each thread has its own session."""

    def __init__(self, base_url: str, token: str | None, *, timeouts: Timeouts = Timeouts(),
                 retry: RetryPolicy = RetryPolicy(), max_answer_bytes: int = 4 * 1024 * 1024) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeouts = timeouts
        self.retry = retry
        self.max_answer_bytes = max_answer_bytes
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()

    def request(self, method: str, path: str, *, body: bytes | None = None, key: str | None = None) -> Answer:
        """The server's answer (2xx), or a ``ClientError``. Retries failures that may pass
        (unreachable, 5xx, 408/429, unreadable answers) while attempts and the deadline last."""
        deadline = time.monotonic() + self.timeouts.total
        repeatable = method in ("GET", "HEAD") or key is not None
        delivered = False
        attempt = 0
        while True:
            attempt += 1
            if self._closing.is_set():
                raise ClientClosed("The client is closed.")
            try:
                return self._once(method, path, body, key, deadline)
            except (Offline, ServerError, BadResponse) as failure:
                delivered = delivered or failure.maybe_delivered
                failure.maybe_delivered = delivered
                pause = self._pause(attempt, failure)
                if (attempt >= self.retry.attempts or (delivered and not repeatable)
                        or time.monotonic() + pause >= deadline):
                    raise
                if self._closing.wait(pause):
                    raise ClientClosed("The client is closed.") from failure

    def _pause(self, attempt: int, failure: ClientError) -> float:
        if isinstance(failure, ServerError) and failure.retry_after is not None:
            return failure.retry_after
        return random.uniform(0, min(self.retry.max_backoff, self.retry.backoff * 2 ** (attempt - 1)))

    def _once(self, method: str, path: str, body: bytes | None, key: str | None, deadline: float) -> Answer:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimedOut(f"No answer from {self.base_url} within {self.timeouts.total:g} s.")
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if key is not None:
            headers["Idempotency-Key"] = key
        if body is not None:
            headers["Content-Type"] = "application/json"
        timeout = (min(self.timeouts.connect, remaining), min(self.timeouts.read, remaining))
        try:
            response = self._session().request(method, f"{self.base_url}{path}", data=body, headers=headers,
                                               timeout=timeout, stream=True, allow_redirects=False)
        except requests.ConnectTimeout:
            raise Offline(f"Could not connect to {self.base_url} within {timeout[0]:g} s.") from None
        except requests.ReadTimeout:
            raise TimedOut(f"{self.base_url} did not answer within {timeout[1]:g} s.") from None
        except requests.ConnectionError as error:
            sent = not _never_sent(error)
            raise Offline(f"Could not reach {self.base_url}" + (" (the connection broke)." if sent else "."),
                          maybe_delivered=sent) from None
        except requests.RequestException as error:
            raise Offline(f"Could not reach {self.base_url}: {type(error).__name__}.", maybe_delivered=True) from None
        content = self._read(response, deadline)
        return _interpret(response.status_code, response.headers, content)

    def _read(self, response: requests.Response, deadline: float) -> bytes:
        """The whole body, by pieces of at most one read timeout each, within the deadline."""
        raw = response.raw
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                chunk = raw.read1(65536, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_answer_bytes:
                    raise BadResponse(f"The answer is larger than {self.max_answer_bytes} bytes.", response.status_code)
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise TimedOut(f"{self.base_url} did not finish its answer within {self.timeouts.total:g} s.")
        except ReadTimeoutError:
            response.close()
            raise TimedOut(f"{self.base_url} stopped sending its answer.") from None
        except (HTTPError, OSError) as error:
            response.close()
            raise BadResponse(f"The answer broke off ({type(error).__name__}).", response.status_code) from None
        except ClientError:
            response.close()
            raise
        raw.release_conn()  # read to the end: the connection can serve the next request
        return b"".join(chunks)

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # Proxies and CA bundle from the environment, looked up once here instead of on every
            # request (that look-up costs about a millisecond a call).
            session.trust_env = False
            session.proxies.update(requests.utils.get_environ_proxies(self.base_url))
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            if bundle:
                session.verify = bundle
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=2, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        """Interrupts pauses between retries and closes every session's connections."""
        self._closing.set()
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()


def _never_sent(error: BaseException) -> bool:
    """True when the request certainly did not reach the server (no connection was made)."""
    stack: list[BaseException] = [error]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectTimeoutError):  # NewConnectionError and NameResolutionError too
            return True
        if isinstance(current, MaxRetryError) and current.reason is not None:
            stack.append(current.reason)
        stack.extend(a for a in current.args if isinstance(a, BaseException))
        stack.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return False


def _interpret(status: int, headers: Any, content: bytes) -> Answer:
    media = headers.get("Content-Type", "").split(";")[0].strip().lower()
    is_json = media == "application/json" or media.endswith("+json")
    data: Any = None
    parsed = False
    if content and is_json:
        try:
            data = json.loads(content)
            parsed = True
        except ValueError:
            parsed = False
    if 200 <= status < 300:
        if not content:
            return Answer(status, None, headers.get("Idempotent-Replayed") == "true")
        if not is_json:
            raise BadResponse(f"The server answered {status} with {media or 'no content type'}, not JSON.", status)
        if not parsed:
            raise BadResponse(f"The server's answer ({status}) is not complete JSON.", status)
        return Answer(status, data, headers.get("Idempotent-Replayed") == "true")
    problem = data if parsed and isinstance(data, dict) else {}
    code = str(problem.get("code") or f"http_{status}")
    detail = str(problem.get("detail") or _snippet(content) or f"HTTP {status}")
    if status in RETRY_STATUSES or status >= 500:
        raise ServerError(status, code, detail, _retry_after(headers))
    if 300 <= status < 400:
        raise BadResponse(f"The server redirected ({status}) instead of answering.", status)
    raise rejection(status, code, detail, problem)


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After", "")
    try:
        return min(max(float(value), 0.0), 5.0)
    except ValueError:
        return None


def _snippet(content: bytes) -> str:
    """The start of a non-JSON error page, as plain text, for the exception's message."""
    text = content[:300].decode("utf-8", "replace")
    return " ".join(text.split())[:120]
