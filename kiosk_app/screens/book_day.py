"""Make an appointment: the days with a free place (weekday and date in the visitor's language), a
page at a time."""

from __future__ import annotations

from typing import Any

from kivy.app import App

from ..viewmodels.booking import DAYS_PER_PAGE
from ..widgets import KioskButton
from .base import KioskScreen


class BookDayScreen(KioskScreen):
    heading = "Which day suits you?"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="book_day", **kwargs)
        app = App.get_running_app()
        app.booking.bind(days=self._days, day_page=self._days)
        self._days()

    def _days(self, *_: object) -> None:
        grid = self.ids.days
        grid.clear_widgets()
        app = App.get_running_app()
        for day in app.booking.shown_days:
            button = KioskButton(words=day["words"], points=24, min_height=104, action=f"day:{day['day']}")
            button.bind(on_release=lambda _b, d=day["day"]: app.booking.choose_day(d))
            grid.add_widget(button)

    def more(self, pages: int, count: int, *_bound: Any) -> bool:
        """Whether there is a page of days before (``pages`` -1) or after (+1) the one shown."""
        page = App.get_running_app().booking.day_page
        return page > 0 if pages < 0 else (page + 1) * DAYS_PER_PAGE < count

    def spoken(self) -> str:
        app = App.get_running_app()
        return app.booking.message or app.t(self.heading)
