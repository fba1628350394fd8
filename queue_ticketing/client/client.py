"""The one way kiosks and robots talk to the central service.

Every state change gets an Idempotency-Key and is written to the outbox before it is sent; an
answer settles it, a refusal rejects it, and when the server cannot be reached it stays and is
replayed in order, with the same key, as soon as the server answers again. Offline, walk-in tickets
come from number blocks the server leased to this kiosk in advance.

This module is the typed API; ``issuing.py`` runs each state change once per key (and issues
offline tickets), ``offline_numbers.py`` keeps the leased numbers topped up, ``outbox.py`` holds
both on disk and ``sync.py`` replays the outbox.

    with Client("https://gastvrij.example", token, outbox_path="var/outbox.sqlite") as client:
        client.keep_offline_numbers("ijsselmonde")
        client.online.subscribe(show_badge)
        ticket = client.issue_ticket("ijsselmonde", "paspoort", language="en")   # online or offline
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from ..domain.cases import InvalidCaseReference
from ..domain.cases import case_reference as parse_case_reference
from ..domain.clock import Clock, system_clock
from ..domain.numbering import business_day
from .errors import BadResponse, ClientClosed, ClientError, Rejected, rejection
from .issuing import Issuer, WantedTicket, new_key
from .models import (
    Appointment,
    AssistRequest,
    CaseStatus,
    DeviceCommands,
    LocationInfo,
    NumberBlock,
    Outcome,
    PublicReaction,
    Queued,
    QueueOverview,
    Slots,
    SyncReport,
    Ticket,
)
from .observable import Observable
from .offline_numbers import NumberKeeper, OfflineStock, lease_request, lease_topic
from .outbox import PUBLIC_REACTION, Outbox, Request
from .sync import TRANSIENT, Claims, Replayer, SyncThread
from .transport import Answer, RetryPolicy, Timeouts, Transport, api_path

CHECK_IN, ASSIST_REQUEST, DEVICE_STATUS = "check_in", "assist_request", "device_status"
KEEP_SETTLED = timedelta(days=7)
T = TypeVar("T")


class Client:
    """A kiosk's or robot's connection to the central service. Thread-safe; ``close()`` when done.

    ``online`` is an ``Observable[bool]`` for the offline badge: it turns False when a request
    cannot reach the server and True when one is answered again (the background thread checks
    ``/health`` while offline). Subscribers are called from the thread that noticed."""

    def __init__(self, base_url: str, token: str, outbox_path: str | Path | None = None, *,
                 clock: Clock = system_clock, timeouts: Timeouts = Timeouts(), retry: RetryPolicy = RetryPolicy(),
                 background: bool = True, sync_interval: float = 2.0, max_sync_interval: float = 30.0,
                 heartbeat_seconds: float | None = None) -> None:
        self._clock = clock
        self._heartbeat = timedelta(seconds=heartbeat_seconds) if heartbeat_seconds else None
        """How often the background thread reports this device's status while online (the alerts
        call a kiosk or robot silent after 5 minutes); None: only when the caller reports."""
        self._last_heartbeat: datetime | None = None
        self._transport = Transport(base_url, token, timeouts=timeouts, retry=retry)
        probe_timeouts = Timeouts(connect=timeouts.connect, read=min(timeouts.read, 3.0),
                                  total=timeouts.connect + min(timeouts.read, 3.0))
        self._probe = Transport(base_url, None, timeouts=probe_timeouts, retry=RetryPolicy(attempts=1))
        self._outbox = Outbox(outbox_path)
        now = clock()
        self._outbox.forget_settled(now - KEEP_SETTLED)
        self._outbox.forget_blocks_before(business_day(now))
        self.online: Observable[bool] = Observable(True)
        self._closed = False
        self._close_lock = threading.Lock()
        self._stopping = threading.Event()
        claims = Claims()
        self._replayer = Replayer(self._outbox, self._transport, self.online, claims, clock)
        self._numbers = NumberKeeper(self._outbox, clock, self._walk_in_services, new_key)
        self._issuer = Issuer(self._outbox, self._transport, self.online, claims, self._replayer, self._numbers,
                              clock, self._wake)
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
        return self._issuer.issue(WantedTicket(location, service, language, priority, case_reference), key)

    def check_in(self, location: str, code: str, key: str | None = None) -> Ticket | Queued:
        """Check in with an appointment code: the appointment ticket, or ``Queued`` when the server
        cannot be reached (the check-in is sent when it can; see ``outcome``). ``key``: the caller's
        Idempotency-Key for this visitor action (see ``issue_ticket``)."""
        # The time the visitor checked in goes with it: sent later from the outbox, it is judged then.
        body = {"code": code, "made_at": self._clock().isoformat()}
        request = Request(CHECK_IN, "POST", api_path("locations", location, "check-ins"), body)
        return self._change(request, lambda answer, key: Ticket.from_json(answer.data, key=key), key=key)

    def request_assist(self, location: str, reason: str = "visitor_needs_help", place: str | None = None,
                       note: str | None = None, key: str | None = None) -> AssistRequest | Queued:
        """Call a host. ``note`` is short and never personal data. ``key`` as for ``issue_ticket``."""
        body: dict[str, Any] = {"reason": reason}
        if place is not None:
            body["place"] = place
        if note is not None:
            body["note"] = note
        request = Request(ASSIST_REQUEST, "POST", api_path("locations", location, "assist-requests"), body)
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
        request = Request(PUBLIC_REACTION, "POST", api_path("locations", location, "public-reactions"), body)
        return self._change(request, lambda answer, key: PublicReaction.from_json(answer.data, key=key), key=key)

    def report_status(self, online: bool = True, battery_percent: int | None = None, printer: str | None = None,
                      detail: str | None = None, tablet: str | None = None) -> bool | Queued:
        """The device heartbeat (``POST /devices/me/status``). Offline only the latest one waits."""
        body: dict[str, Any] = {"online": online}
        for name, value in (("battery_percent", battery_percent), ("printer", printer), ("tablet", tablet),
                            ("detail", detail)):
            if value is not None:
                body[name] = value
        request = Request(DEVICE_STATUS, "POST", api_path("devices", "me", "status"), body)
        return self._change(request, lambda answer, _: True, topic=DEVICE_STATUS, latest_only=True)

    def lease_block(self, location: str, service: str, size: int = 25, day: date | None = None) -> NumberBlock:
        """Lease a block of numbers for offline tickets now (``keep_offline_numbers`` does this by
        itself). A lease that cannot be sent stays in the outbox and is stored when it arrives."""
        self._check_open()
        day = day or business_day(self._clock())
        answer = self._issuer.send_now(lease_request(location, service, size, day),
                                       topic=lease_topic(location, service, day))
        return NumberBlock.from_json(answer.data)

    # ---------------------------------------------------------------------------------------- reads

    def queue(self, location: str) -> QueueOverview:
        return QueueOverview.from_json(self._read(api_path("locations", location, "queue")))

    def ticket(self, ticket_id: str) -> Ticket:
        return Ticket.from_json(self._read(api_path("tickets", ticket_id)))

    def location(self, location: str) -> LocationInfo:
        return LocationInfo.from_json(self._read(api_path("locations", location)))

    def slot_days(self, location: str, service: str) -> tuple[date, ...]:
        """The days with a free appointment slot for ``service``, from today to the booking horizon.
        Raises ``Rejected`` with code ``booked_elsewhere`` (its ``problem`` has the ``booking_url``)
        where the city books on its website, or ``Offline``: booking needs the connection."""
        data = self._read(api_path("locations", location, "slot-days") + "?" + urlencode({"service": service}))
        days = data.get("days") if isinstance(data, dict) else None
        if not isinstance(days, list):
            raise BadResponse("The slot days carry no list of days.")
        try:
            return tuple(date.fromisoformat(str(day)) for day in days)
        except ValueError:
            raise BadResponse("A slot day is not a date.") from None

    def slots(self, location: str, service: str, day: date | None = None, after: datetime | None = None) -> Slots:
        """Free appointment slots for ``service``: on ``day``, or else the next free ones (from
        ``after``, or now). Errors as for ``slot_days``."""
        query: dict[str, str] = {"service": service}
        if day is not None:
            query["date"] = day.isoformat()
        elif after is not None:
            query["from"] = after.isoformat()
        return Slots.from_json(self._read(api_path("locations", location, "slots") + "?" + urlencode(query)))

    def book_appointment(self, location: str, service: str, starts_at: datetime, language: str = "nl",
                         count: int = 1, key: str | None = None) -> Appointment:
        """Book a free slot (``slots``) on the spot; ``count`` appointments one after another. Sent
        now or never: a booking is only worth its answer while the visitor stands here, so it is not
        queued offline (``Offline``). Retried with one Idempotency-Key, so a lost answer never books
        twice. Raises ``Rejected`` with code ``slot_taken`` when another device took the time a moment
        before (its ``problem`` lists ``next_free``), or ``booked_elsewhere``."""
        body = json.dumps({"location": location, "service": service, "starts_at": starts_at.isoformat(),
                           "language": language, "count": count}).encode()
        data = self._read(api_path("appointments"), method="POST", body=body, key=key or new_key())
        return Appointment.from_json(data)

    def case_lookup(self, identificatie: str, postcode: str, huisnummer: int, language: str = "nl") -> CaseStatus:
        """The status timeline of a case, for the visitor who gave its number, postcode and house
        number. Never queued and never retried: a look-up is only worth its answer now, and every
        failed try counts against the limit. Raises ``NotFound`` (the same for a wrong number and a
        wrong postcode), ``Rejected`` with code ``too_many_attempts``, or ``Offline``."""
        body = json.dumps({"identificatie": identificatie, "postcode": postcode, "huisnummer": huisnummer,
                           "language": language}).encode()
        return CaseStatus.from_json(self._read(api_path("case-lookups"), method="POST", body=body))

    def device_commands(self, after: int | None = None) -> DeviceCommands:
        """This device's commands from the hosts (a robot: ``pause``, ``resume``) after the cursor
        ``after``, oldest first; without ``after`` only the latest one (the state to be in after a
        start). Ask again with the answer's ``last_id``."""
        query = f"?after={int(after)}" if after is not None else ""
        return DeviceCommands.from_json(self._read(api_path("devices", "me", "commands") + query))

    # ---------------------------------------------------------------------------- offline numbers

    def keep_offline_numbers(self, location: str, services: list[str] | None = None, *, block_size: int = 25,
                             low_water: int = 10, tomorrow_from: time | None = time(16, 0)) -> None:
        """Keep numbers leased for offline tickets at this location (default: every walk-in
        service), topped up by the background sync (and by ``sync()``)."""
        self._numbers.keep(OfflineStock(location, tuple(services) if services else None, block_size, low_water,
                                        tomorrow_from))
        self._wake()

    def offline_numbers_left(self, location: str, service: str) -> int:
        """Unused leased numbers for this service today."""
        return self._numbers.numbers_left(location, service)

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
        if report.stopped is None and self._numbers.top_up():
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

    def _read(self, path: str, method: str = "GET", body: bytes | None = None, key: str | None = None) -> Any:
        self._check_open()
        try:
            answer = self._transport.request(method, path, body=body, key=key)
        except TRANSIENT:
            self._issuer.went_offline()
            raise
        except Rejected:
            self.online.set(True)
            raise
        self.online.set(True)
        return answer.data

    def _change(self, request: Request, parse: Callable[[Answer, str], T], *, topic: str | None = None,
                latest_only: bool = False, key: str | None = None) -> T | Queued:
        self._check_open()
        return self._issuer.change(request, parse, key=key, topic=topic, latest_only=latest_only)

    def _walk_in_services(self, location: str) -> tuple[str, ...]:
        return tuple(service.id for service in self.location(location).services if service.walk_in)

    def _background_pass(self) -> bool:
        if self._stopping.is_set():
            return True
        if not self.online.value:
            try:
                self._probe.request("GET", api_path("health"))
            except ClientError:
                return False
            self.online.set(True)
        try:
            report = self.sync()
        except ClientClosed:
            return True
        if report.stopped is None and self._heartbeat is not None:
            now = self._clock()
            if self._last_heartbeat is None or now - self._last_heartbeat >= self._heartbeat:
                self._last_heartbeat = now
                # Only "online": what the device knows of its printer it reports itself; the server
                # keeps the last printer state it heard. A refusal (a revoked token) is the hosts'
                # to notice: the device turns silent for them.
                with suppress(Rejected):
                    self.report_status(online=True)
        return report.stopped is None
