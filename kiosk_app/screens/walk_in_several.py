"""More than one thing: the services chosen for this visit in order (each can be taken off again with
its ✕), a tile per walk-in service that can still be added (up to three in all), and one button for the
ticket."""

from __future__ import annotations

from kivy.app import App

from ..widgets import KioskButton, Tile
from .base import KioskScreen


class WalkInSeveralScreen(KioskScreen):
    heading = "What do you come for? Choose up to three things."

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="walk_in_several", **kwargs)
        app = App.get_running_app()
        app.walk_in.bind(chosen=self._fill, services=self._fill, state=self._fill)
        self._fill()

    def _fill(self, *_: object) -> None:
        app = App.get_running_app()
        vm = app.walk_in
        chosen = self.ids.chosen
        chosen.clear_widgets()
        names = {s["id"]: s["name"] for s in vm.services}
        for place, service in enumerate(vm.chosen, 1):
            button = KioskButton(words=f"{place}. {names.get(service, service)}", icon="close", points=22,
                                 action=f"remove:{service}")
            button.bind(on_release=lambda _b, s=service: vm.remove(s))
            chosen.add_in_reading_order(button)
        grid = self.ids.addable
        grid.clear_widgets()
        for service in vm.addable:
            tile = Tile(words=service["name"], icon="plus", icon_scale=1.6, points=22, action=f"add:{service['id']}")
            tile.bind(on_release=lambda _t, s=service["id"]: vm.add(s))
            grid.add_widget(tile)

    def spoken(self) -> str:
        app = App.get_running_app()
        return " ".join((app.t(self.heading), app.t(
            "You wait once: the desks help you with everything in turn.")))
