"""The appointment booked: the check-in code large, day, time and place, the QR of the visitor's own
page, and whether the confirmation was printed (when not, the screen keeps code and QR and says so).
A booking for several people shows each appointment's time, code and page QR in turn."""

from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory

from .base import KioskScreen


class BookedScreen(KioskScreen):
    heading = "Your appointment is booked."

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="booked", **kwargs)
        App.get_running_app().booking.bind(booked=self._fill)
        self._fill()

    def _fill(self, *_: object) -> None:
        booked = App.get_running_app().booking.booked
        several = len(booked) > 1
        self.ids.codes.clear_widgets()
        self.ids.pages.clear_widgets()
        for place, appointment in enumerate(booked, 1):
            time_words = f"{place}. {appointment['time_words']}" if several else ""
            code = Factory.BookedCode()  # a kv class: its own properties are set after it is made
            code.time_words, code.code, code.check_in = time_words, appointment["code"], appointment["check_in_words"]
            self.ids.codes.add_widget(code)
            page = Factory.BookedPage()
            page.url, page.place = appointment["visitor_url"], time_words
            self.ids.pages.add_widget(page)

    def status(self, *_bound: object) -> tuple[str, str]:
        """(icon, words) about the printed confirmation."""
        app = App.get_running_app()
        vm = app.booking
        if vm.printed:
            return "printer", app.t("Your confirmation has been printed. Please take it with you.")
        if vm.show_on_screen:
            if vm.printer_status:
                return "warning", app.t("The printer is not working right now. Please write down your code, or "
                                        "scan the QR code with your phone.")
            return "warning", app.t("Please write down your code, or scan the QR code with your phone.")
        return "clock", app.t("Printing your confirmation…")

    def spoken(self) -> str:
        app = App.get_running_app()
        vm = app.booking
        if len(vm.booked) > 1:
            each = [f"{b['time_words']}: " + app.t("Your check-in code is {code}.").format(code=" ".join(b["code"]))
                    for b in vm.booked]
            return " ".join((app.t("Your appointments are booked."), vm.service_name, vm.day_words, *each))
        return " ".join((app.t(self.heading), vm.service_name, vm.day_words, vm.time_words,
                         app.t("Your check-in code is {code}.").format(code=" ".join(vm.code)), vm.check_in_words))
