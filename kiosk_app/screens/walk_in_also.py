"""And also ...: the services chosen for this visit in order (an added one can be taken off again), a
tile per walk-in service that can still be added (up to three in all), and one button for the ticket."""

from __future__ import annotations

from kivy.app import App

from ..widgets import KioskButton, Tile
from .base import KioskScreen


class WalkInAlsoScreen(KioskScreen):
    heading = "Do you also come for something else?"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="walk_in_also", **kwargs)
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
            words = f"{place}. {names.get(service, service)}"
            if place == 1:
                chosen.add_widget(KioskButton(words=words, icon="check", points=22, disabled=True,
                                              action=f"chosen:{service}"))
                continue
            button = KioskButton(words=words, icon="close", points=22, action=f"remove:{service}")
            button.bind(on_release=lambda _b, s=service: vm.remove(s))
            chosen.add_widget(button)
        grid = self.ids.addable
        grid.clear_widgets()
        for service in vm.addable:
            tile = Tile(words=service["name"], icon="plus", icon_scale=1.6, points=22, action=f"also:{service['id']}")
            tile.bind(on_release=lambda _t, s=service["id"]: vm.add(s))
            grid.add_widget(tile)

    def spoken(self) -> str:
        app = App.get_running_app()
        return app.t(self.heading)
