"""Home: a tile (icon + words) per thing the visitor may come for; built from ``app.home.tiles``."""

from __future__ import annotations

from typing import Any

from kivy.app import App

from ..widgets import Tile
from .base import KioskScreen


class HomeScreen(KioskScreen):
    heading = "How can we help you?"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="home", **kwargs)
        app = App.get_running_app()
        app.home.bind(tiles=self._tiles)
        self._tiles(app.home, app.home.tiles)

    def _tiles(self, _vm: Any, tiles: list[Any]) -> None:
        grid = self.ids.tiles
        grid.clear_widgets()
        app = App.get_running_app()
        for tile in tiles:
            widget = Tile(words=tile.title, icon=tile.icon, action=tile.id,
                          kind="primary" if tile.id in ("appointment", "walk_in") else "secondary")
            widget.bind(on_release=lambda _w, t=tile.id: app.open_tile(t))
            grid.add_widget(widget)
