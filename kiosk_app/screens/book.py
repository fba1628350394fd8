"""Make an appointment, first step: a tile per service that can be booked here; where the city books on
its website, that website's address and its QR instead (nothing is booked at the kiosk)."""

from __future__ import annotations

from typing import Any

from kivy.app import App

from ..widgets import Tile
from .base import KioskScreen


class BookScreen(KioskScreen):
    heading = "For which service do you want an appointment?"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="book", **kwargs)
        app = App.get_running_app()
        app.booking.bind(services=self._services)
        self._services(app.booking, app.booking.services)

    def _services(self, _vm: Any, services: list[dict[str, Any]]) -> None:
        grid = self.ids.services
        grid.clear_widgets()
        app = App.get_running_app()
        for service in services:
            tile = Tile(words=service["name"], icon="calendar-plus", icon_scale=2, points=22,
                        action=f"book:{service['id']}")
            tile.bind(on_release=lambda _t, s=service["id"]: app.booking.choose_service(s))
            grid.add_widget(tile)

    def spoken(self) -> str:
        app = App.get_running_app()
        vm = app.booking
        if vm.state == "elsewhere":
            return " ".join((app.t("Appointments for this location are made on the city's website."),
                             app.t("Scan the code with your phone, or go to this address:"), vm.booking_url))
        return vm.message or app.t(self.heading)
