"""What happens around the robot, as the behaviour sees it: plain dataclasses, no qi.

The NAOqi adapter turns ALMemory events, tablet taps and battery readings into these; the central
service adapter turns the answers to commands into ``TicketIssued``, ``CheckedIn`` and friends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PersonEntered:
    """Someone stepped into the engagement zone (EngagementZones/PersonEnteredZone1)."""

    person_id: int


@dataclass(frozen=True)
class PersonLeft:
    """Someone is out of the robot's view (PeoplePerception/JustLeft, 2-10 s after they went)."""

    person_id: int


@dataclass(frozen=True)
class PersonMovedAway:
    """Someone stepped back out of the engagement zone but may still be in view
    (EngagementZones/PersonMovedAway): for the robot, they left."""

    person_id: int


@dataclass(frozen=True)
class SpeechRecognised:
    """A recognised phrase (ALMemory WordRecognized); ``confidence`` between 0 and 1."""

    text: str
    confidence: float
    language: str = "nl"


@dataclass(frozen=True)
class SpeechFinished:
    """The robot finished (or was stopped in) what it was saying."""


@dataclass(frozen=True)
class TabletTapped:
    """A tap on the tablet menu: ``service:<id>``, ``check_in:<code>``, ``language:<lang>``,
    ``place:<desk or landmark id>``, ``person``, ``hours``, ``bring:<service id>``, ``book``,
    ``book:<service id>``, ``slot:<ISO start time>``, ``back`` (to the menu)."""

    action: str


@dataclass(frozen=True)
class TicketIssued:
    action_key: str
    number: str
    service: str
    url: str | None = None


@dataclass(frozen=True)
class TicketFailed:
    """``reason`` is ``offline`` (the central service cannot be reached) or ``rejected``."""

    action_key: str
    reason: str


@dataclass(frozen=True)
class CheckedIn:
    action_key: str
    number: str
    url: str | None = None


@dataclass(frozen=True)
class CheckInFailed:
    """``reason`` is ``offline``, ``queued`` (sent when the service is back) or ``not_found``."""

    action_key: str
    reason: str


@dataclass(frozen=True)
class BookingOptions:
    """How the location books: on the spot for ``services`` (none: not here), or on the city's
    website ``booking_url``."""

    action_key: str
    services: tuple[str, ...]
    booking_url: str | None = None


@dataclass(frozen=True)
class SlotsFound:
    """The next free times of ``service``, earliest first (none: nothing free to book)."""

    action_key: str
    service: str
    starts: tuple[datetime, ...]


@dataclass(frozen=True)
class Booked:
    """An appointment booked on the spot: its page's ``appointment_id``, check-in ``code`` and the
    visitor's own page ``visitor_url``. Nothing about the visitor."""

    action_key: str
    appointment_id: str
    code: str
    starts_at: datetime
    visitor_url: str


@dataclass(frozen=True)
class BookingFailed:
    """``reason``: ``offline`` (booking needs the connection), ``slot_taken`` (``next_free`` are the
    times still free), ``booked_elsewhere`` (``booking_url``) or ``rejected``."""

    action_key: str
    reason: str
    next_free: tuple[datetime, ...] = ()
    booking_url: str | None = None


@dataclass(frozen=True)
class ServiceDown:
    """The central service cannot be reached."""


@dataclass(frozen=True)
class ServiceUp:
    """The central service answers again."""


@dataclass(frozen=True)
class BatteryLevel:
    percent: int


@dataclass(frozen=True)
class HostPaused:
    """A host paused the robot from the dashboard."""


@dataclass(frozen=True)
class HostResumed:
    """A host resumed the paused robot from the dashboard."""


@dataclass(frozen=True)
class RobotLanguages:
    """The languages the robot has packs for (speech and recognition), found at connect."""

    spoken: tuple[str, ...]


@dataclass(frozen=True)
class TabletStatus:
    """The tablet's Wi-Fi (``CONNECTED``, ``DISCONNECTED``, ``SCANNING``, ``IDLE``; None: unchanged
    or no tablet) and whether the last page failed to load (``problem`` ``page_error``)."""

    wifi: str | None
    problem: str | None = None


@dataclass(frozen=True)
class RobotReconnected:
    """The NAOqi session was lost and is back (the robot may have restarted): what it was saying,
    showing and listening for is gone, and so, most likely, is the visitor."""


@dataclass(frozen=True)
class Tick:
    """Time passes; lets the behaviour notice timeouts without a timer of its own."""


Event = (PersonEntered | PersonLeft | PersonMovedAway | SpeechRecognised | SpeechFinished | TabletTapped
         | TicketIssued | TicketFailed | CheckedIn | CheckInFailed | BookingOptions | SlotsFound | Booked
         | BookingFailed | ServiceDown | ServiceUp | BatteryLevel
         | HostPaused | HostResumed | RobotLanguages | TabletStatus | RobotReconnected | Tick)
