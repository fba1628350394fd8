"""Draw a ticket: a tile per walk-in service of the location; one tap draws the ticket for it (shown on
``ticket``). "I come for more than one thing" opens ``walk_in_several`` to choose up to three."""

from __future__ import annotations

from typing import Any

from kivy.app import App

from ..widgets import Tile
from .base import KioskScreen


class WalkInScreen(KioskScreen):
    heading = "What have you come for?"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="walk_in", **kwargs)
        app = App.get_running_app()
        app.walk_in.bind(services=self._services)
        self._services(app.walk_in, app.walk_in.services)

    def _services(self, _vm: Any, services: list[dict[str, Any]]) -> None:
        grid = self.ids.services
        grid.clear_widgets()
        app = App.get_running_app()
        for service in services:
            tile = Tile(words=service["name"], icon="ticket", icon_scale=2, points=24,
                        action=f"service:{service['id']}")
            tile.bind(on_release=lambda _t, s=service["id"]: app.walk_in.draw(s))
            grid.add_widget(tile)

    def spoken(self) -> str:
        app = App.get_running_app()
        return " ".join((app.t(self.heading), app.t("Tap a service and you get your number at once."),
                         app.t("I come for more than one thing")))
