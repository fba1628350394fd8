"""``Words``: the kiosk's one label. Set ``words`` (not ``text``): Arabic is shaped right to left with
its digits and Latin codes kept in reading order (``kiosk_app.bidi``), ``align="start"`` follows the
screen's direction, and the size follows the larger-text switch."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, OptionProperty, StringProperty
from kivy.uix.label import Label

from ..bidi import for_rtl_shaping, has_arabic


class Words(Label):
    words = StringProperty("")
    align = OptionProperty("start", options=["start", "center", "end"])
    rtl = BooleanProperty(False)
    """The screen's direction (Arabic): ``start`` is then the right-hand side."""
    points = NumericProperty(22)
    """Text size in dp before the larger-text switch."""
    strong = BooleanProperty(False)
    scaled = BooleanProperty(True)
    """Follows the larger-text switch (the top bar's words do not: it keeps its size on every screen)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(words=self._shape, align=self._shape, rtl=self._shape)
        self._shape()

    def _shape(self, *_: object) -> None:
        arabic = has_arabic(self.words)
        self.font_script_name = "Arab" if arabic else "Zyyy"
        self.font_direction = "rtl" if arabic else "ltr"
        self.text = for_rtl_shaping(self.words) if arabic else self.words
        if self.align == "center":
            self.halign = "center"
        else:
            start_is_right = self.rtl
            self.halign = "right" if (self.align == "start") == start_is_right else "left"
