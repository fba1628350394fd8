"""Every state change exactly once: the core that a double ticket would have to get past.

A state change is written to the outbox under its Idempotency-Key before it is sent, and settled
by the server's answer. A caller that passes its own key for a visitor action (a double tap, a
retry, the same action after a restart on the same outbox) goes through ``Issuer.once``, the one
place that resumes an action by its key: a settled action answers as it was settled, a pending one
is sent again (or left to the outbox's replay), a new one starts.

Walk-in tickets have one more way out: when the server cannot be reached, the ticket comes from a
number leased to this kiosk (``issue_offline``), and the online request it replaces is abandoned in
the same outbox transaction, so a visitor gets one ticket, online or offline, never two.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from ..domain.clock import Clock
from ..domain.numbering import business_day, ticket_number
from .errors import ClientError, NoOfflineNumbers, Rejected, rejection
from .models import NumberBlock, Outcome, Queued, Ticket
from .observable import Observable
from .offline_numbers import NumberKeeper
from .outbox import ABANDONED, OFFLINE_TICKET, PENDING, REJECTED, Entry, Outbox, OutOfNumbers, Request, action_topic
from .sync import TRANSIENT, Claims, Replayer
from .transport import Answer, Transport, api_path

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

ISSUE_TICKET = "issue_ticket"
TICKET_ACTIONS = (ISSUE_TICKET, OFFLINE_TICKET)
"""A walk-in ticket is asked for online; the offline ticket that may replace it answers the same key."""


def new_key() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class WantedTicket:
    """The walk-in ticket a visitor asked for."""

    location: str
    service: str
    language: str
    priority: bool
    case_reference: str | None = None
    services: tuple[str, ...] = ()
    """The visit's services in order, ``service`` first; left out: ``service`` alone."""

    @property
    def visit(self) -> tuple[str, ...]:
        return self.services or (self.service,)

    def request(self) -> Request:
        body: dict[str, Any] = {"language": self.language, "priority": self.priority}
        if len(self.visit) > 1:
            body["services"] = list(self.visit)
        else:  # one service as ever: servers before several services per visit take it too
            body["service"] = self.service
        if self.case_reference is not None:
            body["case_reference"] = self.case_reference
        return Request(ISSUE_TICKET, "POST", api_path("locations", self.location, "tickets"), body)


class Issuer:
    """Sends state changes through the outbox, once per key. Thread-safe.

    ``online`` is the client's badge: a request that cannot reach the server turns it False (and
    ``wake`` starts the replay that probes for the server), an answer turns it True."""

    def __init__(self, outbox: Outbox, transport: Transport, online: Observable[bool], claims: Claims,
                 replayer: Replayer, numbers: NumberKeeper, clock: Clock, wake: Callable[[], None]) -> None:
        self._outbox = outbox
        self._transport = transport
        self._online = online
        self._claims = claims
        self._replayer = replayer
        self._numbers = numbers
        self._clock = clock
        self._wake = wake
        self._actions = _KeyLocks()

    # ------------------------------------------------------------------------- once per key

    def once(self, key: str | None, actions: Collection[str], *, start: Callable[[str], R],
             answered: Callable[[Answer, str], R], held: Callable[[Entry], R | None],
             send: Callable[[Entry], R]) -> R:
        """Run the visitor action ``key`` once. Without a key, or with one the outbox does not know,
        ``start(key)`` writes and sends it. A known key resumes what its entry reached: settled, the
        kept answer (``answered``) or refusal; abandoned after a failure, asked again under the same
        key; pending, ``held(entry)`` may answer without sending (an offline ticket waiting to be
        handed in, a change queued while offline), else it is sent now (``send``), after any replay
        that has it in flight. The key's entry must be one of ``actions``."""
        if key is None:
            return start(new_key())
        with self._actions.holding(key):
            found = self._outbox.find(key)
            if found is None:
                return start(key)
            entry, outcome = found
            if entry.action not in actions:
                raise ValueError(f"the key {key} belongs to another action ({entry.action})")
            if outcome.state == PENDING:
                waiting = held(entry)
                if waiting is not None:
                    return waiting
            elif outcome.state != ABANDONED:
                return _settled(outcome, answered)
            with self._claiming(entry.key):
                outcome = self._outbox.outcome(entry.key) or outcome
                if outcome.state == ABANDONED:  # it failed and the caller was told: it asks again
                    self._outbox.revive(entry.key)
                elif outcome.state != PENDING:  # the replay settled it meanwhile
                    return _settled(outcome, answered)
                return send(entry)

    def change(self, request: Request, parse: Callable[[Answer, str], T], *, key: str | None = None,
               topic: str | None = None, latest_only: bool = False) -> T | Queued:
        """A state change: the parsed answer, or ``Queued`` while the server cannot be reached."""

        def send(entry: Entry) -> T | Queued:
            try:
                answer = self.send(entry)
            except TRANSIENT as failure:
                return Queued(entry.key, entry.action, entry.created_at, str(failure))
            return parse(answer, entry.key)

        def start(new: str) -> T | Queued:
            with self._claims.holding(new):
                entry = self._outbox.add(new, request, self._clock(), topic=topic, replace_pending_topic=latest_only)
                if not self._online.value:
                    self._wake()
                    return Queued(new, entry.action, entry.created_at)
                return send(entry)

        def held(entry: Entry) -> T | Queued | None:
            if self._online.value:
                return None
            self._wake()
            return Queued(entry.key, entry.action, entry.created_at)

        return self.once(key, (request.action,), start=start, answered=parse, held=held, send=send)

    def issue(self, wanted: WantedTicket, key: str | None = None) -> Ticket:
        """A walk-in ticket: the server's, or an offline one when it cannot be reached."""

        def start(new: str) -> Ticket:
            if not self._online.value:
                return self.issue_offline(wanted, action_key=new)
            with self._claims.holding(new):
                return send(self._outbox.add(new, wanted.request(), self._clock()))

        def send(entry: Entry) -> Ticket:
            try:
                answer = self.send(entry)
            except TRANSIENT as failure:
                return self.issue_offline(wanted, replacing=entry, failure=failure, action_key=entry.key)
            return Ticket.from_json(answer.data, key=entry.key)

        def held(entry: Entry) -> Ticket | None:
            if entry.action != OFFLINE_TICKET:
                return None
            body = json.loads(entry.body or b"{}")  # not handed in yet: the same offline ticket
            return Ticket(number=body["number"], location=wanted.location, service=wanted.service,
                          services=wanted.visit, issued_at=datetime.fromisoformat(body["issued_at"]),
                          language=body.get("language", wanted.language), offline=True, channel="offline",
                          key=entry.key)

        return self.once(key, TICKET_ACTIONS, start=start, answered=_ticket, held=held, send=send)

    def send_now(self, request: Request, *, topic: str | None = None) -> Answer:
        """Write a new entry and send it at once; when that fails it stays for the replay."""
        with self._claims.holding(new_key()) as key:
            return self.send(self._outbox.add(key, request, self._clock(), topic=topic))

    # ------------------------------------------------------------------------------ sending

    def send(self, entry: Entry) -> Answer:
        """Send one entry now (claimed by the caller) and settle it; on a failure that may pass it
        stays pending for the replay."""
        try:
            answer = self._transport.request(entry.method, entry.path, body=entry.body, key=entry.key)
        except Rejected as refusal:
            self._online.set(True)
            self._outbox.reject(entry.key, refusal.status, refusal.code, refusal.detail, self._clock())
            raise
        except TRANSIENT:
            self.went_offline()
            raise
        self._outbox.settle(entry, answer.status, answer.data, self._clock())
        if self._online.set(True):
            log.info("online", extra={"fields": {"pending": self._outbox.pending_count()}})
        if self._outbox.pending_count():
            self._wake()
        return answer

    def went_offline(self) -> None:
        if self._online.set(False):
            log.info("offline", extra={"fields": {"pending": self._outbox.pending_count()}})
        self._wake()

    @contextmanager
    def _claiming(self, key: str) -> Iterator[None]:
        """Claim an outbox entry to send it now; when the replay is sending it, wait for that drain."""
        while not self._claims.claim(key):
            with self._replayer.turn():
                continue  # the replay held the key: its turn is over, so claiming can be tried again
        try:
            yield
        finally:
            self._claims.release(key)

    # ----------------------------------------------------------------------- offline tickets

    def issue_offline(self, wanted: WantedTicket, *, replacing: Entry | None = None,
                      failure: ClientError | None = None, action_key: str | None = None) -> Ticket:
        """A ticket from this kiosk's leased numbers, handed in when the server answers again.
        ``replacing``: the online request that failed; it is abandoned in the same transaction, and
        when it may have reached the server the offline ticket supersedes what it made."""
        location, service, language = wanted.location, wanted.service, wanted.language
        may_have_arrived = bool(failure and failure.maybe_delivered)
        now = self._clock()

        def request_for(block: NumberBlock, sequence: int) -> Request:
            body: dict[str, Any] = {"number": ticket_number(block.letter, sequence), "issued_at": now.isoformat(),
                                    "language": language}
            if replacing is not None and may_have_arrived:
                body["supersedes"] = replacing.key  # if that request made a ticket, the server cancels it
            if wanted.case_reference is not None:
                body["case_reference"] = wanted.case_reference
            if len(wanted.visit) > 1:
                body["services"] = list(wanted.visit)
            return Request(OFFLINE_TICKET, "POST",
                           api_path("locations", location, "number-blocks", block.block_id, "tickets"), body)

        try:
            if wanted.priority:
                raise OutOfNumbers("priority")
            issue = self._outbox.issue_offline(location, service, business_day(now), new_key(), now, request_for,
                                               replacing=replacing.key if replacing else None,
                                               replaced_may_have_arrived=may_have_arrived,
                                               topic=action_topic(action_key) if action_key else None)
        except OutOfNumbers as out:
            if replacing is not None and out.reason == "priority":
                self._outbox.abandon(replacing.key, now, may_have_arrived=may_have_arrived)
            if failure is not None and out.reason == "none_leased" and not self._numbers.keeps(location):
                raise failure from None  # this client does not issue offline at all: the real reason
            raise NoOfflineNumbers(service, out.reason) from failure
        self._wake()
        log.info("offline ticket", extra={"fields": {"service": service, "block": issue.block.block_id}})
        return Ticket(number=ticket_number(issue.block.letter, issue.sequence), location=location, service=service,
                      services=wanted.visit, issued_at=now, language=language, offline=True, channel="offline",
                      key=issue.entry.key)


def _ticket(answer: Answer, key: str) -> Ticket:
    return Ticket.from_json(answer.data, key=key)


def _settled(outcome: Outcome, answered: Callable[[Answer, str], R]) -> R:
    """The kept answer of a settled entry, or its refusal raised again."""
    if outcome.state == REJECTED:
        raise rejection(outcome.status or 422, outcome.code or "rejected", outcome.detail or "")
    return answered(Answer(outcome.status or 200, outcome.answer, replayed=True), outcome.key)


class _KeyLocks:
    """One lock per caller action key in use: the same visitor action from two threads runs once."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[threading.Lock, int]] = {}
        self._guard = threading.Lock()

    @contextmanager
    def holding(self, key: str) -> Iterator[None]:
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)
