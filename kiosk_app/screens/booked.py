"""The appointment booked: the check-in code large, day, time and place, the QR of the visitor's own
page, and whether the confirmation was printed (when not, the screen keeps code and QR and says so)."""

from __future__ import annotations

from kivy.app import App

from .base import KioskScreen


class BookedScreen(KioskScreen):
    heading = "Your appointment is booked."

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="booked", **kwargs)

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
        return " ".join((app.t(self.heading), vm.service_name, vm.day_words, vm.time_words,
                         app.t("Your check-in code is {code}.").format(code=" ".join(vm.code)), vm.check_in_words))
