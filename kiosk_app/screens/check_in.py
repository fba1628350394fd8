"""Check in for an appointment: the camera looks for the confirmation's QR code while the visitor can
also type the code on the keypad; every answer is kind and offers the next step."""

from __future__ import annotations

from kivy.app import App

from ..texts import N_
from .base import KioskScreen

STEP_BUTTONS = {
    "walk_in": (N_("Draw a ticket"), "ticket"),
    "retype": (N_("Type the code again"), "keyboard"),
    "call_host": (N_("Call a host"), "person"),
    "other_location": (N_("Call a host"), "person"),
}
"""The button under an answer, by the view-model's ``next_step``: words and icon. Otherwise "Done"."""


class CheckInScreen(KioskScreen):
    heading = "Hold the QR code of your confirmation in front of the camera, or type your code."

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="check_in", **kwargs)

    def key(self, key: str) -> None:
        vm = App.get_running_app().check_in
        if key == "\b":
            vm.backspace()
        else:
            vm.type_code(key)

    def step_words(self, step: str, _language: str) -> str:
        return App.get_running_app().t(STEP_BUTTONS.get(step, (N_("Done"), ""))[0])

    def step_icon(self, step: str) -> str:
        return STEP_BUTTONS.get(step, ("", "check"))[1]

    def next_step(self) -> None:
        """The button under an answer: what ``next_step`` says the visitor can do now."""
        app = App.get_running_app()
        step = app.check_in.next_step
        if step == "walk_in":
            app.walk_in.reset()
            app.show("walk_in")
        elif step == "retype":
            app.check_in.reset()
        elif step in ("call_host", "other_location"):
            app.call_host("check_in_problem")
        else:
            app.end_visit()
