"""The kiosk's view-models: plain Python on Kivy's EventDispatcher and properties, no widgets.
Screens bind to their properties; network calls go through a ``Worker`` (``kiosk_app.worker``)."""

from .check_in import CheckInViewModel
from .connection import ConnectionViewModel
from .home import HomeViewModel, Tile
from .inactivity import InactivityViewModel
from .language import LanguageViewModel
from .walk_in import WalkInViewModel

__all__ = ["CheckInViewModel", "ConnectionViewModel", "HomeViewModel", "InactivityViewModel",
           "LanguageViewModel", "Tile", "WalkInViewModel"]
