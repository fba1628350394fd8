"""The kiosk's view-models: plain Python on Kivy's EventDispatcher and properties, no widgets.
Screens bind to their properties; network calls go through a ``Worker`` (``kiosk_app.worker``)."""

from .assist import AssistViewModel
from .booking import BookingViewModel
from .case_status import CaseStatusViewModel
from .check_in import CheckInViewModel
from .connection import ConnectionViewModel
from .home import HomeViewModel, Tile
from .inactivity import InactivityViewModel
from .information import InformationViewModel
from .language import LanguageViewModel
from .report import ReportViewModel
from .walk_in import WalkInViewModel

__all__ = ["AssistViewModel", "BookingViewModel", "CaseStatusViewModel", "CheckInViewModel", "ConnectionViewModel",
           "HomeViewModel", "InactivityViewModel", "InformationViewModel", "LanguageViewModel", "ReportViewModel",
           "Tile", "WalkInViewModel"]
