"""Group commit: requests that are ready together share one transaction, yet each is
answered as if it had run alone: a failing one is rolled back alone, a repeated Idempotency-Key
in the same batch is replayed, and the events get consecutive ids, announced after the commit."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from queue_ticketing.domain.errors import NotFound
from queue_ticketing.domain.tickets import Channel
from queue_ticketing.services import tickets as use_cases
from queue_ticketing.services.context import ServiceContext
from queue_ticketing.services.group_commit import UnitOfWork
from queue_ticketing.services.idempotency import Answer, Once, run_once
from queue_ticketing.store.database import Database
from queue_ticketing.store.events import StoredEvent
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.schema import tickets


@pytest.fixture
def ctx(database_url: str, locations, clock):  # type: ignore[no-untyped-def]
    db = Database(database_url)
    upgrade(db)
    yield ServiceContext(db=db, locations=locations, clock=clock)
    db.dispose()


def _issue(ctx: ServiceContext, service: str, key: str) -> Any:
    location = ctx.location("ijsselmonde")

    def issue(uow: UnitOfWork) -> Answer:
        view = use_cases.issue_ticket(ctx, uow, location, service, language="nl", channel=Channel.KIOSK,
                                      priority=False, device_id="kiosk-1")
        return Answer(201, json.dumps({"id": view.ticket.id, "number": view.ticket.number,
                                       "position": view.position}))

    return run_once(ctx.group_commit, Once("kiosk-1", key, f"/tickets {service}"), issue)


def test_requests_ready_together_are_answered_as_if_each_ran_alone(ctx: ServiceContext) -> None:
    announced: list[list[StoredEvent]] = []
    ctx.db.after_commit.append(announced.append)
    batches = []
    original = ctx.group_commit._write

    def counting_write(batch: list[Any]) -> Any:
        batches.append(len(batch))
        return original(batch)

    ctx.group_commit._write = counting_write  # type: ignore[method-assign]

    async def together() -> list[Any]:
        return await asyncio.gather(
            _issue(ctx, "paspoort", "a"), _issue(ctx, "no-such-service", "b"), _issue(ctx, "paspoort", "a"),
            _issue(ctx, "rijbewijs", "c"), return_exceptions=True)

    first, unknown, again, other = asyncio.run(together())
    assert batches == [4]  # one transaction for the four
    assert first.status == 201 and json.loads(first.body)["position"] == 1 and not first.replayed
    assert isinstance(unknown, NotFound)
    assert again.replayed and again.body == first.body
    assert other.status == 201
    with ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(tickets)).scalar_one() == 2
    [events] = announced  # once, after the commit
    assert [e.type for e in events] == ["ticket.issued", "queue.changed"] * 2
    assert [e.id for e in events] == [1, 2, 3, 4]
    assert json.loads(events[-1].data)["waiting"] == {"paspoort": 1, "rijbewijs": 1}


def test_a_request_alone_is_written_at_once(ctx: ServiceContext) -> None:
    answer = asyncio.run(_issue(ctx, "paspoort", "a"))
    assert answer.status == 201
    with ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(tickets)).scalar_one() == 1


def test_a_batch_whose_transaction_is_lost_fails_whole(ctx: ServiceContext) -> None:
    def lose_the_transaction(uow: UnitOfWork) -> Answer:
        uow.conn.connection.driver_connection.execute("ROLLBACK")  # as SQLite does on a full disk
        raise OSError("disk full")

    async def together() -> list[Any]:
        return await asyncio.gather(
            _issue(ctx, "paspoort", "a"), run_once(ctx.group_commit, Once("kiosk-1", "b", "/broken"),
                                                   lose_the_transaction),
            _issue(ctx, "rijbewijs", "c"), return_exceptions=True)

    first, broken, last = asyncio.run(together())
    assert isinstance(first, OSError) and isinstance(broken, OSError) and isinstance(last, OSError)
    with ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(tickets)).scalar_one() == 0
    assert asyncio.run(_issue(ctx, "paspoort", "a")).status == 201  # and the writer goes on
