"""Call a host: the request goes out at once (``app.call_host``); the screen says what happens next."""

from __future__ import annotations

from kivy.app import App

from .base import KioskScreen


class CallHostScreen(KioskScreen):
    heading = "Call a host"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="call_host", **kwargs)

    def spoken(self) -> str:
        return str(App.get_running_app().assist.message)
