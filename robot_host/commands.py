"""What the behaviour asks the robot and the central service to do: plain dataclasses.

``naoqi_adapter`` maps each robot command to one NAOqi call; ``central_service`` carries out
``DrawTicket``, ``CheckIn``, ``FindSlots``, ``BookAppointment``, ``RequestAssist`` and
``ReportStatus`` through the one HTTP client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Say:
    text: str
    language: str
    animated: bool = True


@dataclass(frozen=True)
class StopSpeech:
    """Stop the sentence being spoken (the visitor left or interrupted)."""


@dataclass(frozen=True)
class ShowTablet:
    """A page of the robot's tablet menu (``menu``, ``check_in``, ``ticket``, ``paused``, ...);
    ``url`` when the page is a full address (a ticket's mobile page)."""

    page: str
    language: str = "nl"
    url: str | None = None
    query: tuple[tuple[str, str], ...] = ()
    """More of the page's address (``service``, ``times``, ``appointment``), added after ``lang``."""


@dataclass(frozen=True)
class PointAt:
    """Point at a place in the hall, in metres in the location's floor plan."""

    x: float
    y: float


@dataclass(frozen=True)
class Listen:
    vocabulary: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class SetLanguage:
    language: str


@dataclass(frozen=True)
class Reset:
    """Ready for the next visitor: stop listening, tablet home, Dutch, look around."""


@dataclass(frozen=True)
class DrawTicket:
    """Issue a walk-in ticket. ``action_key`` is one per visitor request: the same key twice must
    never give two tickets."""

    service: str
    language: str
    action_key: str


@dataclass(frozen=True)
class CheckIn:
    code: str
    action_key: str


@dataclass(frozen=True)
class FindSlots:
    """How the location books (``BookingOptions``) and, for a ``service`` booked here, its next free
    times from now or from ``after`` (``SlotsFound``)."""

    service: str | None
    action_key: str
    after: datetime | None = None


@dataclass(frozen=True)
class BookAppointment:
    """Book the free time ``starts_at`` for ``service``, now or never (a booking is never queued
    offline). One ``action_key`` per visitor request: the same key twice books once."""

    service: str
    starts_at: datetime
    language: str
    action_key: str


@dataclass(frozen=True)
class RequestAssist:
    """Call a human host. ``reason`` is one of the API's codes (``visitor_needs_help``,
    ``low_battery``, ...), ``note`` a short fixed text for the host; never personal data."""

    reason: str
    note: str | None = None


@dataclass(frozen=True)
class ReportStatus:
    battery_percent: int | None
    detail: str | None = None
    tablet: str | None = None
    """``ok``, ``wifi_disconnected``, ``page_error`` or ``missing`` (None: not known yet)."""


Command = (Say | StopSpeech | ShowTablet | PointAt | Listen | SetLanguage | Reset | DrawTicket | CheckIn
           | FindSlots | BookAppointment | RequestAssist | ReportStatus)
ROBOT_COMMANDS = (Say, StopSpeech, ShowTablet, PointAt, Listen, SetLanguage, Reset)
CENTRAL_COMMANDS = (DrawTicket, CheckIn, FindSlots, BookAppointment, RequestAssist, ReportStatus)
