"""The location configuration as plain, immutable data: what every part of Gastvrij reads at start.

Loaded and validated by :mod:`location_config.loader`; nothing here touches files or frameworks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time

LANGUAGES = ("nl", "en", "tr", "pl", "ar")
"""Languages Gastvrij knows; every name and wayfinding text exists in each of them."""

CALL_CRITERIA = ("appointment_due", "priority", "norm_urgency", "service_order", "longest_wait")
"""The criteria a desk uses to choose the next ticket, in the default order."""

NEXT_SERVICE_PLACES = ("previous_end", "arrival")
"""Where a visit with several services lines up for its next one: by the moment its previous
service ended (default), or by the time the visitor arrived (the ticket's issue time)."""

DEVICE_KINDS = ("kiosk", "robot", "display", "desk", "integration")
"""What a device is; also the role its token gets (``desk`` is the clerk's desk page)."""


@dataclass(frozen=True)
class Service:
    """What a visitor comes for (product), from the shared catalogue."""

    id: str
    letter: str
    names: Mapping[str, str]
    norm_minutes: int
    """Wait-time norm: visitors should be helped within this many minutes..."""
    norm_share: float
    """...for at least this share of visitors (0.8 = 80%)."""
    typical_service_minutes: float
    walk_in: bool
    """A walk-in ticket may be drawn for it (otherwise appointment only)."""
    appointment: bool
    """Appointments can be booked for it."""
    bring: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """What to bring, per language."""

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["nl"]


@dataclass(frozen=True)
class Position:
    """A spot in the hall, in metres from the location's reference point (for the robot to point at)."""

    x: float
    y: float


@dataclass(frozen=True)
class Desk:
    """A counter (balie) with a number, serving services in priority order."""

    id: str
    number: int
    services: tuple[str, ...]
    floor: int
    wayfinding: Mapping[str, str]
    position: Position


@dataclass(frozen=True)
class Landmark:
    """A place visitors ask for that is not a desk: toilets, exit, waiting area, lift."""

    id: str
    names: Mapping[str, str]
    wayfinding: Mapping[str, str]
    position: Position
    floor: int = 0


@dataclass(frozen=True)
class TimeRange:
    opens: time
    closes: time


@dataclass(frozen=True)
class OpeningHours:
    weekly: Mapping[int, tuple[TimeRange, ...]]
    """Weekday (0 = Monday) to the opening periods of that day; a missing day is closed."""
    exceptions: Mapping[date, tuple[TimeRange, ...]] = field(default_factory=dict)
    """Dates that differ from the week (holidays); an empty tuple means closed all day."""

    def on(self, day: date) -> tuple[TimeRange, ...]:
        if day in self.exceptions:
            return self.exceptions[day]
        return self.weekly.get(day.weekday(), ())

    def is_open(self, day: date, at: time) -> bool:
        return any(r.opens <= at < r.closes for r in self.on(day))


@dataclass(frozen=True)
class Placement:
    """Where a robot stands in the hall and which way it faces, so that it points the right way."""

    position: Position
    heading: float
    """Degrees clockwise from "into the hall" (+y): 0 into the hall, 90 to the right (+x), 180
    towards the entrance, 270 to the left."""


@dataclass(frozen=True)
class Device:
    """A kiosk, robot, display or desk page installed at the location, with its own settings."""

    id: str
    kind: str
    settings: Mapping[str, object] = field(default_factory=dict)
    placement: Placement | None = None
    """A robot's place in the hall (``[devices.placement]``); required for robots, None for the rest."""


@dataclass(frozen=True)
class CallPolicy:
    order: tuple[str, ...] = CALL_CRITERIA
    appointment_due_before_minutes: int = 5
    """An appointment ticket counts as due this long before its slot starts."""
    long_overdue_share: float = 7.0
    """With the ``norm_urgency`` criterion, a ticket that has waited this many times its service's
    norm comes before every other that is not (the most overdue first): nobody starves. Lower, and
    visitors who can no longer be helped in time push aside those who still can
    (``bench/fair_call_order.py``)."""
    norm_minutes: Mapping[str, float] = field(default_factory=dict)
    """Each offered service's wait-time norm, taken from the catalogue when the location is loaded."""
    next_service_queued_by: str = "previous_end"
    """One of ``NEXT_SERVICE_PLACES``: how a visit's next service queues it (``previous_end``: by
    the end of its previous service, behind those already waiting; ``arrival``: by its issue time)."""

    @property
    def next_service_by_arrival(self) -> bool:
        return self.next_service_queued_by == "arrival"


@dataclass(frozen=True)
class CheckInWindow:
    early_minutes: int = 30
    """How long before the slot a visitor may check in."""
    late_minutes: int = 15
    """How long after the slot starts check-in is still accepted."""


@dataclass(frozen=True)
class AppointmentDesk:
    """A desk that takes appointments, and when (within the location's opening hours)."""

    desk: str
    hours: OpeningHours


@dataclass(frozen=True)
class AppointmentCalendar:
    """How visitors book an appointment on the spot (kiosk, robot, hosts' desk).

    ``booking_url`` set means appointments are booked elsewhere (the city's website): the kiosk shows
    that address and nothing is booked locally; ``desks`` is then empty."""

    slot_minutes: int = 15
    """The grid slots start on, from midnight: 15 gives 09:00, 09:15, ..."""
    book_ahead_days: int = 28
    """The last day that can be booked, counted from today."""
    earliest_minutes: int = 30
    """A slot starts at least this long from now (time to get there, or to come back)."""
    max_per_booking: int = 2
    """Appointments one booking may hold (a family's passports)."""
    lengths: Mapping[str, int] = field(default_factory=dict)
    """Minutes an appointment of a service takes; every bookable offered service is here."""
    desks: tuple[AppointmentDesk, ...] = ()
    booking_url: str | None = None

    @property
    def books_locally(self) -> bool:
        return self.booking_url is None and bool(self.desks)


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    address: str
    timezone: str
    languages: tuple[str, ...]
    opening_hours: OpeningHours
    services: tuple[Service, ...]
    desks: tuple[Desk, ...]
    landmarks: tuple[Landmark, ...] = ()
    devices: tuple[Device, ...] = ()
    call_policy: CallPolicy = field(default_factory=CallPolicy)
    check_in: CheckInWindow = field(default_factory=CheckInWindow)
    appointments: AppointmentCalendar | None = None
    """On-the-spot booking; None: appointments come only from the external booking system."""
    notify_when_ahead: int = 3
    """A visitor who asked for it gets a push when this few people are left before them."""

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def desk(self, desk_id: str) -> Desk | None:
        return next((d for d in self.desks if d.id == desk_id), None)
