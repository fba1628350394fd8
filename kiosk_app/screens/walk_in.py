"""Draw a ticket: a tile per walk-in service of the location; a tap chooses the visit's first service
(``walk_in_also`` then offers more), the ticket itself shows on ``ticket``."""

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
            tile.bind(on_release=lambda _t, s=service["id"]: app.walk_in.choose(s))
            grid.add_widget(tile)
