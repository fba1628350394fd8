"""The home screen's tiles, in the visitor's language, each with an icon and words."""

from __future__ import annotations

from dataclasses import dataclass

from kivy.event import EventDispatcher
from kivy.properties import ListProperty

from .language import LanguageViewModel


@dataclass(frozen=True)
class Tile:
    id: str
    title: str
    icon: str


TILES = (
    ("appointment", "I have an appointment", "calendar-check"),
    ("walk_in", "I have no appointment", "ticket"),
    ("book", "Make an appointment", "calendar-plus"),
    ("pick_up", "Pick up a document", "id-card"),
    ("case_status", "Status of my case", "folder-search"),
    ("report", "Report or complaint", "message-alert"),
    ("information", "Information", "information"),
    ("call_host", "Call a host", "person"),
)
"""(id, English text as message id, icon name)."""


class HomeViewModel(EventDispatcher):
    tiles = ListProperty([])

    def __init__(self, language: LanguageViewModel, hidden: frozenset[str] = frozenset(), **kwargs: object) -> None:
        """``hidden``: tiles whose flow the kiosk cannot offer (hidden, never faked)."""
        super().__init__(**kwargs)
        self._language = language
        self._hidden = hidden
        language.bind(language=lambda *_: self._refresh())
        self._refresh()

    def hide(self, hidden: frozenset[str]) -> None:
        """Hide the tiles whose flow this kiosk cannot offer (no pick-up service at this location)."""
        self._hidden = hidden
        self._refresh()

    def _refresh(self) -> None:
        _ = self._language.gettext
        self.tiles = [Tile(tile_id, _(title), icon) for tile_id, title, icon in TILES if tile_id not in self._hidden]
