"""The few exceptions the client raises. Each says what happened in words a kiosk can act on.

    ClientError
    ├── Offline            the server could not be reached (or did not answer in time)
    │   ├── TimedOut       it took longer than the timeout
    │   └── NoOfflineNumbers   offline, and no leased number is left for this service today
    ├── ServerError        the server answered 5xx (or 408/429) even after retries
    ├── BadResponse        the answer was not what the API promises (HTML, cut off, wrong fields)
    ├── Rejected           the server refused the request (4xx problem+json: ``code``, ``detail``)
    │   ├── NotFound       404
    │   └── Unauthorized   401: the token is unknown or revoked
    └── ClientClosed       the client was closed
"""

from __future__ import annotations

from typing import Any


class ClientError(Exception):
    """Something went wrong talking to the central service."""

    maybe_delivered = False
    """True when the request may have reached the server (and been carried out) before it failed:
    a state change must then be retried with the same Idempotency-Key, never sent anew."""


class Offline(ClientError):
    """The server could not be reached."""

    def __init__(self, message: str, *, maybe_delivered: bool = False) -> None:
        super().__init__(message)
        self.maybe_delivered = maybe_delivered


class TimedOut(Offline):
    """No complete answer within the timeout."""

    def __init__(self, message: str) -> None:
        super().__init__(message, maybe_delivered=True)


class NoOfflineNumbers(Offline):
    """Offline, and no leased number is left for this service today: the kiosk cannot print a
    ticket for it now. ``reason`` is ``exhausted`` (the blocks are used up), ``none_leased`` (no
    block for today) or ``priority`` (priority tickets need the server)."""

    def __init__(self, service: str, reason: str) -> None:
        messages = {
            "exhausted": f"All numbers leased for '{service}' today are used; tickets need the server again.",
            "none_leased": f"No numbers were leased for '{service}' today; tickets need the server.",
            "priority": "Priority tickets are only given out while the server is reachable.",
        }
        super().__init__(messages.get(reason, reason))
        self.service = service
        self.reason = reason


class ServerError(ClientError):
    """The server failed (5xx), or stayed busy (408/429), through all retries."""

    maybe_delivered = True

    def __init__(self, status: int, code: str, detail: str, retry_after: float | None = None) -> None:
        super().__init__(f"The server answered {status}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.retry_after = retry_after
        """Seconds the server asked to wait before trying again (Retry-After), if it said."""


class BadResponse(ClientError):
    """The answer does not follow the API: not JSON, cut off, too big, or missing fields."""

    maybe_delivered = True

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Rejected(ClientError):
    """The server refused the request; ``code`` is the problem's stable code, ``detail`` its text."""

    def __init__(self, status: int, code: str, detail: str, problem: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.problem = problem or {}


class NotFound(Rejected):
    """404: no such location, service, ticket or block."""


class Unauthorized(Rejected):
    """401: the token is unknown or revoked."""


class ClientClosed(ClientError):
    """The client was closed."""


def rejection(status: int, code: str, detail: str, problem: dict[str, Any] | None = None) -> Rejected:
    kind = {404: NotFound, 401: Unauthorized}.get(status, Rejected)
    return kind(status, code, detail, problem)
