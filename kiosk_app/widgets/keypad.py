"""A large on-screen keypad: the keys given as rows of strings, plus backspace (and space where text is
typed). Each key is a ``Key`` at least 58 px high; ``on_key`` is dispatched with the key's
character, ``"\\b"`` for backspace, ``" "`` for space."""

from __future__ import annotations

from typing import Any

from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from queue_ticketing.domain.appointments import CODE_ALPHABET

from ..bidi import has_arabic

BACKSPACE = "\b"
CODE_ROWS = [CODE_ALPHABET[i:i + 8] for i in range(0, len(CODE_ALPHABET), 8)]
"""Appointment codes: the code alphabet only (no I, O, 0 or 1, which people confuse)."""
DIGIT_ROWS = ["123", "456", "789", "0"]
TEXT_ROWS = ["1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM-.@"]
"""Postcodes, case numbers, e-mail addresses and short messages (the report screen)."""


class Key(ButtonBehavior, Label):
    """One key: a bordered label (lighter than a ``KioskButton``: a keyboard has forty of them)."""

    action = StringProperty("")

    def on_text(self, _instance: Key, text: str) -> None:
        arabic = has_arabic(text)  # the space key's word, in Arabic
        self.font_script_name = "Arab" if arabic else "Zyyy"
        self.font_direction = "rtl" if arabic else "ltr"


class Keypad(BoxLayout):
    rows = ListProperty(CODE_ROWS)
    with_space = BooleanProperty(False)
    key_height = NumericProperty(dp(64))
    space_words = StringProperty("␣")
    __events__ = ("on_key",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(orientation="vertical", spacing=dp(8), **kwargs)
        self.bind(rows=self._build, with_space=self._build, key_height=self._build, space_words=self._build)
        self._build()

    def _build(self, *_: object) -> None:
        self.clear_widgets()
        self.height = 0
        rows: list[list[tuple[str, str, str]]] = [[(ch, ch, "") for ch in row] for row in self.rows]
        last = rows[-1] if rows else []
        if self.with_space:
            rows.append([(" ", self.space_words, "")])
        last.append((BACKSPACE, "⌫", ""))
        for keys in rows:
            line = BoxLayout(orientation="horizontal", spacing=dp(8), size_hint_y=None, height=self.key_height)
            for char, label, _icon in keys:
                button = Key(text=label, action=f"key:{char}")
                if char == " ":
                    button.size_hint_x = 5
                button.bind(on_release=lambda _b, c=char: self.dispatch("on_key", c))
                line.add_widget(button)
            self.add_widget(line)
        self.height = len(rows) * self.key_height + max(0, len(rows) - 1) * dp(8)
        self.size_hint_y = None

    def on_key(self, key: str) -> None:
        """The event's default handler (Kivy needs one); screens bind to ``on_key``."""
