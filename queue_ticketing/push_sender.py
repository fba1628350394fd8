"""Web Push over HTTP: RFC 8291 (aes128gcm) encryption and VAPID (RFC 8292) signing by pywebpush."""

from __future__ import annotations

import requests
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from .services.push import application_server_key
from .store.push import PushSubscription

TTL_SECONDS = 600
"""A push older than this is of no use to a waiting visitor: the push service may drop it."""


def generate_vapid_keys() -> tuple[str, str]:
    """A new VAPID key pair: ``(private key PEM, public key as browsers take it)``."""
    vapid = Vapid02()
    vapid.generate_keys()
    public = vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return vapid.private_pem().decode(), application_server_key(public)


class WebPushSender:
    def __init__(self, private_key_pem: str, contact: str, timeout: float = 5.0) -> None:
        self.vapid = Vapid02.from_pem(private_key_pem.encode())
        self.contact = contact
        self.timeout = timeout

    def send(self, subscription: PushSubscription, payload: bytes) -> int:
        info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        try:
            response = webpush(info, data=payload, vapid_private_key=self.vapid,
                               vapid_claims={"sub": self.contact}, content_encoding="aes128gcm",
                               timeout=self.timeout, ttl=TTL_SECONDS)
        except WebPushException as failure:
            return failure.response.status_code if failure.response is not None else 0
        except requests.RequestException:
            return 0
        return int(response.status_code)
