"""What every step of a visit shares: the client, the location, the visitor's language and the worker
that runs network calls off the UI thread (answers come back on it)."""

from __future__ import annotations

from kivy.event import EventDispatcher

from queue_ticketing.client import Client

from ..worker import Worker
from .language import LanguageViewModel


class VisitStep(EventDispatcher):
    def __init__(self, client: Client, location: str, language: LanguageViewModel, worker: Worker,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._client = client
        self._location = location
        self._language = language
        self._worker = worker
