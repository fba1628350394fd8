"""The ZGW client the service uses for the city's zaaksysteem: retries only what is safe to repeat,
a circuit breaker that stops asking a system that is down, and a kind 503 at the kiosk's look-up."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from queue_ticketing.services.zgw_http import CircuitBreaker, ZgwSession, ZgwUnavailable
from queue_ticketing.settings import Settings
from tests.conftest import Api
from tests.support.live_server import free_port


class FlakyZaaksysteem:
    """A loopback HTTP server answering with the statuses in ``answers`` in turn (then 200), counting calls."""

    def __init__(self, answers: list[int]) -> None:
        self.answers = answers
        self.calls: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _answer(self) -> None:
                outer.calls.append(self.command)
                status = outer.answers.pop(0) if outer.answers else 200
                data = json.dumps({"count": 0, "next": None, "previous": None, "results": []}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def flaky() -> Iterator[Callable[[list[int]], FlakyZaaksysteem]]:
    made: list[FlakyZaaksysteem] = []

    def make(answers: list[int]) -> FlakyZaaksysteem:
        made.append(FlakyZaaksysteem(answers))
        return made[-1]

    yield make
    for server in made:
        server.stop()


def _session(**kwargs: Any) -> ZgwSession:
    return ZgwSession("gastvrij", "a-secret-of-at-least-thirty-two-characters", sleep=lambda _: None, **kwargs)


def test_a_read_is_tried_again_after_a_503(flaky) -> None:  # type: ignore[no-untyped-def]
    server = flaky([503, 503])
    assert _session().get(f"{server.url}/zaken").status_code == 200
    assert server.calls == ["GET", "GET", "GET"]


def test_a_post_is_never_repeated_it_could_open_a_second_case(flaky) -> None:  # type: ignore[no-untyped-def]
    server = flaky([503])
    with pytest.raises(ZgwUnavailable):
        _session().request("POST", f"{server.url}/zaken", json={})
    assert server.calls == ["POST"]


def test_the_breaker_opens_after_failures_in_a_row_and_lets_one_trial_through_after_the_cooldown() -> None:
    now = [0.0]
    breaker = CircuitBreaker(threshold=3, cooldown=30, clock=lambda: now[0])
    for _ in range(3):
        assert breaker.allow()
        breaker.failed()
    assert breaker.is_open and not breaker.allow()
    now[0] = 31
    assert breaker.allow()  # the one trial
    assert not breaker.allow()  # the others wait for its outcome
    breaker.succeeded()
    assert not breaker.is_open and breaker.allow()


def test_an_open_breaker_answers_at_once_without_asking(flaky) -> None:  # type: ignore[no-untyped-def]
    server = flaky([500] * 10)
    session = _session(breaker=CircuitBreaker(threshold=2, cooldown=60), attempts=1)
    for _ in range(2):
        with pytest.raises(ZgwUnavailable):
            session.get(f"{server.url}/zaken")
    with pytest.raises(ZgwUnavailable, match="circuit open"):
        session.get(f"{server.url}/zaken")
    assert len(server.calls) == 2


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The service with a zaaksysteem that is down (nothing listens on its port)."""
    down = f"http://127.0.0.1:{free_port()}"
    return settings.model_copy(update={"zaken_api_url": f"{down}/zaken/api/v1",
                                       "catalogi_api_url": f"{down}/catalogi/api/v1", "zgw_client_id": "gastvrij",
                                       "zgw_client_secret": "a-secret-of-at-least-thirty-two-characters"})


def test_when_the_zaaksysteem_is_down_the_kiosk_hears_case_status_is_not_available_now(
        api: Api, make_token: Callable[..., str]) -> None:
    kiosk = make_token("kiosk", name="kiosk-1")
    body = {"identificatie": "ZAAK-2026-0000000001", "postcode": "3078 AK", "huisnummer": 16}
    for _ in range(6):  # more than the 5 failures a look-up may cost: the system being down costs none
        response = api.post("/api/v1/case-lookups", kiosk, body)
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "cases_unavailable"
        assert "not available right now" in response.json()["detail"]
        assert "3078" not in response.text and "ZAAK-2026" not in response.text
