"""What the client returns: plain dataclasses read from the API's JSON (DESIGN.md contract).

Reading is strict about the fields a kiosk relies on and lenient about the rest: a missing or
mistyped required field raises ``BadResponse``; unknown extra fields are ignored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .errors import BadResponse


class _Fields:
    """Typed access to one JSON object; every failure becomes ``BadResponse`` naming the field."""

    def __init__(self, data: Any, what: str) -> None:
        if not isinstance(data, Mapping):
            raise BadResponse(f"Expected a JSON object for {what}, got {type(data).__name__}.")
        self.data = data
        self.what = what

    def _get(self, name: str, kinds: tuple[type, ...], required: bool) -> Any:
        if name not in self.data or self.data[name] is None:
            if required:
                raise BadResponse(f"The {self.what} has no '{name}'.")
            return None
        value = self.data[name]
        if isinstance(value, bool) and bool not in kinds:
            raise BadResponse(f"The {self.what}'s '{name}' has the wrong type.")
        if not isinstance(value, kinds):
            raise BadResponse(f"The {self.what}'s '{name}' has the wrong type.")
        return value

    def text(self, name: str) -> str:
        return str(self._get(name, (str,), True))

    def opt_text(self, name: str) -> str | None:
        return self._get(name, (str,), False)

    def integer(self, name: str) -> int:
        return int(self._get(name, (int,), True))

    def opt_integer(self, name: str) -> int | None:
        return self._get(name, (int,), False)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self._get(name, (bool,), False)
        return default if value is None else bool(value)

    def time(self, name: str) -> datetime:
        value = self.opt_time(name)
        if value is None:
            raise BadResponse(f"The {self.what} has no '{name}'.")
        return value

    def opt_time(self, name: str) -> datetime | None:
        text = self._get(name, (str,), False)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise BadResponse(f"The {self.what}'s '{name}' is not a time: {text[:40]!r}.") from None
        if moment.utcoffset() is None:
            raise BadResponse(f"The {self.what}'s '{name}' has no timezone.")
        return moment

    def day(self, name: str) -> date:
        text = self.text(name)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise BadResponse(f"The {self.what}'s '{name}' is not a date: {text[:40]!r}.") from None

    def items(self, name: str, required: bool = True) -> list[Any]:
        value = self._get(name, (list,), required)
        return [] if value is None else list(value)

    def objects(self, name: str, what: str) -> list[_Fields]:
        """The list ``name`` of JSON objects, each read as a ``what``."""
        return [_Fields(item, what) for item in self.items(name)]

    def texts(self, name: str, required: bool = True) -> tuple[str, ...]:
        """The list ``name`` of strings; ``()`` when an optional one is left out."""
        values = tuple(self.items(name, required))
        if not all(isinstance(value, str) for value in values):
            raise BadResponse(f"The {self.what}'s '{name}' has the wrong type.")
        return values

    def visit_services(self) -> tuple[str, tuple[str, ...], int]:
        """A ticket's current ``service``, its visit's ``services`` and the current one's
        ``service_index``, checked against each other. Services left out (a server from before
        several services per visit): ``(service,)`` and 0."""
        service = self.text("service")
        services = self.texts("services", required=False) or (service,)
        index = self.opt_integer("service_index") or 0
        if not 0 <= index < len(services) or services[index] != service:
            raise BadResponse(f"The {self.what}'s 'service' is not its 'services'[service_index].")
        return service, services, index

    def mapping(self, name: str) -> dict[str, Any]:
        value = self._get(name, (dict,), False)
        return {} if value is None else dict(value)


@dataclass(frozen=True)
class Ticket:
    """A ticket as the visitor holds it. An offline ticket (``offline=True``) has its number from a
    leased block and its real issue time, but no id, position or mobile link until it is synced."""

    number: str
    location: str
    service: str
    issued_at: datetime
    language: str = "nl"
    status: str = "waiting"
    offline: bool = False
    id: str | None = None
    kind: str = "walk_in"
    channel: str = "kiosk"
    priority: bool = False
    position: int | None = None
    estimated_wait_minutes: int | None = None
    mobile_url: str | None = None
    desk: str | None = None
    desk_number: int | None = None
    appointment_at: datetime | None = None
    key: str | None = None
    """The Idempotency-Key (outbox entry) of the action that made it."""
    services: tuple[str, ...] = ()
    """The visit's services in order (done, current, next); ``service`` is ``services[service_index]``.
    Left out (and from a server before several services per visit): ``(service,)``."""
    service_index: int = 0

    def __post_init__(self) -> None:
        if not self.services:
            object.__setattr__(self, "services", (self.service,))

    @property
    def next_services(self) -> tuple[str, ...]:
        """The services still to come after the current one."""
        return self.services[self.service_index + 1:]

    @classmethod
    def from_json(cls, data: Any, key: str | None = None) -> Ticket:
        f = _Fields(data, "ticket")
        service, services, index = f.visit_services()
        return cls(number=f.text("number"), location=f.text("location"), service=service,
                   services=services, service_index=index,
                   issued_at=f.time("issued_at"), language=f.opt_text("language") or "nl", status=f.text("status"),
                   offline=False, id=f.text("id"), kind=f.opt_text("kind") or "walk_in",
                   channel=f.opt_text("channel") or "kiosk", priority=f.flag("priority"),
                   position=f.opt_integer("position"),
                   estimated_wait_minutes=f.opt_integer("estimated_wait_minutes"), mobile_url=f.opt_text("mobile_url"),
                   desk=f.opt_text("desk"), desk_number=f.opt_integer("desk_number"),
                   appointment_at=f.opt_time("appointment_at"), key=key)


@dataclass(frozen=True)
class Queued:
    """A state change kept in the outbox because the server could not be reached; it is sent, with
    the same Idempotency-Key, as soon as the server answers again (see ``Client.outcome``)."""

    key: str
    action: str
    queued_at: datetime
    reason: str = "offline"
    """Why it was not sent now: ``offline`` (the link was already down) or the failure's text."""


@dataclass(frozen=True)
class NumberBlock:
    """Numbers ``first``..``last`` of one letter, leased to this kiosk for one business day."""

    block_id: str
    location: str
    service: str
    letter: str
    business_day: date
    first: int
    last: int

    @classmethod
    def from_json(cls, data: Any) -> NumberBlock:
        f = _Fields(data, "number block")
        block = cls(block_id=f.text("block_id"), location=f.text("location"), service=f.text("service"),
                    letter=f.text("letter"), business_day=f.day("business_day"), first=f.integer("first"),
                    last=f.integer("last"))
        if not 1 <= block.first <= block.last:
            raise BadResponse(f"The number block {block.first}..{block.last} is empty.")
        return block


@dataclass(frozen=True)
class ServiceQueue:
    service: str
    letter: str
    names: dict[str, str]
    waiting: int
    estimated_wait_minutes: int


@dataclass(frozen=True)
class RecentCall:
    number: str
    service: str
    desk: str | None
    desk_number: int | None
    at: datetime
    recalled: bool


@dataclass(frozen=True)
class WaitingTicket:
    id: str
    number: str
    service: str
    kind: str
    priority: bool
    queued_at: datetime
    services: tuple[str, ...] = ()
    """The visit's services in order; left out (an older server): ``(service,)``."""
    service_index: int = 0

    def __post_init__(self) -> None:
        if not self.services:
            object.__setattr__(self, "services", (self.service,))

    @classmethod
    def from_json(cls, data: Any) -> WaitingTicket:
        f = _Fields(data, "waiting ticket")
        service, services, index = f.visit_services()
        return cls(f.text("id"), f.text("number"), service, f.text("kind"), f.flag("priority"), f.time("queued_at"),
                   services, index)


@dataclass(frozen=True)
class QueueOverview:
    location: str
    at: datetime
    services: tuple[ServiceQueue, ...]
    recent_calls: tuple[RecentCall, ...]
    tickets: tuple[WaitingTicket, ...] | None = None
    """The waiting tickets one by one; only for desk, host and admin tokens."""

    @classmethod
    def from_json(cls, data: Any) -> QueueOverview:
        f = _Fields(data, "queue")
        services = tuple(ServiceQueue(s.text("service"), s.text("letter"), s.mapping("names"), s.integer("waiting"),
                                      s.integer("estimated_wait_minutes"))
                         for s in f.objects("services", "queue's service"))
        calls = tuple(RecentCall(c.text("number"), c.text("service"), c.opt_text("desk"), c.opt_integer("desk_number"),
                                 c.time("at"), c.flag("recalled"))
                      for c in f.objects("recent_calls", "recent call"))
        tickets = None
        if f.data.get("tickets") is not None:
            tickets = tuple(WaitingTicket.from_json(item) for item in f.items("tickets"))
        return cls(f.text("location"), f.time("at"), services, calls, tickets)


@dataclass(frozen=True)
class ServiceInfo:
    id: str
    letter: str
    names: dict[str, str]
    walk_in: bool


@dataclass(frozen=True)
class DeskInfo:
    id: str
    number: int
    services: tuple[str, ...]


@dataclass(frozen=True)
class Booking:
    """How visitors book an appointment at a location: here, on the spot (``books_here``, for
    ``services``), or on the city's website (``booking_url``)."""

    books_here: bool
    services: tuple[str, ...]
    booking_url: str | None = None
    book_ahead_days: int = 0
    max_per_booking: int = 1

    @classmethod
    def from_json(cls, data: Any) -> Booking | None:
        if data is None:
            return None
        f = _Fields(data, "booking")
        return cls(f.flag("books_here"), f.texts("services", required=False),
                   f.opt_text("booking_url"), f.opt_integer("book_ahead_days") or 0,
                   f.opt_integer("max_per_booking") or 1)


@dataclass(frozen=True)
class LocationInfo:
    """The public configuration of a location (the parts a kiosk uses; all of it in ``raw``)."""

    id: str
    name: str
    languages: tuple[str, ...]
    services: tuple[ServiceInfo, ...]
    desks: tuple[DeskInfo, ...]
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    booking: Booking | None = None
    """None: no appointments are booked on the spot here, nor is a booking website known."""

    @classmethod
    def from_json(cls, data: Any) -> LocationInfo:
        f = _Fields(data, "location")
        services = tuple(ServiceInfo(s.text("id"), s.text("letter"), s.mapping("names"), s.flag("walk_in"))
                         for s in f.objects("services", "service"))
        desks = tuple(DeskInfo(d.text("id"), d.integer("number"), d.texts("services"))
                      for d in f.objects("desks", "desk"))
        return cls(f.text("id"), f.text("name"), f.texts("languages"), services, desks, dict(f.data),
                   Booking.from_json(f.data.get("appointments")))

    def service(self, service_id: str) -> ServiceInfo | None:
        return next((s for s in self.services if s.id == service_id), None)


@dataclass(frozen=True)
class CaseStep:
    status: str
    """What the status means for the visitor, in the language asked for."""
    day: date


@dataclass(frozen=True)
class CaseStatus:
    """A case as a visitor may see it after the look-up: no name, address or BSN."""

    identificatie: str
    case_type: str
    timeline: tuple[CaseStep, ...]
    expected_end_date: date | None
    closed_on: date | None

    @classmethod
    def from_json(cls, data: Any) -> CaseStatus:
        f = _Fields(data, "case status")
        steps = tuple(CaseStep(step.text("status"), step.day("date"))
                      for step in f.objects("timeline", "case status step"))
        return cls(f.text("identificatie"), f.text("case_type"), steps,
                   f.day("expected_end_date") if data.get("expected_end_date") else None,
                   f.day("closed_on") if data.get("closed_on") else None)


@dataclass(frozen=True)
class PublicReaction:
    """A complaint, report or question received as a case: its number is shown and printed for the
    visitor. The text and e-mail address are not in it."""

    identificatie: str
    type: str
    """``complaint``, ``report`` or ``question``."""
    case_type: str
    """The case type's name in the language asked for."""
    received_at: datetime
    expected_end_date: date
    key: str | None = None
    """The Idempotency-Key (outbox entry) it was sent with."""

    @classmethod
    def from_json(cls, data: Any, key: str | None = None) -> PublicReaction:
        f = _Fields(data, "public reaction")
        return cls(f.text("identificatie"), f.text("type"), f.text("case_type"), f.time("received_at"),
                   f.day("expected_end_date"), key)


@dataclass(frozen=True)
class AssistRequest:
    id: str
    location: str
    reason: str
    status: str
    place: str | None
    created_at: datetime

    @classmethod
    def from_json(cls, data: Any) -> AssistRequest:
        f = _Fields(data, "assist request")
        return cls(f.text("id"), f.text("location"), f.text("reason"), f.text("status"), f.opt_text("place"),
                   f.time("created_at"))


@dataclass(frozen=True)
class DeviceCommand:
    """A host's command to this device (a robot): ``pause`` or ``resume``; ``id`` orders them."""

    id: int
    command: str
    at: datetime

    @classmethod
    def from_json(cls, data: Any) -> DeviceCommand:
        f = _Fields(data, "device command")
        return cls(f.integer("id"), f.text("command"), f.time("at"))


@dataclass(frozen=True)
class DeviceCommands:
    """This device's commands after a cursor, oldest first, and the cursor to ask with next."""

    commands: tuple[DeviceCommand, ...]
    last_id: int

    @classmethod
    def from_json(cls, data: Any) -> DeviceCommands:
        f = _Fields(data, "device commands")
        items = data.get("commands") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise BadResponse("The device commands carry no list of commands.")
        return cls(tuple(DeviceCommand.from_json(item) for item in items), f.integer("last_id"))


@dataclass(frozen=True)
class Outcome:
    """What became of an outbox entry: ``pending``, ``done`` (with the server's ``answer``),
    ``rejected`` (with the problem's ``code`` and ``detail``) or ``abandoned``."""

    key: str
    action: str
    state: str
    status: int | None = None
    answer: Any = None
    code: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class SyncReport:
    """One drain of the outbox: what was sent, refused, and is left, and why it stopped."""

    replayed: int
    rejected: int
    remaining: int
    seconds: float
    stopped: str | None = None
    """None when the outbox is drained; else ``offline``, ``unauthorized``, ``closed`` or ``busy``."""


@dataclass(frozen=True)
class Slot:
    """A free appointment time: when it starts and ends (times only, no one's data)."""

    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Slots:
    """Free slots of a service at a location, earliest first."""

    location: str
    service: str
    length_minutes: int
    slots: tuple[Slot, ...]

    @classmethod
    def from_json(cls, data: Any) -> Slots:
        f = _Fields(data, "slots")
        slots = tuple(Slot(s.time("starts_at"), s.time("ends_at")) for s in f.objects("slots", "slot"))
        return cls(f.text("location"), f.text("service"), f.integer("length_minutes"), slots)


@dataclass(frozen=True)
class Appointment:
    """A booked appointment: its check-in ``code`` (printed, and in the QR) and the visitor's own
    page (``visitor_url``: date, time, place, what to bring, a calendar file, cancelling)."""

    id: str
    code: str
    location: str
    service: str
    starts_at: datetime
    ends_at: datetime
    status: str
    language: str
    visitor_url: str
    check_in_opens_at: datetime
    check_in_closes_at: datetime
    also: tuple[Appointment, ...] = ()
    """The further appointments of a booking that holds more than one."""

    @classmethod
    def from_json(cls, data: Any) -> Appointment:
        f = _Fields(data, "appointment")
        return cls(f.text("id"), f.text("code"), f.text("location"), f.text("service"), f.time("starts_at"),
                   f.time("ends_at"), f.text("status"), f.opt_text("language") or "nl", f.text("visitor_url"),
                   f.time("check_in_opens_at"), f.time("check_in_closes_at"),
                   tuple(Appointment.from_json(item) for item in f.items("also", required=False)))
