"""Drawing a walk-in ticket: the location's walk-in services, one tap on a service draws its ticket; a
visitor who comes for more than one thing chooses up to three for one visit (in the order chosen) and
draws one ticket for them all. One Idempotency-Key per visitor action (a double tap never draws two
tickets), the number with its estimated wait and the QR of the mobile ticket, printed when a printer
works and shown on screen when it does not."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from kivy.properties import BooleanProperty, ListProperty, OptionProperty, StringProperty

from queue_ticketing.client import Client, LocationInfo, Offline, Ticket
from queue_ticketing.domain.tickets import MAX_SERVICES

from ..printing import PrinterStatus, TicketPrint, TicketPrinter
from ..worker import Worker
from .language import LanguageViewModel
from .visit_step import VisitStep

STATES = ["idle", "loading", "choosing", "several", "drawing", "drawn", "unavailable", "failed"]
"""``choosing``: a tap on a service draws its ticket; ``several``: the visitor comes for more than one
thing and chooses the visit's services (``chosen``) before drawing."""


class WalkInViewModel(VisitStep):
    state = OptionProperty("idle", options=STATES)
    services = ListProperty([])
    """Walk-in services as dicts: ``id``, ``letter``, ``name`` (visitor's language), ``name_nl``."""
    chosen = ListProperty([])
    """The services of this visit so far, in order (ids; at most ``MAX_SERVICES``)."""
    visit = ListProperty([])
    """The drawn ticket's services in order, as dicts ``id``, ``name``, ``name_nl`` (one for most visits)."""
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
        language.bind(language=lambda *_: self._relabel())

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

    def _relabel(self) -> None:
        self._fill_services()
        if self.visit:
            self.visit = [self._named(s["id"]) for s in self.visit]

    def _fill_services(self) -> None:
        if self._info is None:
            return
        lang = self._language.language
        self.services = [{"id": s.id, "letter": s.letter, "name": s.names.get(lang) or s.names.get("nl", s.id),
                          "name_nl": s.names.get("nl", s.id)} for s in self._info.services if s.walk_in]

    # ------------------------------------------------------------------------ more than one thing

    def several(self) -> None:
        """The visitor comes for more than one thing: they choose the visit's services, then draw. What
        was chosen before in this visit stays (back and forth loses nothing)."""
        if self.state in ("drawing", "loading", "idle", "failed"):
            return
        self.message = ""
        self.state = "choosing"  # passes through, so that asking again after "back" moves on again
        self.state = "several"

    def add(self, service: str) -> None:
        """One more service for this visit, after the ones chosen (no twice, at most ``MAX_SERVICES``)."""
        if (self.state != "several" or service in self.chosen or len(self.chosen) >= MAX_SERVICES
                or not self._offers(service)):
            return
        self.chosen = [*self.chosen, service]

    def remove(self, service: str) -> None:
        """Take a chosen service off the visit again."""
        if self.state == "several" and service in self.chosen:
            self.chosen = [s for s in self.chosen if s != service]

    @property
    def can_add(self) -> bool:
        return self.state == "several" and len(self.chosen) < MAX_SERVICES

    @property
    def addable(self) -> list[dict[str, Any]]:
        """The walk-in services that can still be added to this visit."""
        return [s for s in self.services if s["id"] not in self.chosen] if self.can_add else []

    def draw_chosen(self) -> None:
        """Draw the ticket for the services chosen, in their order."""
        if self.chosen:
            self.draw(self.chosen[0], also=tuple(self.chosen[1:]))

    def _offers(self, service: str) -> bool:
        return any(s["id"] == service for s in self.services)

    # ------------------------------------------------------------------------------------ drawing

    def draw(self, service: str, case_reference: str | None = None, also: tuple[str, ...] = ()) -> None:
        """Draw a ticket for ``service`` (and the further services ``also`` of the same visit, in order),
        about the case ``case_reference`` if given (the clerk sees it). A second tap for the same in
        this visit carries the same Idempotency-Key, so the server (or the offline outbox) gives the
        same ticket back."""
        if self.state == "drawing":
            return
        visit = (service, *also)
        key = self._keys.setdefault(f"{' '.join(visit)} {case_reference or ''}", str(uuid.uuid4()))
        self.state = "drawing"
        self.message = ""
        language = self._language.language
        services = list(visit) if also else None
        self._worker.submit(
            lambda: self._client.issue_ticket(self._location, service, language=language, key=key,
                                              case_reference=case_reference, services=services),
            self._drawn, self._draw_failed)

    def _drawn(self, ticket: Ticket) -> None:
        _ = self._language.gettext
        self.ticket_number = ticket.number
        self.visit = [self._named(service_id) for service_id in ticket.services]
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

    def _named(self, service_id: str) -> dict[str, Any]:
        service = next((s for s in self.services if s["id"] == service_id), None)
        return {"id": service_id, "name": service["name"] if service else service_id,
                "name_nl": service["name_nl"] if service else service_id}

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
        first = self._named(ticket.service)
        location_name = self._info.name if self._info else ticket.location
        visit = tuple((s["name"], s["name_nl"]) for s in self.visit) if len(self.visit) > 1 else ()
        return TicketPrint(location_name, first["name"], first["name_nl"], ticket.number, ticket.issued_at,
                           self.estimated_wait, ticket.mobile_url,
                           self._language.gettext("Follow your turn on your phone"), visit,
                           self._language.gettext("Your visit, in this order:") if visit else "")

    def _print_and_report(self, job: TicketPrint) -> PrinterStatus:
        assert self._printer is not None
        status = self._printer.print_ticket(job)
        # The hosts hear of a failed report with the next one; the visitor must not wait for it.
        with contextlib.suppress(Exception):
            self._client.report_status(printer=status.value)
        return status

    def _print_done(self, status: PrinterStatus) -> None:
        self.printer_status = status.value
        self.printed = status.printed
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
        values: dict[str, Any] = {"chosen": [], "visit": [], "ticket_number": "", "estimated_wait": "",
                                  "mobile_url": "", "message": "",
                                  "offline_ticket": False, "printed": False, "show_on_screen": False,
                                  "printer_status": ""}
        for name, value in values.items():
            setattr(self, name, value)
        self.state = "choosing" if self._info is not None else "idle"
