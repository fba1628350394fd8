"""The robot's side of the central service: carries out ``DrawTicket``, ``CheckIn``,
``RequestAssist`` and ``ReportStatus`` through the one HTTP client (``queue_ticketing.client``) on
its own thread, and reports the answers, and the service going down and up, as behaviour events.

The client makes a new Idempotency-Key per call, so the behaviour's action key (one per visitor
request) is honoured here: an answered key is answered again from memory, and a key still being
sent is not sent twice."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from queue_ticketing.client import Client, ClientError, NotFound, Offline, Queued, Rejected, Ticket

from .commands import CheckIn, Command, DrawTicket, ReportStatus, RequestAssist
from .events import CheckedIn, CheckInFailed, Event, ServiceDown, ServiceUp, TicketFailed, TicketIssued

log = logging.getLogger(__name__)
Emit = Callable[[Event], None]


class CentralService:
    """Runs central-service commands one after another on a worker thread; ``emit`` gets the results."""

    def __init__(self, client: Client, location: str, emit: Emit) -> None:
        self._client = client
        self._location = location
        self._emit = emit
        self._answers: dict[str, Event] = {}
        self._queue: queue.Queue[Command | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="central-service", daemon=True)
        self._unsubscribe = client.online.subscribe(lambda up: emit(ServiceUp() if up else ServiceDown()))
        self._thread.start()

    def execute(self, command: Command) -> None:
        self._queue.put(command)

    def close(self) -> None:
        self._unsubscribe()
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while (command := self._queue.get()) is not None:
            try:
                self._carry_out(command)
            except ClientError as error:  # anything the client did not foresee: logged, the robot goes on
                log.warning("central service command failed",
                            extra={"fields": {"command": type(command).__name__, "error": type(error).__name__}})

    def _carry_out(self, command: Command) -> None:
        match command:
            case DrawTicket(action_key=key) | CheckIn(action_key=key) if key in self._answers:
                self._emit(self._answers[key])
            case DrawTicket():
                self._answer(command.action_key, self._draw_ticket(command))
            case CheckIn():
                self._answer(command.action_key, self._check_in(command))
            case RequestAssist(reason=reason, note=note):
                self._client.request_assist(self._location, reason=reason, note=note)
            case ReportStatus(battery_percent=battery, detail=detail):
                self._client.report_status(online=True, battery_percent=battery, detail=detail)

    def _answer(self, key: str, event: Event) -> None:
        if isinstance(event, TicketIssued | CheckedIn):
            self._answers[key] = event
        self._emit(event)

    def _draw_ticket(self, command: DrawTicket) -> Event:
        try:
            ticket = self._client.issue_ticket(self._location, command.service, language=command.language)
        except Offline:
            return TicketFailed(command.action_key, "offline")
        except Rejected as refusal:
            log.info("ticket refused", extra={"fields": {"code": refusal.code}})
            return TicketFailed(command.action_key, "rejected")
        return TicketIssued(command.action_key, ticket.number, ticket.service, ticket.mobile_url)

    def _check_in(self, command: CheckIn) -> Event:
        try:
            result: Ticket | Queued = self._client.check_in(self._location, command.code)
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
