"""Welcome: the location's name, a greeting in every language, and the languages by their own names.
Tapping a language starts the visit in it. The welcome screen never times out."""

from __future__ import annotations

from kivy.app import App
from kivy.metrics import dp

from ..widgets import KioskButton
from .base import KioskScreen


class WelcomeScreen(KioskScreen):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="welcome", **kwargs)
        app = App.get_running_app()
        app.language.bind(choices=self._languages)
        self._languages(app.language, app.language.choices)

    def _languages(self, _vm: object, choices: list[tuple[str, str]]) -> None:
        """One big button per language the location offers, named in that language."""
        grid = self.ids.languages
        grid.clear_widgets()
        app = App.get_running_app()
        for code, name in choices:
            button = KioskButton(words=name, kind="primary", points=30, action=f"language:{code}", height=dp(110))
            button.bind(on_release=lambda _b, c=code: app.start_visit(c))
            grid.add_widget(button)

    def spoken(self) -> str:
        return "Welkom. Kies uw taal."
