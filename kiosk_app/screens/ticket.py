"""The ticket: the number large, the service, the estimated wait, the QR to follow the queue on a
phone, and whether it was printed (when not, the screen keeps number and QR and says so)."""

from __future__ import annotations

from kivy.app import App

from .base import KioskScreen


class TicketScreen(KioskScreen):
    heading = "Your ticket"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="ticket", **kwargs)

    def status(self, *_bound: object) -> tuple[str, str]:
        """(icon, words) about the paper ticket: printed, printing, or not printed (number on screen)."""
        app = App.get_running_app()
        vm = app.walk_in
        if vm.state != "drawn":
            return "warning", ""
        if vm.printed:
            return "printer", app.t("Your ticket has been printed. Please take it with you.")
        if vm.show_on_screen:
            if vm.printer_status:  # a printer that failed (the view-model reported it to the hosts)
                return "warning", app.t("The printer is not working right now. Please remember your number, or "
                                        "scan the code with your phone.")
            return "warning", app.t("Please remember your number, or scan the code with your phone.")
        return "clock", app.t("Printing your ticket…")

    def visit_words(self, *_bound: object) -> str:
        """A visit of several services: them in order ("Your visit, in this order: 1. ... 2. ...")."""
        app = App.get_running_app()
        vm = app.walk_in
        if vm.state != "drawn" or len(vm.visit) < 2:
            return ""
        return f"{app.t('Your visit, in this order:')} " + "  ".join(
            f"{place}. {service['name']}" for place, service in enumerate(vm.visit, 1))

    def offline_words(self, *_bound: object) -> str:
        app = App.get_running_app()
        vm = app.walk_in
        if vm.state != "drawn":
            return str(vm.message)
        if vm.offline_ticket:
            return app.t("We are working offline for a moment. Your ticket is valid: your number will appear on "
                         "the screens.")
        return ""

    def spoken(self) -> str:
        app = App.get_running_app()
        vm = app.walk_in
        if vm.state != "drawn":
            return str(vm.message)
        return " ".join(part for part in (app.t("Your number is {number}.").format(number=" ".join(vm.ticket_number)),
                                          self.visit_words(), vm.estimated_wait, vm.message) if part)
