"""The status of my case: case number, postcode and house number on the keyboard, then the
citizen-facing timeline. Only the status texts and dates are shown: never a name or an address."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.metrics import dp

from ..widgets import DirectionalBox, Icon, Words
from .base import KioskScreen


class CaseStatusScreen(KioskScreen):
    heading = "Status of my case"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="case_status", **kwargs)
        vm = App.get_running_app().case_status
        vm.bind(timeline=self._timeline)

    def key(self, key: str) -> None:
        App.get_running_app().case_status.type(key)

    def _timeline(self, _vm: Any, steps: list[dict[str, Any]]) -> None:
        box = self.ids.timeline
        box.clear_widgets()
        app = App.get_running_app()
        for number, step in enumerate(steps):
            last = number == len(steps) - 1
            row = DirectionalBox(size_hint_y=None, height=dp(56), spacing=dp(14))
            row.add_in_reading_order(Icon(name="check" if not last else "clock", color=app.theme.text,
                                          size_hint_x=None, width=dp(40)))
            row.add_in_reading_order(Words(words=step["day"], points=22, size_hint=(None, 1), width=dp(170)))
            row.add_in_reading_order(Words(words=step["status"], points=24, strong=last, size_hint_y=1))
            box.add_widget(row)
