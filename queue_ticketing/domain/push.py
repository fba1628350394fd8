"""Web Push for a waiting visitor: which pushes a ticket gets, what they say, and which
subscriptions the service accepts. Pure: the texts come translated from the caller."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import ip_address
from urllib.parse import urlsplit

from .errors import InvalidPushSubscription

MAX_PER_TICKET = 3
"""Subscriptions one ticket may have (a phone, a tablet, a second browser)."""
ENDPOINT_LIMIT = 2048


class PushKind(StrEnum):
    NEAR = "near"
    CALLED = "called"
    RECALLED = "recalled"
    TRANSFERRED = "transferred"


TEXTS: dict[PushKind, tuple[str, str]] = {
    PushKind.NEAR: ("Almost your turn: {number}", "Please come back to the waiting room: it is nearly your turn."),
    PushKind.CALLED: ("Your turn: {number}", "Please go to desk {desk}."),
    PushKind.RECALLED: ("We are calling you again: {number}", "Please go to desk {desk} now."),
    PushKind.TRANSFERRED: ("{number}: your next step", "You are now waiting for: {service}."),
}
"""Title and body of each push, in English; the message ids of their translations."""


@dataclass(frozen=True)
class PushMessage:
    number: str
    kind: PushKind
    title: str
    body: str
    desk: int | None = None

    def payload(self) -> dict[str, object]:
        """The small JSON the browser's service worker shows."""
        data: dict[str, object] = {"number": self.number, "kind": self.kind.value, "title": self.title,
                                   "body": self.body}
        if self.desk is not None:
            data["desk"] = self.desk
        return data


def message(kind: PushKind, number: str, translate: Callable[[str], str], desk: int | None = None,
            service: str = "") -> PushMessage:
    title, body = TEXTS[kind]
    fields = {"number": number, "desk": "" if desk is None else desk, "service": service}
    return PushMessage(number, kind, translate(title).format(**fields), translate(body).format(**fields), desk)


def checked_subscription(endpoint: str, p256dh: str, auth: str, allow_http_loopback: bool = False) -> None:
    """Refuse what no push service would take: an endpoint that is not https (http only on
    127.0.0.1 when allowed, for tests), a p256dh that is not an uncompressed P-256 point, an auth
    secret that is not 16 bytes (both base64url, as browsers give them)."""
    if len(endpoint) > ENDPOINT_LIMIT:
        raise InvalidPushSubscription("The push endpoint is too long.")
    parts = urlsplit(endpoint)
    loopback = parts.hostname is not None and _is_loopback(parts.hostname)
    if not parts.hostname or not (parts.scheme == "https" or (parts.scheme == "http" and loopback
                                                                and allow_http_loopback)):
        raise InvalidPushSubscription("The push endpoint must be an https:// address.")
    key = _b64url(p256dh)
    if key is None or len(key) != 65 or key[0] != 4:
        raise InvalidPushSubscription("keys.p256dh must be a P-256 public key (65 bytes, base64url).")
    secret = _b64url(auth)
    if secret is None or len(secret) != 16:
        raise InvalidPushSubscription("keys.auth must be 16 bytes, base64url.")


def _is_loopback(host: str) -> bool:
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _b64url(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
