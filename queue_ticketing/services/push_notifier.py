"""Pushes to waiting visitors, from the committed events: "nearly your turn", called, called again,
sent on to another service. Never inside a request's transaction and never in the way of the queue:
the notifier follows each location's event stream like a display does, claims each push in the
database (so one server process of several sends it), and hands it to a few sender tasks through a
bounded queue. A push service that answers 404 or 410 has forgotten the browser: the subscription
goes. Other failures are tried again after 1, 5 and 30 seconds, then given up (logged)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from location_config import Location

from ..domain.numbering import business_day
from ..domain.push import PushKind, PushMessage, message
from ..store.events import StoredEvent
from ..store.push import PushSubscription
from ..store.unit_of_work import UnitOfWork
from .context import ServiceContext
from .tickets import ticket_view

log = logging.getLogger(__name__)

RETRY_AFTER = (1.0, 5.0, 30.0)
QUEUE_LIMIT = 1000
SENDERS = 4
GONE = {404, 410}
ENDED = {"done", "no_show", "cancelled"}


class Sender(Protocol):
    def send(self, subscription: PushSubscription, payload: bytes) -> int:
        """Deliver one encrypted push; the push service's HTTP status (0: it could not be reached)."""
        ...


class EventSource(Protocol):
    async def last_id(self, location: str) -> int: ...

    def stream(self, location: str, after: int, hosts: bool, heartbeat: float, *,
               counted: bool = True) -> AsyncIterator[list[StoredEvent]]: ...


Translate = Callable[[str], Callable[[str], str]]
"""Language -> its gettext."""


@dataclass(frozen=True)
class Outgoing:
    subscription: PushSubscription
    message: PushMessage
    attempt: int = 0


class PushNotifier:
    def __init__(self, ctx: ServiceContext, events: EventSource, sender: Sender, translate: Translate,
                 heartbeat: float = 30.0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.ctx = ctx
        self.events = events
        self.sender = sender
        self.translate = translate
        self.heartbeat = heartbeat
        self.sleep = sleep
        self.outbox: asyncio.Queue[Outgoing] = asyncio.Queue(QUEUE_LIMIT)
        self._tasks: set[asyncio.Task[None]] = set()
        self.sent = 0
        self.failed = 0

    def start(self) -> None:
        for location in self.ctx.locations:
            self._spawn(self._follow(location))
        for _ in range(SENDERS):
            self._spawn(self._send_forever())

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _spawn(self, work: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _follow(self, location: str) -> None:
        after = await self.events.last_id(location)
        while True:
            try:
                async for events in self.events.stream(location, after, False, self.heartbeat, counted=False):
                    if events:
                        after = events[-1].id
                        await self.handle(location, events)
                return  # the bus closed: the server is stopping
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup: go on from the last event seen
                log.warning("push notifier for %s stopped by an error; going on", location, exc_info=True)
                await self.sleep(1.0)

    async def handle(self, location_id: str, events: Sequence[StoredEvent]) -> None:
        """Turn a location's new events into pushes for the tickets that have subscriptions."""
        today = business_day(self.ctx.now())

        def subscriptions() -> list[PushSubscription]:
            with self.ctx.read() as stores:
                return stores.push.at_location(location_id, today)

        subscribed = await asyncio.to_thread(subscriptions)
        if not subscribed:
            return
        location = self.ctx.location(location_id)
        by_number: dict[str, list[PushSubscription]] = defaultdict(list)
        for subscription in subscribed:
            by_number[subscription.number].append(subscription)
        queue_moved = False
        for event in events:
            if event.type == "queue.changed":
                queue_moved = True
                continue
            data = _data(event)
            mine = by_number.get(str(data.get("number", "")), [])
            if not mine:
                continue
            if event.type in ("ticket.called", "ticket.recalled"):
                kind = PushKind.CALLED if event.type == "ticket.called" else PushKind.RECALLED
                desk = data.get("desk_number")
                await self._claimed_push(mine, event.id, kind, desk=desk if isinstance(desk, int) else None)
            elif event.type == "ticket.updated" and data.get("status") in ENDED:
                await self.ctx.write(lambda uow, ticket=mine[0].ticket_id: uow.push.remove_ticket(ticket))
                by_number.pop(mine[0].number, None)
            elif (event.type == "ticket.updated" and data.get("status") == "waiting"
                  and data.get("service") not in (None, mine[0].service)):
                # sent on: a transfer, or the visit's next service. The "nearly your turn" push is
                # due again in the new queue, within this same batch of events.
                by_number[mine[0].number] = await self._transferred(location, mine, event.id, str(data["service"]))
                queue_moved = True
        if queue_moved:
            await self._near(location.notify_when_ahead, [s for group in by_number.values() for s in group])

    async def _transferred(self, location: Location, subscriptions: Sequence[PushSubscription], event_id: int,
                           service_id: str) -> list[PushSubscription]:
        """Follow the ticket into another service's queue (a transfer, or its visit's next service):
        "your next step" now, and one "nearly your turn" again there. The subscriptions as they are now."""
        offer = location.service(service_id)
        ticket = subscriptions[0].ticket_id
        await self.ctx.write(lambda uow: uow.push.follow_service(ticket, service_id))

        def name(language: str) -> str:
            return offer.name(language) if offer else service_id

        await self._claimed_push(subscriptions, event_id, PushKind.TRANSFERRED, service=name)
        return [replace(s, service=service_id, near_sent=False) for s in subscriptions]

    async def _claimed_push(self, subscriptions: Sequence[PushSubscription], event_id: int, kind: PushKind,
                            desk: int | None = None, service: Callable[[str], str] | None = None) -> None:
        for subscription in subscriptions:
            def claim(uow: UnitOfWork, sid: str = subscription.id) -> bool:
                return uow.push.claim_event(sid, event_id)

            if await self.ctx.write(claim):
                language = subscription.language
                self._enqueue(Outgoing(subscription, message(kind, subscription.number, self.translate(language),
                                                             desk=desk, service=service(language) if service else "")))

    async def _near(self, when_ahead: int, subscriptions: Sequence[PushSubscription]) -> None:
        waiting = [s for s in subscriptions if not s.near_sent]
        if not waiting:
            return

        def ahead_of_each() -> dict[str, int | None]:
            ahead: dict[str, int | None] = {}
            for subscription in waiting:
                try:
                    view = ticket_view(self.ctx, subscription.ticket_id)
                except Exception:  # the ticket is gone: nothing to tell
                    ahead[subscription.id] = None
                    continue
                ahead[subscription.id] = view.position - 1 if view.ticket.is_waiting else None
            return ahead

        ahead = await asyncio.to_thread(ahead_of_each)
        for subscription in waiting:
            people = ahead.get(subscription.id)
            if people is None or people > when_ahead:
                continue

            def claim(uow: UnitOfWork, sid: str = subscription.id) -> bool:
                return uow.push.claim_near(sid)

            if await self.ctx.write(claim):
                self._enqueue(Outgoing(subscription, message(PushKind.NEAR, subscription.number,
                                                             self.translate(subscription.language))))

    def _enqueue(self, outgoing: Outgoing) -> None:
        try:
            self.outbox.put_nowait(outgoing)
        except asyncio.QueueFull:
            self.failed += 1
            log.warning("push outbox full: a %s push is dropped", outgoing.message.kind.value)

    async def _send_forever(self) -> None:
        while True:
            outgoing = await self.outbox.get()
            await self._send(outgoing)

    async def _send(self, outgoing: Outgoing) -> None:
        payload = json.dumps(outgoing.message.payload(), ensure_ascii=False).encode()
        status = await asyncio.to_thread(self.sender.send, outgoing.subscription, payload)
        if 200 <= status < 300:
            self.sent += 1
            return
        if status in GONE:
            await self.ctx.write(lambda uow: uow.push.remove(outgoing.subscription.id))
            return
        if outgoing.attempt >= len(RETRY_AFTER):
            self.failed += 1
            log.warning("a %s push failed %d times (last answer %s); given up", outgoing.message.kind.value,
                        outgoing.attempt + 1, status or "unreachable")
            return
        self._spawn(self._retry(outgoing))

    async def _retry(self, outgoing: Outgoing) -> None:
        await self.sleep(RETRY_AFTER[outgoing.attempt])
        self._enqueue(Outgoing(outgoing.subscription, outgoing.message, outgoing.attempt + 1))


def _data(event: StoredEvent) -> dict[str, Any]:
    data = json.loads(event.data) if isinstance(event.data, str) else event.data
    return data if isinstance(data, dict) else {}
