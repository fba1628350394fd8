"""Check-in by a typed code (the camera's QR comes next): the code normalised as the server does, and
every refusal answered kindly with the next step, chosen from the problem's stable ``code``."""

from __future__ import annotations

import uuid
from datetime import datetime

from kivy.properties import OptionProperty, StringProperty

from queue_ticketing.client import Client, Offline, Queued, Rejected, Ticket
from queue_ticketing.domain.appointments import CODE_MAX_LENGTH, CODE_MIN_LENGTH, normalise_code

from ..worker import Worker
from .language import LanguageViewModel
from .visit_step import VisitStep

STATES = ["typing", "sending", "checked_in", "queued", "refused", "failed"]
NEXT_STEPS = ["", "wait_for_number", "come_back_later", "walk_in", "other_location", "retype", "call_host"]


class CheckInViewModel(VisitStep):
    code = StringProperty("")
    state = OptionProperty("typing", options=STATES)
    message = StringProperty("")
    next_step = OptionProperty("", options=NEXT_STEPS)
    """What the screen offers next: a walk-in ticket, typing again, calling a host, ..."""
    ticket_number = StringProperty("")

    def __init__(self, client: Client, location: str, language: LanguageViewModel, worker: Worker,
                 **kwargs: object) -> None:
        super().__init__(client, location, language, worker, **kwargs)
        self._key: str | None = None

    # ------------------------------------------------------------------------------------- typing

    def type_code(self, typed: str) -> None:
        """Keypad: letters and digits only, upper case; the city's codes have ``CODE_LENGTH`` characters, a
        booking system's own up to ``CODE_MAX_LENGTH``."""
        self.code = normalise_code(self.code + typed)[:CODE_MAX_LENGTH]
        self._key = None
        if self.state != "sending":
            self.state = "typing"

    def scanned(self, code: str) -> None:
        """A code read from the confirmation's QR: replaces what was typed and checks in at once. A QR
        still held up while its answer shows is not sent again."""
        code = normalise_code(code)[:CODE_MAX_LENGTH]
        if self.state in ("sending", "checked_in", "queued"):
            return
        if self.state in ("refused", "failed") and code == self.code:
            return
        self.code = code
        self._key = None
        self.state = "typing"
        self.submit()

    def not_an_appointment(self) -> None:
        """The camera saw a QR code that is not an appointment confirmation's."""
        if self.state in ("typing", "refused", "failed"):
            self.message = self._language.gettext(
                "This QR code is not from an appointment confirmation. Please hold the QR code from your "
                "confirmation in front of the camera, or type the code.")

    def backspace(self) -> None:
        self.code = self.code[:-1]
        self._key = None

    @property
    def complete(self) -> bool:
        return len(self.code) >= CODE_MIN_LENGTH

    # ------------------------------------------------------------------------------------ sending

    def submit(self) -> None:
        """Check in with the typed code; a second tap sends the same action (same Idempotency-Key)."""
        if self.state == "sending" or not self.code:
            return
        self._key = self._key or str(uuid.uuid4())
        key, code = self._key, self.code
        self.state = "sending"
        self._worker.submit(lambda: self._client.check_in(self._location, code, key=key), self._answered,
                            self._failed)

    def _answered(self, result: Ticket | Queued) -> None:
        _ = self._language.gettext
        if isinstance(result, Queued):
            self.state = "queued"
            self.next_step = "wait_for_number"
            self.message = _("We are working offline for a moment. Your check-in is saved and will be sent "
                             "as soon as we can. Please take a seat; a host can help you if needed.")
            return
        self.ticket_number = result.number
        self.state = "checked_in"
        self.next_step = "wait_for_number"
        self.message = _("You are checked in. Please take a seat; your number {number} will appear on the "
                         "screens.").format(number=result.number)

    def _failed(self, error: Exception) -> None:
        _ = self._language.gettext
        if isinstance(error, Rejected):
            self.state = "refused"
            self._refused(error.code, error.problem or {})
        elif isinstance(error, Offline):
            self.state = "failed"
            self.next_step = "call_host"
            self.message = _("We cannot reach the appointment system right now. Please call a host.")
        else:
            self.state = "failed"
            self.next_step = "call_host"
            self.message = _("Something went wrong. Please try again or call a host.")

    def _refused(self, code: str, problem: dict[str, object]) -> None:
        _ = self._language.gettext
        if code == "too_early":
            self.next_step = "come_back_later"
            self.message = _("You are early. Check-in opens at {time}; please come back then or take a seat."
                             ).format(time=_clock_time(problem.get("check_in_opens_at")))
        elif code == "too_late":
            self.next_step = "walk_in"
            self.message = _("Check-in for this appointment has closed. You can draw a ticket without an "
                             "appointment, or call a host.")
        elif code == "wrong_location":
            self.next_step = "other_location"
            self.message = _("This appointment is at another service centre: {location}. A host can help you "
                             "find your way.").format(location=str(problem.get("appointment_location", "")))
        elif code == "appointment_cancelled":
            self.next_step = "walk_in"
            self.message = _("This appointment was cancelled. You can draw a ticket without an appointment.")
        elif code in ("appointment_not_found", "not_found"):
            self.next_step = "retype"
            self.message = _("We do not recognise this code. Please check it and type it again, or call a host.")
        else:
            self.next_step = "call_host"
            self.message = _("Check-in is not possible right now. Please call a host, who will help you.")

    def reset(self) -> None:
        self.code = ""
        self._key = None
        self.state = "typing"
        self.message = ""
        self.next_step = ""
        self.ticket_number = ""


def _clock_time(iso: object) -> str:
    if not isinstance(iso, str):
        return ""
    return datetime.fromisoformat(iso).strftime("%H:%M")
