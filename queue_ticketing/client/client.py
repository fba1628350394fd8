"""The one way kiosks and robots talk to the central service.

Every state change gets an Idempotency-Key and is written to the outbox before it is sent; an
answer settles it, a refusal rejects it, and when the server cannot be reached it stays and is
replayed in order, with the same key, as soon as the server answers again. Offline, walk-in tickets
come from number blocks the server leased to this kiosk in advance.

    with Client("https://gastvrij.example", token, outbox_path="var/outbox.sqlite") as client:
        client.keep_offline_numbers("ijsselmonde")
        client.online.subscribe(show_badge)
        ticket = client.issue_ticket("ijsselmonde", "paspoort", language="en")   # online or offline
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from ..domain.cases import InvalidCaseReference
from ..domain.cases import case_reference as parse_case_reference
from ..domain.clock import Clock, system_clock
from ..domain.numbering import business_day, ticket_number
from .errors import ClientClosed, ClientError, NoOfflineNumbers, Rejected, rejection
from .models import (
    AssistRequest,
    CaseStatus,
    DeviceCommands,
    LocationInfo,
    NumberBlock,
    Outcome,
    PublicReaction,
    Queued,
    QueueOverview,
    SyncReport,
    Ticket,
)
from .observable import Observable
from .offline_numbers import OfflineStock, blocks_to_lease, days_to_stock
from .outbox import (
    ABANDONED,
    DONE,
    LEASE_BLOCK,
    PENDING,
    PUBLIC_REACTION,
    REJECTED,
    Entry,
    Outbox,
    OutOfNumbers,
    Request,
    action_topic,
)
from .sync import TRANSIENT, Claims, Replayer, SyncThread
from .transport import Answer, RetryPolicy, Timeouts, Transport

log = logging.getLogger(__name__)
T = TypeVar("T")

API = "/api/v1"
ISSUE_TICKET, OFFLINE_TICKET, CHECK_IN = "issue_ticket", "offline_ticket", "check_in"
ASSIST_REQUEST, DEVICE_STATUS = "assist_request", "device_status"
KEEP_SETTLED = timedelta(days=7)


def new_key() -> str:
    return str(uuid.uuid4())


def _path(*parts: str) -> str:
    return API + "".join("/" + quote(part, safe="") for part in parts)


class Client:
    """A kiosk's or robot's connection to the central service. Thread-safe; ``close()`` when done.

    ``online`` is an ``Observable[bool]`` for the offline badge: it turns False when a request
    cannot reach the server and True when one is answered again (the background thread checks
    ``/health`` while offline). Subscribers are called from the thread that noticed."""

    def __init__(self, base_url: str, token: str, outbox_path: str | Path | None = None, *,
                 clock: Clock = system_clock, timeouts: Timeouts = Timeouts(), retry: RetryPolicy = RetryPolicy(),
                 background: bool = True, sync_interval: float = 2.0, max_sync_interval: float = 30.0) -> None:
        self._clock = clock
        self._transport = Transport(base_url, token, timeouts=timeouts, retry=retry)
        probe_timeouts = Timeouts(connect=timeouts.connect, read=min(timeouts.read, 3.0),
                                  total=timeouts.connect + min(timeouts.read, 3.0))
        self._probe = Transport(base_url, None, timeouts=probe_timeouts, retry=RetryPolicy(attempts=1))
        self._outbox = Outbox(outbox_path)
        now = clock()
        self._outbox.forget_settled(now - KEEP_SETTLED)
        self._outbox.forget_blocks_before(business_day(now))
        self.online: Observable[bool] = Observable(True)
        self._claims = Claims()
        self._actions = _KeyLocks()
        self._stock: dict[str, OfflineStock] = {}
        self._walk_in: dict[str, tuple[str, ...]] = {}
        self._closed = False
        self._close_lock = threading.Lock()
        self._stopping = threading.Event()
        self._replayer = Replayer(self._outbox, self._transport, self.online, self._claims, clock)
        self._thread = SyncThread(self._background_pass, sync_interval, max_sync_interval) if background else None
        if self._thread is not None:
            self._thread.start()

    # ------------------------------------------------------------------------------ state changes

    def issue_ticket(self, location: str, service: str, language: str = "nl", priority: bool = False,
                     key: str | None = None, case_reference: str | None = None) -> Ticket:
        """A walk-in ticket. Online: the server's ticket. Offline (or when the server fails): an
        offline ticket (``offline=True``) with a number from this kiosk's leased block and the real
        issue time, handed in when the server answers again. Raises ``NoOfflineNumbers`` (an
        ``Offline``) when offline with no number left for this service today.

        ``key``: the caller's Idempotency-Key for one visitor action (a double tap, a retry, the same
        action after a restart on the same outbox). When the outbox knows it, no second ticket is
        made: the confirmed ticket comes back, the pending request is sent (again), or the offline
        ticket issued under it is returned.

        ``case_reference``: the case number the visit is about (``ZAAK-2026-0000000001``), for the
        clerk at the desk; it goes with the ticket online and offline, and is never on the ticket
        returned here (nor printed). Anything else raises ``Rejected`` (``invalid_case_reference``)
        at once, before a number is taken: an offline ticket must not be refused at its hand-in."""
        self._check_open()
        if case_reference is not None:
            try:
                case_reference = parse_case_reference(case_reference)
            except InvalidCaseReference as wrong:
                raise rejection(wrong.status, wrong.code, wrong.detail) from None
        wanted = _Wanted(location, service, language, priority, case_reference)
        if key is None:
            return self._issue_new(wanted, new_key())
        with self._actions.holding(key):
            found = self._outbox.find(key)
            if found is None:
                return self._issue_new(wanted, key)
            return self._issue_again(wanted, key, *found)

    def _issue_new(self, wanted: _Wanted, key: str) -> Ticket:
        if not self.online.value:
            return self._issue_offline(wanted, action_key=key)
        body: dict[str, Any] = {"service": wanted.service, "language": wanted.language, "priority": wanted.priority}
        if wanted.case_reference is not None:
            body["case_reference"] = wanted.case_reference
        request = Request(ISSUE_TICKET, "POST", _path("locations", wanted.location, "tickets"), body)
        with self._claims.holding(key):
            entry = self._outbox.add(key, request, self._clock())
            return self._issue_sending(entry, wanted)

    def _issue_sending(self, entry: Entry, wanted: _Wanted) -> Ticket:
        """Send an issue request (claimed by the caller); offline when that fails."""
        try:
            answer = self._send(entry)
        except TRANSIENT as failure:
            return self._issue_offline(wanted, replacing=entry, failure=failure, action_key=entry.key)
        return Ticket.from_json(answer.data, key=entry.key)

    def _issue_again(self, wanted: _Wanted, key: str, entry: Entry, outcome: Outcome) -> Ticket:
        if entry.action not in (ISSUE_TICKET, OFFLINE_TICKET):
            raise ValueError(f"the key {key} belongs to another action ({entry.action})")
        if outcome.state == REJECTED:
            raise rejection(outcome.status or 422, outcome.code or "rejected", outcome.detail or "")
        if outcome.state == DONE:
            return Ticket.from_json(outcome.answer, key=entry.key)
        if entry.action == OFFLINE_TICKET:  # not handed in yet: the same offline ticket
            body = json.loads(entry.body or b"{}")
            return Ticket(number=body["number"], location=wanted.location, service=wanted.service,
                          issued_at=datetime.fromisoformat(body["issued_at"]),
                          language=body.get("language", wanted.language), offline=True, channel="offline",
                          key=entry.key)
        if outcome.state == ABANDONED:  # it failed and had no offline number then: ask again, same key
            self._outbox.revive(entry.key)
        with self._claiming(entry.key):
            now_outcome = self._outbox.outcome(entry.key)
            if now_outcome is not None and now_outcome.state != PENDING:  # the replayer settled it meanwhile
                return self._issue_again(wanted, key, entry, now_outcome)
            return self._issue_sending(entry, wanted)

    def check_in(self, location: str, code: str, key: str | None = None) -> Ticket | Queued:
        """Check in with an appointment code: the appointment ticket, or ``Queued`` when the server
        cannot be reached (the check-in is sent when it can; see ``outcome``). ``key``: the caller's
        Idempotency-Key for this visitor action (see ``issue_ticket``)."""
        # The time the visitor checked in goes with it: sent later from the outbox, it is judged then.
        body = {"code": code, "made_at": self._clock().isoformat()}
        request = Request(CHECK_IN, "POST", _path("locations", location, "check-ins"), body)
        return self._change(request, lambda answer, key: Ticket.from_json(answer.data, key=key), key=key)

    def request_assist(self, location: str, reason: str = "visitor_needs_help", place: str | None = None,
                       note: str | None = None, key: str | None = None) -> AssistRequest | Queued:
        """Call a host. ``note`` is short and never personal data. ``key`` as for ``issue_ticket``."""
        body: dict[str, Any] = {"reason": reason}
        if place is not None:
            body["place"] = place
        if note is not None:
            body["note"] = note
        request = Request(ASSIST_REQUEST, "POST", _path("locations", location, "assist-requests"), body)
        return self._change(request, lambda answer, _: AssistRequest.from_json(answer.data), key=key)

    def submit_public_reaction(self, location: str, type: str, text: str, email: str | None = None,
                               language: str = "nl", key: str | None = None) -> PublicReaction | Queued:
        """Send a complaint, report or question (``type``: ``complaint``, ``report``, ``question``)
        with its text (at most 1,000 characters, stored as typed) and, if the visitor wants an answer,
        an e-mail address. Online: the case it became, whose ``identificatie`` the kiosk shows and
        prints. Offline: ``Queued``; it is sent once when the server answers again, and its case
        number is then in ``outcome(key).answer``. ``key`` as for ``issue_ticket``. The text and
        e-mail address wait in the outbox only until the server has answered."""
        body: dict[str, Any] = {"type": type, "text": text, "language": language}
        if email is not None:
            body["email"] = email
        request = Request(PUBLIC_REACTION, "POST", _path("locations", location, "public-reactions"), body)
        return self._change(request, lambda answer, key: PublicReaction.from_json(answer.data, key=key), key=key)

    def report_status(self, online: bool = True, battery_percent: int | None = None, printer: str | None = None,
                      detail: str | None = None, tablet: str | None = None) -> bool | Queued:
        """The device heartbeat (``POST /devices/me/status``). Offline only the latest one waits."""
        body: dict[str, Any] = {"online": online}
        for name, value in (("battery_percent", battery_percent), ("printer", printer), ("tablet", tablet),
                            ("detail", detail)):
            if value is not None:
                body[name] = value
        request = Request(DEVICE_STATUS, "POST", _path("devices", "me", "status"), body)
        return self._change(request, lambda answer, _: True, topic=DEVICE_STATUS, latest_only=True)

    def lease_block(self, location: str, service: str, size: int = 25, day: date | None = None) -> NumberBlock:
        """Lease a block of numbers for offline tickets now (``keep_offline_numbers`` does this by
        itself). A lease that cannot be sent stays in the outbox and is stored when it arrives."""
        self._check_open()
        request = self._lease_request(location, service, size, day or business_day(self._clock()))
        with self._claims.holding(new_key()) as key:
            entry = self._outbox.add(key, request, self._clock(), topic=_lease_topic(location, service, request))
            answer = self._send(entry)
        return NumberBlock.from_json(answer.data)

    # ---------------------------------------------------------------------------------------- reads

    def queue(self, location: str) -> QueueOverview:
        return QueueOverview.from_json(self._read(_path("locations", location, "queue")))

    def ticket(self, ticket_id: str) -> Ticket:
        return Ticket.from_json(self._read(_path("tickets", ticket_id)))

    def location(self, location: str) -> LocationInfo:
        return LocationInfo.from_json(self._read(_path("locations", location)))

    def case_lookup(self, identificatie: str, postcode: str, huisnummer: int, language: str = "nl") -> CaseStatus:
        """The status timeline of a case, for the visitor who gave its number, postcode and house
        number. Never queued and never retried: a look-up is only worth its answer now, and every
        failed try counts against the limit. Raises ``NotFound`` (the same for a wrong number and a
        wrong postcode), ``Rejected`` with code ``too_many_attempts``, or ``Offline``."""
        body = json.dumps({"identificatie": identificatie, "postcode": postcode, "huisnummer": huisnummer,
                           "language": language}).encode()
        return CaseStatus.from_json(self._read(_path("case-lookups"), method="POST", body=body))

    def device_commands(self, after: int | None = None) -> DeviceCommands:
        """This device's commands from the hosts (a robot: ``pause``, ``resume``) after the cursor
        ``after``, oldest first; without ``after`` only the latest one (the state to be in after a
        start). Ask again with the answer's ``last_id``."""
        query = f"?after={int(after)}" if after is not None else ""
        return DeviceCommands.from_json(self._read(_path("devices", "me", "commands") + query))

    # ---------------------------------------------------------------------------- offline numbers

    def keep_offline_numbers(self, location: str, services: list[str] | None = None, *, block_size: int = 25,
                             low_water: int = 10, tomorrow_from: time | None = time(16, 0)) -> None:
        """Keep numbers leased for offline tickets at this location (default: every walk-in
        service), topped up by the background sync (and by ``sync()``)."""
        self._stock[location] = OfflineStock(location, tuple(services) if services else None, block_size,
                                             low_water, tomorrow_from)
        self._wake()

    def offline_numbers_left(self, location: str, service: str) -> int:
        """Unused leased numbers for this service today."""
        return self._outbox.numbers_left(location, service, business_day(self._clock()))

    # --------------------------------------------------------------------------------------- outbox

    @property
    def pending(self) -> int:
        """State changes waiting in the outbox to be sent."""
        return self._outbox.pending_count()

    def outbox_counts(self) -> dict[str, int]:
        """Outbox entries per state (``pending``, ``done``, ``rejected``, ``abandoned``)."""
        return self._outbox.counts()

    def outcome(self, key: str) -> Outcome | None:
        """What became of a state change (by the key of a ``Queued`` result or an offline ticket)."""
        return self._outbox.outcome(key)

    def sync(self) -> SyncReport:
        """Drain the outbox now (in this thread), then top up the offline numbers."""
        self._check_open()
        report = self._replayer.drain(self._stopping)
        if report.stopped is None and self._top_up():
            more = self._replayer.drain(self._stopping)
            report = SyncReport(report.replayed + more.replayed, report.rejected + more.rejected, more.remaining,
                                report.seconds + more.seconds, more.stopped)
        return report

    def close(self, timeout: float = 10.0) -> None:
        """Stop the background thread (an answer being awaited is bounded by the timeouts) and close
        connections and the outbox. What is still pending stays on disk for the next start."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        self._stopping.set()
        self._transport.close()
        self._probe.close()
        if self._thread is not None:
            self._thread.stop(timeout)
        with self._replayer.turn():
            self._outbox.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------ internals

    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosed("The client is closed.")

    def _wake(self) -> None:
        if self._thread is not None:
            self._thread.wake()

    def _read(self, path: str, method: str = "GET", body: bytes | None = None) -> Any:
        self._check_open()
        try:
            answer = self._transport.request(method, path, body=body)
        except TRANSIENT:
            self._went_offline()
            raise
        except Rejected:
            self.online.set(True)
            raise
        self.online.set(True)
        return answer.data

    def _went_offline(self) -> None:
        if self.online.set(False):
            log.info("offline", extra={"fields": {"pending": self._outbox.pending_count()}})
        self._wake()

    def _send(self, entry: Entry) -> Answer:
        """Send one entry now (claimed by the caller) and settle it; on a failure that may pass it
        stays pending for the replayer."""
        try:
            answer = self._transport.request(entry.method, entry.path, body=entry.body, key=entry.key)
        except Rejected as refusal:
            self.online.set(True)
            self._outbox.reject(entry.key, refusal.status, refusal.code, refusal.detail, self._clock())
            raise
        except TRANSIENT:
            self._went_offline()
            raise
        self._outbox.settle(entry, answer.status, answer.data, self._clock())
        if self.online.set(True):
            log.info("online", extra={"fields": {"pending": self._outbox.pending_count()}})
        if self._outbox.pending_count():
            self._wake()
        return answer

    def _change(self, request: Request, parse: Callable[[Answer, str], T], *, topic: str | None = None,
                latest_only: bool = False, key: str | None = None) -> T | Queued:
        self._check_open()
        if key is None:
            return self._change_new(request, parse, new_key(), topic, latest_only)
        with self._actions.holding(key):
            found = self._outbox.find(key)
            if found is None:
                return self._change_new(request, parse, key, topic, latest_only)
            entry, outcome = found
            if entry.action != request.action:
                raise ValueError(f"the key {key} belongs to another action ({entry.action})")
            if outcome.state == PENDING and not self.online.value:
                self._wake()
                return Queued(key, request.action, entry.created_at)
            with self._claiming(key):
                outcome = self._outbox.outcome(key) or outcome
                if outcome.state == ABANDONED:
                    self._outbox.revive(key)
                elif outcome.state != PENDING:
                    return self._answered(outcome, parse)
                try:
                    answer = self._send(entry)
                except TRANSIENT as failure:
                    return Queued(key, request.action, entry.created_at, str(failure))
            return parse(answer, key)

    def _change_new(self, request: Request, parse: Callable[[Answer, str], T], key: str, topic: str | None,
                    latest_only: bool) -> T | Queued:
        now = self._clock()
        with self._claims.holding(key):
            entry = self._outbox.add(key, request, now, topic=topic, replace_pending_topic=latest_only)
            if not self.online.value:
                self._wake()
                return Queued(key, request.action, now)
            try:
                answer = self._send(entry)
            except TRANSIENT as failure:
                return Queued(key, request.action, now, str(failure))
        return parse(answer, key)

    @staticmethod
    def _answered(outcome: Outcome, parse: Callable[[Answer, str], T]) -> T:
        if outcome.state == REJECTED:
            raise rejection(outcome.status or 422, outcome.code or "rejected", outcome.detail or "")
        return parse(Answer(outcome.status or 200, outcome.answer, replayed=True), outcome.key)

    @contextmanager
    def _claiming(self, key: str) -> Iterator[None]:
        """Claim an outbox entry to send it now; when the replayer is sending it, wait for that drain."""
        while not self._claims.claim(key):
            with self._replayer.turn():
                continue  # the replayer held the key: its turn is over, so claiming can be tried again
        try:
            yield
        finally:
            self._claims.release(key)

    def _issue_offline(self, wanted: _Wanted, *, replacing: Entry | None = None, failure: ClientError | None = None,
                       action_key: str | None = None) -> Ticket:
        location, service, language = wanted.location, wanted.service, wanted.language
        may_have_arrived = bool(failure and failure.maybe_delivered)
        now = self._clock()
        day = business_day(now)

        def request_for(block: NumberBlock, sequence: int) -> Request:
            body: dict[str, Any] = {"number": ticket_number(block.letter, sequence), "issued_at": now.isoformat(),
                                    "language": language}
            if replacing is not None and may_have_arrived:
                body["supersedes"] = replacing.key  # if that request made a ticket, the server cancels it
            if wanted.case_reference is not None:
                body["case_reference"] = wanted.case_reference
            return Request(OFFLINE_TICKET, "POST", _path("locations", location, "number-blocks", block.block_id,
                                                         "tickets"), body)

        try:
            if wanted.priority:
                raise OutOfNumbers("priority")
            issue = self._outbox.issue_offline(location, service, day, new_key(), now, request_for,
                                               replacing=replacing.key if replacing else None,
                                               replaced_may_have_arrived=may_have_arrived,
                                               topic=action_topic(action_key) if action_key else None)
        except OutOfNumbers as out:
            if replacing is not None and out.reason == "priority":
                self._outbox.abandon(replacing.key, now, may_have_arrived=may_have_arrived)
            if failure is not None and out.reason == "none_leased" and location not in self._stock:
                raise failure from None  # this client does not issue offline at all: the real reason
            raise NoOfflineNumbers(service, out.reason) from failure
        self._wake()
        log.info("offline ticket", extra={"fields": {"service": service, "block": issue.block.block_id}})
        return Ticket(number=ticket_number(issue.block.letter, issue.sequence), location=location, service=service,
                      issued_at=now, language=language, offline=True, channel="offline", key=issue.entry.key)

    def _lease_request(self, location: str, service: str, size: int, day: date) -> Request:
        # The day is always in the body: a lease replayed on a later day is refused, not moved.
        return Request(LEASE_BLOCK, "POST", _path("locations", location, "number-blocks"),
                       {"service": service, "size": size, "business_day": day.isoformat()})

    def _top_up(self) -> bool:
        """Queue the leases the offline stock needs now; True when it queued any."""
        now = self._clock()
        today = business_day(now)
        queued = False
        for stock in list(self._stock.values()):
            services = stock.services or self._walk_in_services(stock.location)
            for day in days_to_stock(stock, now):
                for service in services:
                    request = self._lease_request(stock.location, service, stock.block_size, day)
                    topic = _lease_topic(stock.location, service, request)
                    wanted = blocks_to_lease(stock, day, today, self._outbox.numbers_left(stock.location, service, day),
                                             self._outbox.pending_with_topic(topic))
                    for _ in range(wanted):
                        self._outbox.add(new_key(), request, now, topic=topic)
                        queued = True
        return queued

    def _walk_in_services(self, location: str) -> tuple[str, ...]:
        if location not in self._walk_in:
            try:
                info = self.location(location)
            except ClientError:
                return ()
            self._walk_in[location] = tuple(s.id for s in info.services if s.walk_in)
        return self._walk_in[location]

    def _background_pass(self) -> bool:
        if self._stopping.is_set():
            return True
        if not self.online.value:
            try:
                self._probe.request("GET", _path("health"))
            except ClientError:
                return False
            self.online.set(True)
        try:
            report = self.sync()
        except ClientClosed:
            return True
        return report.stopped is None


@dataclass(frozen=True)
class _Wanted:
    """The ticket a visitor asked for, as ``issue_ticket`` was called."""

    location: str
    service: str
    language: str
    priority: bool
    case_reference: str | None = None


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


def _lease_topic(location: str, service: str, request: Request) -> str:
    assert request.body is not None
    return f"lease:{location}:{service}:{request.body['business_day']}"
