"""Make an appointment, first step: a tile per service that can be booked here, and for how many people
where one booking may hold several; where the city books on its website, that website's address and its
QR instead (nothing is booked at the kiosk)."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.metrics import dp
from kivy.uix.widget import Widget

from ..widgets import KioskButton, Tile
from .base import KioskScreen


class BookScreen(KioskScreen):
    heading = "For which service do you want an appointment?"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="book", **kwargs)
        app = App.get_running_app()
        app.booking.bind(services=self._services, people=self._people, max_people=self._people)
        self._services(app.booking, app.booking.services)
        self._people()

    def _people(self, *_: object) -> None:
        """A button per number of people; the chosen one is filled and ticked (not colour alone)."""
        row = self.ids.people
        row.clear_widgets()
        vm = App.get_running_app().booking
        for count in range(1, vm.max_people + 1 if vm.max_people > 1 else 1):
            chosen = count == vm.people
            button = KioskButton(words=str(count), icon="check" if chosen else "person", points=26,
                                 kind="primary" if chosen else "secondary", min_height=76, action=f"people:{count}",
                                 size_hint_x=None, width=dp(150))
            button.bind(on_release=lambda _b, n=count: vm.choose_people(n))
            row.add_in_reading_order(button)
        row.add_in_reading_order(Widget())  # the buttons together at the start of the line

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
