"""The kiosk's screens: one module and one .kv file per screen (importing this package loads the .kv
files). ``SCREENS`` names every screen's class; ``StillThere`` is the inactivity overlay above every
screen."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

from .. import widgets  # noqa: F401  (the widgets' rules first)
from .base import KioskScreen, StillThere
from .book import BookScreen
from .book_confirm import BookConfirmScreen
from .book_day import BookDayScreen
from .book_time import BookTimeScreen
from .booked import BookedScreen
from .call_host import CallHostScreen
from .case_status import CaseStatusScreen
from .check_in import CheckInScreen
from .home import HomeScreen
from .information import InformationScreen
from .report import ReportScreen
from .ticket import TicketScreen
from .walk_in import WalkInScreen
from .walk_in_several import WalkInSeveralScreen
from .welcome import WelcomeScreen

KV_FILES = ("base", "welcome", "home", "check_in", "walk_in", "walk_in_several", "ticket", "information",
            "call_host", "case_status", "report", "book", "book_day", "book_time", "book_confirm", "booked")
for _name in KV_FILES:
    _path = str(Path(__file__).with_name(f"{_name}.kv"))
    if _path not in Builder.files:
        Builder.load_file(_path)

SCREENS: dict[str, type[KioskScreen]] = {
    "welcome": WelcomeScreen, "home": HomeScreen, "check_in": CheckInScreen, "walk_in": WalkInScreen,
    "walk_in_several": WalkInSeveralScreen, "ticket": TicketScreen, "information": InformationScreen,
    "call_host": CallHostScreen, "case_status": CaseStatusScreen, "report": ReportScreen, "book": BookScreen,
    "book_day": BookDayScreen, "book_time": BookTimeScreen, "book_confirm": BookConfirmScreen, "booked": BookedScreen,
}
"""Every screen by name; the app builds the welcome screen first and the others in the frames after."""

__all__ = ["SCREENS", "KioskScreen", "StillThere"]
