"""Calling a host from the kiosk: one assist request per visit (a second tap is the same request, by
its Idempotency-Key), queued in the outbox when the link is down: the hosts see it as soon as it
arrives, and the visitor is told honestly what happens."""

from __future__ import annotations

import uuid

from kivy.properties import OptionProperty, StringProperty

from queue_ticketing.client import Client, Queued

from ..worker import Worker
from .language import LanguageViewModel
from .visit_step import VisitStep


class AssistViewModel(VisitStep):
    state = OptionProperty("idle", options=["idle", "calling", "called", "queued", "failed"])
    message = StringProperty("")

    def __init__(self, client: Client, location: str, language: LanguageViewModel, worker: Worker,
                 place: str = "kiosk", **kwargs: object) -> None:
        super().__init__(client, location, language, worker, **kwargs)
        self._place = place
        self._key: str | None = None

    def call(self, reason: str = "visitor_needs_help") -> None:
        if self.state == "calling":
            return
        self._key = self._key or str(uuid.uuid4())
        key = self._key
        self.state = "calling"
        self.message = self._language.gettext("Calling a host…")
        self._worker.submit(lambda: self._client.request_assist(self._location, reason=reason, place=self._place,
                                                                key=key), self._answered, self._failed)

    def _answered(self, result: object) -> None:
        _ = self._language.gettext
        if isinstance(result, Queued):
            self.state = "queued"
            self.message = _("We are working offline for a moment. Your call is saved and reaches the hosts as "
                             "soon as we can; you can also walk to the information desk.")
            return
        self.state = "called"
        self.message = _("A host has been called and will come to you. Please wait here, at this screen.")

    def _failed(self, _error: Exception) -> None:
        self.state = "failed"
        self.message = self._language.gettext(
            "We could not call a host. Please walk to the information desk, where a host will help you.")

    def reset(self) -> None:
        self._key = None
        self.state = "idle"
        self.message = ""
