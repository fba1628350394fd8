"""Drawing a walk-in ticket: the location's walk-in services, one Idempotency-Key per visitor action
(a double tap never draws two tickets), the number with its estimated wait and the QR of the mobile
ticket, printed when a printer works and shown on screen when it does not."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from kivy.properties import BooleanProperty, ListProperty, OptionProperty, StringProperty

from queue_ticketing.client import Client, LocationInfo, Offline, Ticket

from ..printing import PrinterStatus, TicketPrint, TicketPrinter
from ..worker import Worker
from .language import LanguageViewModel
from .visit_step import VisitStep

STATES = ["idle", "loading", "choosing", "drawing", "drawn", "unavailable", "failed"]


class WalkInViewModel(VisitStep):
    state = OptionProperty("idle", options=STATES)
    services = ListProperty([])
    """Walk-in services as dicts: ``id``, ``letter``, ``name`` (visitor's language), ``name_nl``."""
    ticket_number = StringProperty("")
    estimated_wait = StringProperty("")
    mobile_url = StringProperty("")
    """The QR's content: the visitor's mobile ticket (empty for an offline ticket until it is synced)."""
    offline_ticket = BooleanProperty(False)
    message = StringProperty("")
    """A kind sentence for the visitor about what happened and what to do next."""
    printed = BooleanProperty(False)
    show_on_screen = BooleanProperty(False)
    """True when the ticket could not be printed: the screen keeps the number and the QR."""
    printer_status = StringProperty("")

    def __init__(self, client: Client, location: str, language: LanguageViewModel, worker: Worker,
                 printer: TicketPrinter | None = None, local_info: LocationInfo | None = None,
                 **kwargs: object) -> None:
        """``local_info``: the location from the kiosk's own copy of the configuration, shown while the
        central service cannot be reached (offline tickets then come from the leased numbers)."""
        super().__init__(client, location, language, worker, **kwargs)
        self._local_info = local_info
        self._printer = printer
        self._info: LocationInfo | None = None
        self._keys: dict[str, str] = {}
        language.bind(language=lambda *_: self._fill_services())

    # ------------------------------------------------------------------------------- the services

    @property
    def location(self) -> LocationInfo | None:
        """The location's public configuration once loaded."""
        return self._info

    def load_services(self) -> None:
        self.state = "loading"
        self._worker.submit(lambda: self._client.location(self._location), self._services_loaded, self._load_failed)

    def _services_loaded(self, info: LocationInfo) -> None:
        self._info = info
        self._fill_services()
        self.state = "choosing"

    def _load_failed(self, error: Exception) -> None:
        if self._local_info is not None:
            self._services_loaded(self._local_info)  # the same configuration, from the kiosk's own copy
            return
        self.state = "failed"
        self.message = self._language.gettext(
            "The services cannot be shown right now. Please ask a host at the desk for help.")

    def _fill_services(self) -> None:
        if self._info is None:
            return
        lang = self._language.language
        self.services = [{"id": s.id, "letter": s.letter, "name": s.names.get(lang) or s.names.get("nl", s.id),
                          "name_nl": s.names.get("nl", s.id)} for s in self._info.services if s.walk_in]

    # ------------------------------------------------------------------------------------ drawing

    def draw(self, service: str, case_reference: str | None = None) -> None:
        """Draw a ticket for ``service``, about the case ``case_reference`` if given (the clerk sees it).
        A second tap for the same in this visit carries the same Idempotency-Key, so the server (or the
        offline outbox) gives the same ticket back."""
        if self.state == "drawing":
            return
        key = self._keys.setdefault(f"{service} {case_reference or ''}", str(uuid.uuid4()))
        self.state = "drawing"
        self.message = ""
        language = self._language.language
        self._worker.submit(
            lambda: self._client.issue_ticket(self._location, service, language=language, key=key,
                                              case_reference=case_reference),
            self._drawn, self._draw_failed)

    def _drawn(self, ticket: Ticket) -> None:
        _ = self._language.gettext
        self.ticket_number = ticket.number
        self.mobile_url = ticket.mobile_url or ""
        self.offline_ticket = ticket.offline
        self.estimated_wait = self._wait_text(ticket)
        self.message = (_("We are working offline for a moment. Your ticket is valid: "
                          "your number will appear on the screens.") if ticket.offline else "")
        self.printed = False
        self.show_on_screen = self._printer is None
        self.state = "drawn"
        if self._printer is not None:
            job = self._print_job(ticket)
            self._worker.submit(lambda: self._print_and_report(job), self._print_done, self._print_error)

    def _draw_failed(self, error: Exception) -> None:
        _ = self._language.gettext
        if isinstance(error, Offline):  # NoOfflineNumbers too: offline and no leased number left
            # A check-in still works offline (it waits in the outbox), and a host can always help.
            self.state = "unavailable"
            self.message = _("We cannot give out tickets for this service right now. You can still check in "
                             "for an appointment, or call a host, who will help you.")
        else:
            self.state = "failed"
            self.message = _("Something went wrong while drawing your ticket. Please try again or call a host.")

    def _wait_text(self, ticket: Ticket) -> str:
        _ = self._language.gettext
        minutes = ticket.estimated_wait_minutes
        if minutes is None:
            return _("Please watch the screens for your number.")
        if minutes <= 1:
            return _("You are next, or nearly.")
        return _("Estimated wait: about {minutes} minutes").format(minutes=minutes)

    # ----------------------------------------------------------------------------------- printing

    def _print_job(self, ticket: Ticket) -> TicketPrint:
        service = next((s for s in self.services if s["id"] == ticket.service), None)
        name = service["name"] if service else ticket.service
        name_nl = service["name_nl"] if service else ticket.service
        location_name = self._info.name if self._info else ticket.location
        return TicketPrint(location_name, name, name_nl, ticket.number, ticket.issued_at, self.estimated_wait,
                           ticket.mobile_url, self._language.gettext("Follow your turn on your phone"))

    def _print_and_report(self, job: TicketPrint) -> PrinterStatus:
        assert self._printer is not None
        status = self._printer.print_ticket(job)
        # The hosts hear of a failed report with the next one; the visitor must not wait for it.
        with contextlib.suppress(Exception):
            self._client.report_status(printer=status.value)
        return status

    def _print_done(self, status: PrinterStatus) -> None:
        self.printer_status = status.value
        self.printed = status in (PrinterStatus.OK, PrinterStatus.PAPER_LOW)
        if not self.printed:
            self.show_on_screen = True
            self.message = self._language.gettext(
                "The printer is not working right now. Please remember your number, or scan the code "
                "with your phone.")

    def _print_error(self, error: Exception) -> None:
        self._print_done(PrinterStatus.OFFLINE)

    # -------------------------------------------------------------------------------------- reset

    def reset(self) -> None:
        """A new visitor: no ticket, no keys (their taps are new actions)."""
        self._keys.clear()
        values: dict[str, Any] = {"ticket_number": "", "estimated_wait": "", "mobile_url": "", "message": "",
                                  "offline_ticket": False, "printed": False, "show_on_screen": False,
                                  "printer_status": ""}
        for name, value in values.items():
            setattr(self, name, value)
        self.state = "choosing" if self._info is not None else "idle"
