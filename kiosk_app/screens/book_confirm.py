"""Make an appointment: what will be booked (service, day, time, for several people each one's time,
place), and one button to book it."""

from __future__ import annotations

from kivy.app import App

from .base import KioskScreen


class BookConfirmScreen(KioskScreen):
    heading = "Is this right?"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="book_confirm", **kwargs)

    def spoken(self) -> str:
        app = App.get_running_app()
        vm = app.booking
        return " ".join(part for part in (app.t(self.heading), vm.service_name, vm.day_words, vm.time_words,
                                          vm.people_words, vm.place_words, vm.message) if part)
