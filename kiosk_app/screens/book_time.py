"""Make an appointment: the free times of the chosen day as large buttons, a page at a time; after a
time was taken at the last moment, the next free times (with their day when it is another one)."""

from __future__ import annotations

from typing import Any

from kivy.app import App

from ..viewmodels.booking import TIMES_PER_PAGE
from ..widgets import KioskButton
from .base import KioskScreen


class BookTimeScreen(KioskScreen):
    heading = "Which time suits you?"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="book_time", **kwargs)
        app = App.get_running_app()
        app.booking.bind(times=self._times, time_page=self._times)
        self._times()

    def _times(self, *_: object) -> None:
        grid = self.ids.times
        grid.clear_widgets()
        app = App.get_running_app()
        for slot in app.booking.shown_times:
            button = KioskButton(words=slot["words"], points=26, min_height=84, action=f"time:{slot['starts_at']}")
            button.bind(on_release=lambda _b, s=slot["starts_at"]: app.booking.choose_time(s))
            grid.add_widget(button)

    def more(self, pages: int, count: int, *_bound: Any) -> bool:
        page = App.get_running_app().booking.time_page
        return page > 0 if pages < 0 else (page + 1) * TIMES_PER_PAGE < count

    def spoken(self) -> str:
        app = App.get_running_app()
        return app.booking.message or f"{app.t(self.heading)} {app.booking.day_words}"
