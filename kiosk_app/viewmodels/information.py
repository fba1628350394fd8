"""The information screen: today's and this week's opening hours, the address, and what to bring per
service, in the visitor's language, from the location's public configuration."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from kivy.properties import ListProperty, OptionProperty, StringProperty

from queue_ticketing.client import Client, LocationInfo

from ..texts import N_
from ..worker import Worker
from .language import LanguageViewModel
from .visit_step import VisitStep

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_NAMES = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
             N_("Sunday"))


class InformationViewModel(VisitStep):
    state = OptionProperty("idle", options=["idle", "loading", "ready", "failed"])
    address = StringProperty("")
    hours = ListProperty([])
    """The next seven days from today: dicts ``day`` (name), ``hours`` ("08:30 – 17:00" or "Closed"),
    ``today`` (bool), ``exception`` (bool: a holiday or other change)."""
    services = ListProperty([])
    """Services as dicts ``id``, ``name``, ``bring`` (list of lines), ``walk_in``."""
    chosen = StringProperty("")
    """The service whose "what to bring" is shown."""
    message = StringProperty("")

    def __init__(self, client: Client, location: str, language: LanguageViewModel, worker: Worker,
                 clock: Callable[[], datetime], local_info: LocationInfo | None = None,
                 **kwargs: object) -> None:
        super().__init__(client, location, language, worker, **kwargs)
        self._local_info = local_info
        self._clock = clock
        self._info: LocationInfo | None = None
        language.bind(language=lambda *_: self._fill())

    def load(self) -> None:
        if self._info is not None:
            self._fill()
            return
        self.state = "loading"
        self._worker.submit(lambda: self._client.location(self._location), self._loaded, self._failed)

    def choose(self, service: str) -> None:
        self.chosen = "" if service == self.chosen else service

    @property
    def chosen_service(self) -> dict[str, Any] | None:
        return next((s for s in self.services if s["id"] == self.chosen), None)

    def reset(self) -> None:
        self.chosen = ""

    def _loaded(self, info: LocationInfo) -> None:
        self._info = info
        self._fill()
        self.state = "ready"

    def _failed(self, _error: Exception) -> None:
        if self._local_info is not None:
            self._loaded(self._local_info)  # opening hours and what to bring: the kiosk's own copy
            return
        self.state = "failed"
        self.message = self._language.gettext(
            "The information cannot be shown right now. Please ask a host at the desk for help.")

    def _fill(self) -> None:
        if self._info is None:
            return
        _ = self._language.gettext
        lang = self._language.language
        raw = self._info.raw
        self.address = str(raw.get("address", ""))
        opening = raw.get("opening_hours", {})
        today = self._clock().date()
        self.hours = [self._day(opening, today + timedelta(days=n), today) for n in range(7)]
        services = []
        for item in raw.get("services", []):
            names = item.get("names", {})
            bring = item.get("bring", {})
            services.append({"id": item["id"], "name": names.get(lang) or names.get("nl", item["id"]),
                             "bring": list(bring.get(lang) or bring.get("nl") or []),
                             "walk_in": bool(item.get("walk_in"))})
        self.services = services
        if not any(s["id"] == self.chosen for s in services):
            self.chosen = ""
        del _

    def _day(self, opening: dict[str, Any], day: date, today: date) -> dict[str, Any]:
        _ = self._language.gettext
        exceptions = opening.get("exceptions", {})
        exception = day.isoformat() in exceptions
        weekly = opening.get("weekly", {})
        periods = exceptions[day.isoformat()] if exception else weekly.get(WEEKDAYS[day.weekday()], [])
        hours = ", ".join(f"{p['opens']} – {p['closes']}" for p in periods) if periods else _("Closed")
        name = _("Today") if day == today else _(DAY_NAMES[day.weekday()])
        return {"day": f"{name} {day.day}-{day.month}", "hours": hours, "today": day == today, "exception": exception}
