"""Information: the address and the opening hours of the coming week, and what to bring per service
(tap a service to see its list)."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from ..widgets import DirectionalBox, KioskButton, Words
from .base import KioskScreen


class InformationScreen(KioskScreen):
    heading = "Information"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="information", **kwargs)
        app = App.get_running_app()
        vm = app.information
        vm.bind(hours=self._hours, services=self._services, chosen=self._services)
        app.theme.bind(scale=lambda *_: self._hours(vm, vm.hours))
        self._hours(vm, vm.hours)
        self._services()

    def _hours(self, _vm: Any, hours: list[dict[str, Any]]) -> None:
        app = App.get_running_app()
        box = self.ids.hours
        box.clear_widgets()
        for day in hours:
            row = DirectionalBox(size_hint_y=None, height=dp(44), spacing=dp(12))
            marker = "▸ " if day["today"] else ""
            row.add_in_reading_order(Words(words=marker + day["day"], points=22, strong=day["today"],
                                           size_hint_y=1))
            # "08:30 – 17:00" on one line: its own width, the day's name takes the rest
            row.add_in_reading_order(Words(words=day["hours"] + (" *" if day["exception"] else ""), points=22,
                                           strong=day["today"], size_hint=(None, 1),
                                           width=dp(185) * app.theme.scale))
            box.add_widget(row)

    def _services(self, *_: object) -> None:
        app = App.get_running_app()
        vm = app.information
        box = self.ids.services
        box.clear_widgets()
        for service in vm.services:
            chosen = service["id"] == vm.chosen
            button = KioskButton(words=service["name"], icon="information" if not chosen else "check",
                                 kind="primary" if chosen else "secondary", points=22,
                                 action=f"bring:{service['id']}", height=dp(76))
            button.bind(on_release=lambda _b, s=service["id"]: vm.choose(s))
            box.add_widget(button)
            if chosen:
                box.add_widget(self._bring(service))

    def _bring(self, service: dict[str, Any]) -> BoxLayout:
        app = App.get_running_app()
        panel = BoxLayout(orientation="vertical", size_hint_y=None, padding=(dp(20), dp(8)), spacing=dp(6))
        lines = service["bring"] or [app.t("You do not need to bring anything special.")]
        panel.add_widget(Words(words=app.t("Please bring:"), points=22, strong=True))
        for line in lines:
            panel.add_widget(Words(words="•  " + line, points=22))
        panel.height = sum(child.height for child in panel.children) + dp(8) * len(panel.children) + dp(16)
        return panel
