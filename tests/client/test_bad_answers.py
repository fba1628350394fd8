"""Bad answers (HTML error pages, JSON cut off, 500s, answers slower than the timeout) give the
caller one clear exception within the time limit: never a hang, never a raw ``requests`` error."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from queue_ticketing.client import (
    BadResponse,
    Client,
    NotFound,
    Queued,
    RetryPolicy,
    ServerError,
    TimedOut,
    Timeouts,
)
from queue_ticketing.client.errors import ClientError
from tests.support.bad_server import BadServer
from tests.support.live_server import free_port

TIMEOUTS = Timeouts(connect=0.5, read=0.3, total=1.5)
RETRY = RetryPolicy(attempts=3, backoff=0.01, max_backoff=0.02)
LIMIT = TIMEOUTS.total + TIMEOUTS.read + 0.5
"""The longest any call may take: the whole-call deadline, plus at most one read timeout."""


@pytest.fixture
def bad() -> Iterator[BadServer]:
    server = BadServer().start()
    yield server
    server.stop()


@pytest.fixture
def client(bad: BadServer, tmp_path: Path) -> Iterator[Client]:
    kiosk = Client(bad.url, "some-token", tmp_path / "outbox.sqlite", timeouts=TIMEOUTS, retry=RETRY,
                   background=False)
    yield kiosk
    kiosk.close()


def timed(call):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value, time.monotonic() - started


@pytest.mark.parametrize(("kind", "error", "words"), [
    ("html_error", ServerError, "502 Bad Gateway"),
    ("html_ok", BadResponse, "text/html, not JSON"),
    ("cut_json", BadResponse, "broke off"),
    ("broken_json", BadResponse, "not complete JSON"),
    ("wrong_fields", BadResponse, "The queue has no"),
    ("server_error", ServerError, "Database on fire."),
    ("busy", ServerError, "Service Unavailable"),
    ("slow", TimedOut, "did not answer within"),
    ("trickle", TimedOut, "did not finish its answer"),
])
def test_a_bad_answer_to_a_read_is_one_clear_exception_in_time(bad: BadServer, client: Client, kind: str,
                                                                error: type[Exception], words: str) -> None:
    bad.answer_with(kind)
    failure, seconds = timed(lambda: client.queue("ijsselmonde"))
    assert type(failure) is error
    assert words in str(failure)
    assert seconds < LIMIT


@pytest.mark.parametrize("kind", ["html_error", "html_ok", "slow"])
def test_a_server_that_cannot_answer_turns_the_badge_offline(bad: BadServer, client: Client, kind: str) -> None:
    badge: list[bool] = []
    client.online.subscribe(badge.append)
    bad.answer_with(kind)
    timed(lambda: client.queue("ijsselmonde"))
    assert badge == [False]


@pytest.mark.parametrize("kind", ["html_error", "server_error", "busy", "cut_json"])
def test_failures_that_may_pass_are_retried_a_bounded_number_of_times(bad: BadServer, client: Client,
                                                                       kind: str) -> None:
    bad.answer_with(kind)
    timed(lambda: client.location("ijsselmonde"))
    assert bad.requests == RETRY.attempts


def test_a_refusal_is_not_retried_and_carries_the_problems_code(bad: BadServer, client: Client) -> None:
    bad.answer_with("problem_404")
    failure, _ = timed(lambda: client.ticket("abc"))
    assert isinstance(failure, NotFound)
    assert (failure.status, failure.code, failure.detail) == (404, "not_found", "There is no location 'x'.")
    assert bad.requests == 1
    assert client.online.value is True  # the server answered: it is reachable


@pytest.mark.parametrize("kind", ["html_error", "cut_json", "slow"])
def test_a_ticket_without_offline_numbers_fails_clearly_and_leaves_nothing_to_replay(
        bad: BadServer, client: Client, kind: str) -> None:
    bad.answer_with(kind)
    failure, seconds = timed(lambda: client.issue_ticket("ijsselmonde", "paspoort"))
    assert isinstance(failure, ServerError | BadResponse | TimedOut)
    assert seconds < LIMIT
    assert client.pending == 0
    assert client.outbox_counts() == {"abandoned": 1}  # kept for the record, never sent again


@pytest.mark.parametrize("kind", ["html_ok", "slow"])
def test_a_check_in_the_server_could_not_confirm_is_queued_for_replay(bad: BadServer, client: Client,
                                                                      kind: str) -> None:
    bad.answer_with(kind)
    started = time.monotonic()
    result = client.check_in("ijsselmonde", "ABCD1234")
    assert isinstance(result, Queued)
    assert time.monotonic() - started < LIMIT
    assert client.outcome(result.key).state == "pending"


def test_an_unreachable_server_is_offline_at_once(tmp_path: Path) -> None:
    with Client(f"http://127.0.0.1:{free_port()}", "token", tmp_path / "o.sqlite", timeouts=TIMEOUTS, retry=RETRY,
                background=False) as client:
        failure, seconds = timed(lambda: client.queue("ijsselmonde"))
    assert type(failure).__name__ == "Offline"
    assert not failure.maybe_delivered
    assert seconds < 1.0
