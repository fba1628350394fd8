"""``DirectionalBox``: a horizontal BoxLayout that mirrors its children's order for right-to-left
languages (bind ``rtl`` to the app's language direction)."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget


class DirectionalBox(BoxLayout):
    rtl = BooleanProperty(False)

    def on_rtl(self, _instance: DirectionalBox, _value: bool) -> None:
        if self.orientation != "horizontal":
            return  # top to bottom is the same in every language
        children = list(self.children)  # Kivy keeps them last-added first
        self.clear_widgets()
        for child in children:
            self.add_widget(child)

    def add_in_reading_order(self, widget: Widget) -> None:
        """Add ``widget`` after the ones added before, in the reading direction (on the left of them
        right to left). Children added while ``rtl`` is already set are not mirrored by ``on_rtl``."""
        horizontal_rtl = self.rtl and self.orientation == "horizontal"
        self.add_widget(widget, index=len(self.children) if horizontal_rtl else 0)


class Reveal(BoxLayout):
    """A box whose children are there only while ``shown``: hidden, it takes no space and no touch
    (opacity 0 alone would still take both). Its size hints come back when shown again."""

    shown = BooleanProperty(True)
    # Kivy's properties, typed for the checker (annotations only: Kivy makes the properties).
    size: Any
    size_hint: Any

    def __init__(self, **kwargs: object) -> None:
        self._kept: list[Widget] = []
        self._hints: tuple[float | None, float | None] = (1, 1)
        self._size: tuple[float, float] = (100, 100)
        super().__init__(**kwargs)

    def on_shown(self, _instance: Reveal, shown: bool) -> None:
        if not shown and not self._kept:
            self._kept = list(reversed(self.children))
            self._hints = (self.size_hint_x, self.size_hint_y)
            self._size = tuple(self.size)
            self.clear_widgets()
            self.opacity = 0
            self.size_hint = (None, None)
            self.size = (0, 0)
        elif shown and self._kept:
            for child in self._kept:
                self.add_widget(child)
            self._kept = []
            self.opacity = 1
            self.size_hint = self._hints
            self.size = self._size
