"""A report, complaint or question: choose the kind, type a short message (and an e-mail address for
the answer, if wished) on the keyboard, send; the case number is shown and printed."""

from __future__ import annotations

from kivy.app import App

from ..texts import N_
from .base import KioskScreen

KINDS = (
    ("complaint", N_("A complaint"), N_("You are not happy with how we treated you.")),
    ("report", N_("A report"), N_("Something in the street or your neighbourhood needs attention.")),
    ("question", N_("A question"), N_("You want to ask the city something.")),
)


class ReportScreen(KioskScreen):
    heading = "Report or complaint"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(name="report", **kwargs)

    def key(self, key: str) -> None:
        App.get_running_app().report.type(key)

    def kind_words(self, kind: str, _language: str) -> str:
        app = App.get_running_app()
        title, explanation = next((t, e) for k, t, e in KINDS if k == kind)
        return f"{app.t(title)}\n{app.t(explanation)}"
