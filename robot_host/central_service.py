"""The robot's side of the central service: carries out ``DrawTicket``, ``CheckIn``, ``FindSlots``,
``BookAppointment``, ``RequestAssist`` and ``ReportStatus`` through the one HTTP client (``queue_ticketing.client``) on
its own thread, and reports the answers, and the service going down and up, as behaviour events.

The behaviour's action key (one per visitor request) goes to the client as the request's
Idempotency-Key, prefixed with this run's id (the behaviour counts visitors from 0 at every start):
a repeated key is answered from the client's outbox and never makes a second ticket.

A second thread asks the central service for the hosts' commands to this robot (pause, resume from
the dashboard) every ``command_seconds`` and hands them in as ``HostPaused`` / ``HostResumed``; the
first answer is the latest command, so a robot started while paused stays paused."""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from collections.abc import Callable
from datetime import datetime

from queue_ticketing.client import Client, ClientError, NotFound, Offline, Queued, Rejected, Ticket

from .commands import BookAppointment, CheckIn, Command, DrawTicket, FindSlots, ReportStatus, RequestAssist
from .events import (
    Booked,
    BookingFailed,
    BookingOptions,
    CheckedIn,
    CheckInFailed,
    Event,
    HostPaused,
    HostResumed,
    ServiceDown,
    ServiceUp,
    SlotsFound,
    TicketFailed,
    TicketIssued,
)

log = logging.getLogger(__name__)
Emit = Callable[[Event], None]


class CentralService:
    """Runs central-service commands one after another on a worker thread; ``emit`` gets the results."""

    def __init__(self, client: Client, location: str, emit: Emit, *, command_seconds: float = 2.0) -> None:
        self._client = client
        self._command_seconds = command_seconds
        self._stopping = threading.Event()
        self._location = location
        self._emit = emit
        self._run_id = uuid.uuid4().hex
        self._queue: queue.Queue[Command | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="central-service", daemon=True)
        self._unsubscribe = client.online.subscribe(lambda up: emit(ServiceUp() if up else ServiceDown()))
        self._thread.start()
        self._commands = threading.Thread(target=self._follow_commands, name="host-commands", daemon=True)
        self._commands.start()

    def execute(self, command: Command) -> None:
        self._queue.put(command)

    def close(self) -> None:
        self._unsubscribe()
        self._stopping.set()
        self._queue.put(None)
        self._thread.join(timeout=10)
        self._commands.join(timeout=10)

    def _follow_commands(self) -> None:
        """The hosts' pause/resume commands, in order, from the latest one at start."""
        after: int | None = None
        wait = 0.0
        while not self._stopping.wait(wait):
            wait = self._command_seconds
            try:
                answer = self._client.device_commands(after)
            except Rejected as refusal:  # not a robot token, or a server without commands: nothing to follow
                log.warning("host commands refused", extra={"fields": {"code": refusal.code}})
                return
            except ClientError:
                continue  # offline: the client reports it; ask again later
            for command in answer.commands:
                if command.command in ("pause", "resume"):
                    log.info("host command", extra={"fields": {"command": command.command}})
                    self._emit(HostPaused() if command.command == "pause" else HostResumed())
            after = answer.last_id

    def _run(self) -> None:
        while (command := self._queue.get()) is not None:
            try:
                self._carry_out(command)
            except ClientError as error:  # anything the client did not foresee: logged, the robot goes on
                log.warning("central service command failed",
                            extra={"fields": {"command": type(command).__name__, "error": type(error).__name__}})

    def _carry_out(self, command: Command) -> None:
        match command:
            case DrawTicket():
                self._emit(self._draw_ticket(command))
            case CheckIn():
                self._emit(self._check_in(command))
            case FindSlots():
                self._emit(self._find_slots(command))
            case BookAppointment():
                self._emit(self._book(command))
            case RequestAssist(reason=reason, note=note):
                self._client.request_assist(self._location, reason=reason, note=note)
            case ReportStatus(battery_percent=battery, detail=detail, tablet=tablet):
                self._client.report_status(online=True, battery_percent=battery, detail=detail, tablet=tablet)

    def _key(self, action_key: str) -> str:
        return f"robot:{self._run_id}:{action_key}"

    def _draw_ticket(self, command: DrawTicket) -> Event:
        try:
            ticket = self._client.issue_ticket(self._location, command.service, language=command.language,
                                              key=self._key(command.action_key))
        except Offline:
            return TicketFailed(command.action_key, "offline")
        except Rejected as refusal:
            log.info("ticket refused", extra={"fields": {"code": refusal.code}})
            return TicketFailed(command.action_key, "rejected")
        return TicketIssued(command.action_key, ticket.number, ticket.service, ticket.mobile_url)

    def _check_in(self, command: CheckIn) -> Event:
        try:
            result: Ticket | Queued = self._client.check_in(self._location, command.code,
                                                                   key=self._key(command.action_key))
        except NotFound:
            return CheckInFailed(command.action_key, "not_found")
        except Rejected as refusal:
            log.info("check-in refused", extra={"fields": {"code": refusal.code}})
            return CheckInFailed(command.action_key, "not_found")
        except Offline:
            return CheckInFailed(command.action_key, "offline")
        if isinstance(result, Queued):
            return CheckInFailed(command.action_key, "queued")
        return CheckedIn(command.action_key, result.number, result.mobile_url)

    def _find_slots(self, command: FindSlots) -> Event:
        """How the location books and, for a service booked here, its next free times."""
        key = command.action_key
        try:
            booking = self._client.location(self._location).booking
            if booking is None or not booking.books_here:
                return BookingOptions(key, (), booking.booking_url if booking else None)
            if command.service is None or command.service not in booking.services:
                return BookingOptions(key, booking.services)
            free = self._client.slots(self._location, command.service, after=command.after)
        except ClientError as error:
            return self._booking_failed(key, error)
        return SlotsFound(key, command.service, tuple(slot.starts_at for slot in free.slots))

    def _book(self, command: BookAppointment) -> Event:
        try:
            appointment = self._client.book_appointment(self._location, command.service, command.starts_at,
                                                        language=command.language, key=self._key(command.action_key))
        except ClientError as error:
            return self._booking_failed(command.action_key, error)
        log.info("appointment booked", extra={"fields": {"service": command.service}})
        return Booked(command.action_key, appointment.id, appointment.code, appointment.starts_at,
                      appointment.visitor_url)

    @staticmethod
    def _booking_failed(key: str, error: ClientError) -> BookingFailed:
        if isinstance(error, Offline):
            return BookingFailed(key, "offline")
        if not isinstance(error, Rejected):  # a broken answer: as good as no connection for the visitor
            log.warning("booking answer unreadable", extra={"fields": {"error": type(error).__name__}})
            return BookingFailed(key, "offline")
        log.info("booking refused", extra={"fields": {"code": error.code}})
        if error.code == "slot_taken":
            free: list[datetime] = []
            for value in error.problem.get("next_free") or []:
                try:
                    moment = datetime.fromisoformat(str(value))
                except ValueError:
                    continue
                if moment.tzinfo is not None:
                    free.append(moment)
            return BookingFailed(key, "slot_taken", next_free=tuple(free))
        if error.code == "booked_elsewhere":
            url = error.problem.get("booking_url")
            return BookingFailed(key, "booked_elsewhere", booking_url=str(url) if url else None)
        return BookingFailed(key, "rejected")
