"""Web Push to a waiting visitor: a push endpoint of the test's own on loopback receives the real
encrypted request (RFC 8291 aes128gcm, VAPID-signed) and decrypts it with the subscriber's keys."""

from __future__ import annotations

import base64
import json
import os
import queue
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from tests.conftest import Api
from tests.support.live_server import ThreadServer


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class PushEndpoint:
    """A push service stand-in: records every push, answers ``status``."""

    server: ThreadingHTTPServer
    received: queue.Queue[tuple[dict[str, str], bytes]] = field(default_factory=queue.Queue)
    status: int = 201

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/push/{uuid.uuid4().hex}"

    def next(self, seconds: float = 10.0) -> tuple[dict[str, str], bytes]:
        return self.received.get(timeout=seconds)

    def nothing_within(self, seconds: float) -> bool:
        try:
            self.received.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


@pytest.fixture
def endpoint() -> Iterator[PushEndpoint]:
    holder: dict[str, PushEndpoint] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            holder["endpoint"].received.put(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(holder["endpoint"].status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["endpoint"] = PushEndpoint(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder["endpoint"]
    server.shutdown()


@dataclass
class Browser:
    """A subscriber's keys, as a browser keeps them."""

    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self, endpoint: str) -> dict[str, Any]:
        public = self.private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {"endpoint": endpoint, "expirationTime": None,
                "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)}}

    def read(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm")
        return dict(json.loads(plain))


@pytest.fixture
def push_api(settings: Settings, clock: FixedClock) -> Iterator[Api]:
    live = ThreadServer(create_app(settings.model_copy(update={"push_allow_http_loopback": True}), clock=clock)).start()
    yield Api(live.url)
    live.stop()


def subscribe(api: Api, ticket_id: str, body: dict[str, Any]) -> Any:
    return api.post(f"/api/v1/tickets/{ticket_id}/push-subscriptions", None, body)


def test_the_service_publishes_its_vapid_public_key(push_api: Api) -> None:
    key = push_api.get("/api/v1/push/public-key").json()["public_key"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4
    assert push_api.get("/api/v1/push/public-key").json()["public_key"] == key  # kept, not made anew


def test_a_called_ticket_pushes_the_desk_to_the_browser_encrypted(push_api: Api, make_token,
                                                                  endpoint: PushEndpoint) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-3")
    ticket = push_api.issue(kiosk, "paspoort", language="tr").json()
    browser = Browser()
    answer = subscribe(push_api, ticket["id"], browser.subscription(endpoint.url))
    assert answer.status_code == 201, answer.text
    push_api.call_next(desk, "balie-3")
    headers, body = endpoint.next()
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    message = browser.read(body)
    assert message == {"number": ticket["number"], "kind": "called", "desk": 3,
                       "title": f"Sıra sizde: {ticket['number']}", "body": "Lütfen 3 numaralı gişeye gidin."}
    assert "id" not in message  # the ticket's id opens its page: never in a push


def test_the_turn_near_is_pushed_once_when_the_people_ahead_drop_to_the_location_s_setting(
        push_api: Api, make_token, endpoint: PushEndpoint) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    tickets = [push_api.issue(kiosk, "paspoort", language="en").json() for _ in range(6)]
    browser = Browser()
    subscribe(push_api, tickets[-1]["id"], browser.subscription(endpoint.url))
    push_api.call_next(desk, "balie-1")  # four ahead: nothing yet
    assert endpoint.nothing_within(1.0)
    push_api.call_next(make_token("desk", desk="balie-2"), "balie-2")  # three ahead (IJsselmonde: notify_when_ahead 3)
    near = browser.read(endpoint.next()[1])
    assert (near["kind"], near["title"]) == ("near", f"Almost your turn: {tickets[-1]['number']}")
    push_api.call_next(make_token("desk", desk="balie-3"), "balie-3")  # two ahead: not again
    assert endpoint.nothing_within(1.0)


def test_a_browser_the_push_service_has_forgotten_is_unsubscribed(push_api: Api, make_token, settings: Settings,
                                                                   endpoint: PushEndpoint) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-3")
    ticket = push_api.issue(kiosk, "paspoort").json()
    endpoint.status = 410
    subscribe(push_api, ticket["id"], Browser().subscription(endpoint.url))
    push_api.call_next(desk, "balie-3")
    endpoint.next()
    db = Database(settings.database_url)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with db.read() as conn:
                from queue_ticketing.store.push import PushStore
                if not PushStore(conn).of_ticket(ticket["id"]):
                    break
            time.sleep(0.05)
        else:
            pytest.fail("the subscription was kept after 410 Gone")
    finally:
        db.dispose()


def test_subscriptions_are_checked_and_bounded(push_api: Api, make_token, endpoint: PushEndpoint) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-3")
    ticket = push_api.issue(kiosk, "paspoort").json()
    browser = Browser()
    plain_http = browser.subscription("http://push.example/abc")
    assert subscribe(push_api, ticket["id"], plain_http).json()["code"] == "invalid_push_subscription"
    short_key = browser.subscription(endpoint.url) | {"keys": {"p256dh": b64url(b"\x04" * 20),
                                                               "auth": b64url(b"1" * 16)}}
    assert subscribe(push_api, ticket["id"], short_key).status_code == 422
    assert subscribe(push_api, "no-such-ticket", browser.subscription(endpoint.url)).status_code == 404
    urls = [endpoint.url for _ in range(4)]
    statuses = [subscribe(push_api, ticket["id"], Browser().subscription(u)).status_code for u in urls]
    assert statuses == [201, 201, 201, 409]
    assert subscribe(push_api, ticket["id"], Browser().subscription(urls[0])).status_code == 200  # renewed keys
    gone = push_api.session.delete(f"{push_api.base}/api/v1/tickets/{ticket['id']}/push-subscriptions",
                                   json={"endpoint": urls[0]}, timeout=10)
    assert gone.status_code == 204
    again = push_api.session.delete(f"{push_api.base}/api/v1/tickets/{ticket['id']}/push-subscriptions",
                                    json={"endpoint": urls[0]}, timeout=10)
    assert again.status_code == 404
    push_api.call_next(desk, "balie-3")
    push_api.post(f"/api/v1/tickets/{ticket['id']}/finish", desk, key=str(uuid.uuid4()))
    ended = subscribe(push_api, ticket["id"], Browser().subscription(endpoint.url))
    assert ended.status_code == 409


def test_a_visit_of_two_services_is_told_its_next_step_and_nearly_its_turn_again_there(
        push_api: Api, make_token, endpoint: PushEndpoint, clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    for _ in range(4):
        push_api.issue(kiosk, "paspoort")
    visit = push_api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,
                          {"services": ["paspoort", "verhuizing"], "language": "en"}, key=str(uuid.uuid4())).json()
    browser = Browser()
    assert subscribe(push_api, visit["id"], browser.subscription(endpoint.url)).status_code == 201
    push_api.call_next(desk, "balie-1")  # three ahead (IJsselmonde: notify_when_ahead 3)
    assert browser.read(endpoint.next()[1])["kind"] == "near"
    for balie in ("balie-2", "balie-3"):
        push_api.call_next(make_token("desk", desk=balie), balie)
    clock.advance(seconds=3)  # past balie-1's debounce
    push_api.call_next(desk, "balie-1")
    clock.advance(seconds=3)
    assert push_api.call_next(desk, "balie-1").json()["id"] == visit["id"]
    assert browser.read(endpoint.next()[1])["kind"] == "called"
    clock.advance(minutes=8)
    finished = push_api.post(f"/api/v1/tickets/{visit['id']}/finish", desk, key=str(uuid.uuid4()))
    assert finished.json()["service"] == "verhuizing"
    pushed = [browser.read(endpoint.next()[1]) for _ in range(2)]
    assert sorted(p["kind"] for p in pushed) == ["near", "transferred"]  # once more, in the new queue
    step = next(p for p in pushed if p["kind"] == "transferred")
    assert step["body"] == "You are now waiting for: Report a change of address."
    push_api.issue(kiosk, "verhuizing")  # the queue moves again: "nearly" is not said twice
    assert endpoint.nothing_within(1.0)
