"""The status of my case: case number, postcode and house number typed on the kiosk's keyboard, the
look-up through the client, and the citizen-facing timeline. The answer never holds a name, address
or BSN; a wrong number and a wrong postcode get the same answer (the server's rule), and after too
many tries the visitor is kindly sent to a host."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date
from kivy.event import EventDispatcher
from kivy.properties import ListProperty, OptionProperty, StringProperty

from queue_ticketing.client import CaseStatus, Client, NotFound, Offline, Rejected, ServerError

from ..worker import Worker
from .language import LanguageViewModel

FIELDS = ["identificatie", "postcode", "huisnummer"]
LIMITS = {"identificatie": 40, "postcode": 6, "huisnummer": 5}
POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
CASE_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")


class CaseStatusViewModel(EventDispatcher):
    state = OptionProperty("typing", options=["typing", "looking", "found", "not_found", "too_many", "failed"])
    field = OptionProperty("identificatie", options=FIELDS)
    """The field the keyboard types into."""
    identificatie = StringProperty("ZAAK-")
    postcode = StringProperty("")
    huisnummer = StringProperty("")
    message = StringProperty("")
    case_type = StringProperty("")
    timeline = ListProperty([])
    """Dicts ``status`` (the citizen-facing text) and ``day`` (a date written out)."""
    expected = StringProperty("")

    def __init__(self, client: Client, language: LanguageViewModel, worker: Worker, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._client = client
        self._language = language
        self._worker = worker

    # ------------------------------------------------------------------------------------- typing

    def focus(self, field: str) -> None:
        self.field = field

    def type(self, key: str) -> None:
        """A key from the keyboard into the focused field: backspace ``"\\b"``; spaces are dropped."""
        value = getattr(self, self.field)
        if key == "\b":
            value = value[:-1]
        elif key.strip():
            char = key.upper()
            if self.field == "huisnummer" and not char.isdigit():
                return
            if self.field == "postcode" and not char.isalnum():
                return
            value = (value + char)[:LIMITS[self.field]]
        setattr(self, self.field, value)
        if self.state != "looking":
            self.state = "typing"
            self.message = ""
        if self.field == "postcode" and len(self.postcode) == LIMITS["postcode"]:
            self.field = "huisnummer"

    def problems(self) -> list[str]:
        """What is missing or not right, in the visitor's language (empty when the look-up may go)."""
        _ = self._language.gettext
        found = []
        if not CASE_NUMBER.match(self.identificatie) or self.identificatie == "ZAAK-":
            found.append(_("Type the case number from your letter or e-mail, for example ZAAK-2026-0000000123."))
        if not POSTCODE.match(self.postcode):
            found.append(_("Type your postcode as four numbers and two letters, for example 3078AK."))
        if not self.huisnummer.isdigit() or int(self.huisnummer) < 1:
            found.append(_("Type your house number (digits only)."))
        return found

    # ------------------------------------------------------------------------------------ looking

    def look_up(self) -> None:
        if self.state == "looking":
            return
        problems = self.problems()
        if problems:
            self.message = " ".join(problems)
            return
        self.state = "looking"
        self.message = ""
        number, postcode, house, lang = self.identificatie, self.postcode, int(self.huisnummer), self._language.language
        self._worker.submit(lambda: self._client.case_lookup(number, postcode, house, language=lang),
                            self._found, self._failed)

    def _found(self, case: CaseStatus) -> None:
        _ = self._language.gettext
        self.case_type = case.case_type
        lang = self._language.language
        self.timeline = [{"status": step.status, "day": _day(step.day, lang)} for step in case.timeline]
        if case.closed_on:
            self.expected = _("This case was closed on {date}.").format(date=_day(case.closed_on, lang))
        elif case.expected_end_date:
            self.expected = _("We expect to finish by {date}.").format(date=_day(case.expected_end_date, lang))
        else:
            self.expected = ""
        self.state = "found"

    def _failed(self, error: Exception) -> None:
        _ = self._language.gettext
        if isinstance(error, NotFound):
            self.state = "not_found"
            self.message = _("We could not find a case with these details. Please check the case number, "
                             "postcode and house number, or ask a host.")
        elif isinstance(error, Rejected) and error.code == "too_many_attempts":
            self.state = "too_many"
            self.message = _("To protect your privacy, you cannot try again for a while. A host will gladly "
                             "help you.")
        elif isinstance(error, Offline) or (isinstance(error, ServerError) and error.code == "cases_unavailable"):
            # the kiosk is offline, or the city's zaaksysteem (the case store) does not answer
            self.state = "failed"
            self.message = _("We cannot look up cases right now. Please try again later or ask a host.")
        else:
            self.state = "failed"
            self.message = _("Something went wrong. Please try again or call a host.")

    def reset(self) -> None:
        for name, value in (("identificatie", "ZAAK-"), ("postcode", ""), ("huisnummer", ""), ("message", ""),
                            ("case_type", ""), ("expected", ""), ("field", "identificatie")):
            setattr(self, name, value)
        self.timeline = []
        self.state = "typing"


def _day(day: date, language: str) -> str:
    """A day as the visitor's language writes it in words ("30 november 2026", "30 نوفمبر 2026")."""
    return format_date(day, "d MMMM y", locale=language)
