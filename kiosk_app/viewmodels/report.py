"""A report, complaint or question from the kiosk (a public reaction): the kind, a short text and an
optional e-mail address for the answer, typed on the kiosk's keyboard. It becomes a case whose number
is shown and printed. One Idempotency-Key per visit: a double tap files one case; offline the reaction
waits in the outbox and the visitor is told so (it is never dropped)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from kivy.properties import BooleanProperty, OptionProperty, StringProperty

from queue_ticketing.client import Client, Offline, Queued, Rejected

from ..printing import CaseReceipt, PrinterStatus, TicketPrinter
from ..worker import Worker
from .language import LanguageViewModel
from .visit_step import VisitStep

KINDS = ["complaint", "report", "question"]
MAX_TEXT = 1000
"""The kiosk keeps messages short (the server accepts up to its own limit)."""
MAX_EMAIL = 254
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ReportViewModel(VisitStep):
    state = OptionProperty("choosing", options=["choosing", "writing", "sending", "sent", "queued", "failed"])
    kind = OptionProperty("", options=["", *KINDS])
    field = OptionProperty("text", options=["text", "email"])
    text = StringProperty("")
    email = StringProperty("")
    case_number = StringProperty("")
    message = StringProperty("")
    printed = BooleanProperty(False)

    def __init__(self, client: Client, location: str, language: LanguageViewModel, worker: Worker,
                 printer: TicketPrinter | None = None, location_name: str = "", **kwargs: object) -> None:
        super().__init__(client, location, language, worker, **kwargs)
        self._printer = printer
        self._location_name = location_name
        self._key: str | None = None

    def choose(self, kind: str) -> None:
        self.kind = kind
        self.state = "writing"
        self.field = "text"

    def focus(self, field: str) -> None:
        self.field = field

    def type(self, key: str) -> None:
        """A key into the focused field: backspace ``"\\b"``; the text keeps what was typed, as typed."""
        if self.state not in ("writing", "failed"):
            return
        value = getattr(self, self.field)
        limit = MAX_TEXT if self.field == "text" else MAX_EMAIL
        if key == "\b":
            value = value[:-1]
        elif self.field == "email":
            if key.strip():
                value = (value + key.lower())[:limit]
        else:
            typed = key.lower() if value and not value.endswith((". ", "? ", "! ")) else key
            value = (value + typed)[:limit]
        setattr(self, self.field, value)
        self._key = None  # a changed message is a new action
        self.message = ""
        self.state = "writing"

    @property
    def characters_left(self) -> int:
        return MAX_TEXT - len(self.text)

    def problems(self) -> list[str]:
        _ = self._language.gettext
        found = []
        if not self.text.strip():
            found.append(_("Please type your message."))
        if self.email and not EMAIL.match(self.email):
            found.append(_("This e-mail address does not look right. Please check it, or leave it empty."))
        return found

    def send(self) -> None:
        if self.state == "sending" or not self.kind:
            return
        problems = self.problems()
        if problems:
            self.message = " ".join(problems)
            return
        self._key = self._key or str(uuid.uuid4())
        key, kind, text, email = self._key, self.kind, self.text.strip(), self.email or None
        language = self._language.language
        self.state = "sending"
        self.message = ""
        self._worker.submit(
            lambda: self._client.submit_public_reaction(self._location, kind, text, email=email, language=language,
                                                        key=key),
            self._sent, self._failed)

    def _sent(self, result: Any) -> None:
        _ = self._language.gettext
        if isinstance(result, Queued):
            self.state = "queued"
            self.message = _("We are working offline for a moment. Your message is saved and will be sent as "
                             "soon as we can. A host can give you its case number later.")
            return
        self.case_number = result.identificatie
        self.state = "sent"
        self.message = _("Thank you. Your message is registered under this case number. Keep it to ask about "
                         "its status later.")
        if self._printer is not None:
            printer = self._printer
            receipt = CaseReceipt(self._location_name, _("Your case number"), self.case_number, result.received_at)
            self._worker.submit(lambda: printer.print_receipt(receipt), self._print_done, lambda _e: None)

    def _print_done(self, status: PrinterStatus) -> None:
        self.printed = status.printed

    def _failed(self, error: Exception) -> None:
        _ = self._language.gettext
        self.state = "failed"
        if isinstance(error, Rejected):
            self.message = _("We could not save your message like this. Please shorten or change it, or ask a host.")
        elif isinstance(error, Offline):
            self.message = _("We cannot send messages right now. Please try again or ask a host.")
        else:
            self.message = _("Something went wrong. Please try again or call a host.")

    def reset(self) -> None:
        self._key = None
        for name, value in (("kind", ""), ("text", ""), ("email", ""), ("case_number", ""), ("message", ""),
                            ("field", "text")):
            setattr(self, name, value)
        self.printed = False
        self.state = "choosing"
