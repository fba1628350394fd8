"""Request and response bodies of /api/v1 (pydantic): the contract of DESIGN.md."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field

from ..domain.errors import InvalidServices
from .dates import AwareServiceDatetime

Language = Literal["nl", "en", "tr", "pl", "ar"]
ChannelName = Literal["kiosk", "robot", "host", "web", "desk"]


class WaitRangeOut(BaseModel):
    """An estimated wait the data cannot pin to the minute: from ``low`` to ``high`` minutes."""

    low: int
    high: int


class NextServiceOut(BaseModel):
    """When a visit of several services is expected to be called for its next service: times of
    day in the location's time zone on the clock's 5-minute marks (15 beyond an hour), never a
    time like 10:37; ``earliest`` equals ``latest`` when the estimate is one time ("around")."""

    service: str
    earliest: datetime
    latest: datetime


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


CASE_REFERENCE = (
    "The case number the visit is about, such as ZAAK-2026-0000000001 (nothing else: no names or "
    "free text), for the clerk at the desk; only desk, host and admin tokens ever see it again.")


def _left_out(value: object) -> bool:
    return value is None


def case_reference_field() -> Any:
    # Left out of the request hash when absent, so Idempotency-Keys stored before this field
    # existed still match their replays.
    return Field(default=None, description=CASE_REFERENCE, examples=["ZAAK-2026-0000000001"], exclude_if=_left_out)


ServiceId = Annotated[str, Field(min_length=1, max_length=64)]


def visit_services(service: str | None, services: list[str] | None) -> list[str]:
    """The services a ticket request asks for: exactly one of ``service`` and ``services``. Neither
    is the missing field ``service`` (422 ``invalid_request``, as ever); both is ``invalid_services``."""
    if service is None and services is None:
        raise RequestValidationError([{"loc": ("body", "service"), "type": "missing",
                                       "msg": "Field required (or 'services', a visit of 1 to 3 in order)"}])
    if service is not None and services is not None:
        raise InvalidServices("Give either 'service' (one) or 'services' (a visit of 1 to 3, in order), not both.")
    return [service] if service is not None else list(services or [])


class IssueTicketIn(Strict):
    service: ServiceId | None = Field(default=None, exclude_if=_left_out, description=(
        "The one service of the visit; or give ``services``"))
    services: list[ServiceId] | None = Field(default=None, max_length=10, exclude_if=_left_out, description=(
        "The visit's services in order (1 to 3, distinct, each offered here for walk-ins); the number "
        "comes from the first. Instead of ``service``"), examples=[["paspoort", "verhuizing"]])
    language: Language = "nl"
    channel: ChannelName | None = None
    priority: bool = False
    case_reference: str | None = case_reference_field()

    def visit(self) -> list[str]:
        return visit_services(self.service, self.services)


class TimelineEntryOut(BaseModel):
    step: str
    at: datetime
    desk: str | None = None
    service: str | None = None


class TicketOut(BaseModel):
    id: str
    number: str
    location: str
    service: str
    kind: str
    status: str
    priority: bool
    language: str
    channel: str
    position: int
    estimated_wait_minutes: int
    estimated_wait_range: WaitRangeOut | None = None
    """Present when the estimate is uncertain: show "from-to minutes" rather than one figure."""
    issued_at: datetime
    desk: str | None = None
    desk_number: int | None = None
    appointment_at: datetime | None = None
    mobile_url: str
    timeline: list[TimelineEntryOut]
    services: list[str] = Field(description=(
        "The visit's services in order: done, current and next. ``service`` is the current one"))
    service_index: int = Field(description="Where ``service`` is in ``services`` (0: the first)")
    next_service: NextServiceOut | None = Field(default=None, description=(
        "In the ticket's own read (GET /tickets/{id}) of a visit with a next service, waiting or at a "
        "desk: when it is expected to be called for that service; null when no open desk reaches it"))


class StaffTicketOut(TicketOut):
    """A ticket as desks, hosts and admins see it."""

    case_reference: str | None = Field(default=None, description=(
        "The case the visit is about; only in answers to desk, host and admin tokens, never in public ones"))


class TransferIn(Strict):
    """The body of ``transfer`` (the new current service) and ``add-service`` (one more, at the end)."""

    service: str = Field(min_length=1, max_length=64)


class CheckInIn(Strict):
    code: str = Field(min_length=1, max_length=64)
    made_at: AwareServiceDatetime | None = Field(
        default=None, description="When the visitor checked in at the device. A check-in that waited in an offline "
        "kiosk's outbox is judged at this time (when it is between 2 minutes and 12 hours old), not at its arrival")


class AppointmentIn(Strict):
    location: str = Field(min_length=1, max_length=64)
    service: str = Field(min_length=1, max_length=64)
    starts_at: AwareServiceDatetime
    language: Language = "nl"
    code: str | None = Field(default=None, max_length=32)
    external_reference: str | None = Field(default=None, max_length=128,
                                           description="The booking system's own reference")
    count: int = Field(default=1, ge=1, le=6, description="Appointments one after another (on the spot)")


class AppointmentOut(BaseModel):
    id: str
    code: str
    location: str
    service: str
    starts_at: datetime
    status: str
    language: str
    ticket_id: str | None = None
    check_in_opens_at: datetime
    check_in_closes_at: datetime
    ends_at: datetime
    visitor_url: str
    """The visitor's own page: date, time, place, what to bring, a calendar file, cancelling."""
    also: list[AppointmentOut] = []
    """The further appointments of a booking that holds more than one."""


class AssistIn(Strict):
    reason: Literal["visitor_needs_help", "language", "accessibility", "complaint", "technical", "printer",
                    "low_battery", "other"] = "visitor_needs_help"
    place: str | None = Field(default=None, max_length=64, description="Where in the hall, e.g. 'kiosk-1'")
    note: str | None = Field(default=None, max_length=200,
                             description="Short, for the host; never personal data")


class AssistOut(BaseModel):
    id: str
    location: str
    source: str
    reason: str
    status: str
    place: str | None
    note: str | None
    created_at: datetime
    resolved_at: datetime | None = None


class DeviceStatusIn(Strict):
    online: bool = True
    battery_percent: int | None = Field(default=None, ge=0, le=100)
    printer: Literal["ok", "paper_low", "paper_out", "offline", "none"] | None = None
    tablet: Literal["ok", "wifi_disconnected", "wifi_scanning", "wifi_idle", "page_error", "missing"] | None = None
    """A robot's tablet: its Wi-Fi (ALTabletService.getWifiStatus) or a page it could not load."""
    detail: str | None = Field(default=None, max_length=200)


class DeviceCommandIn(Strict):
    """A host's command to a robot."""

    command: Literal["pause", "resume"]


class DeviceCommandOut(BaseModel):
    device: str
    command: str
    id: int | None = None
    """The command's event id (in ``GET /devices/me/commands``)."""
    at: datetime | None = None


class DeviceCommandsOut(BaseModel):
    commands: list[DeviceCommandOut]
    last_id: int


class ServiceQueueOut(BaseModel):
    service: str
    letter: str
    names: dict[str, str]
    waiting: int
    estimated_wait_minutes: int
    estimated_wait_range: WaitRangeOut | None = None
    longest_wait_minutes: int
    norm_minutes: int


class CallOut(BaseModel):
    number: str
    service: str
    desk: str | None
    desk_number: int | None
    at: datetime
    recalled: bool


class DeskOut(BaseModel):
    id: str
    number: int
    open: bool
    serving: str | None
    status: str | None


class WaitingTicketOut(BaseModel):
    id: str
    number: str
    service: str
    kind: str
    priority: bool
    language: str
    queued_at: datetime
    appointment_at: datetime | None
    case_reference: str | None = None
    services: list[str] = Field(default_factory=list, description=(
        "The visit's services in order (done, current, next); ``service`` is the current one"))
    service_index: int = 0


class QueueOut(BaseModel):
    location: str
    at: datetime
    services: list[ServiceQueueOut]
    recent_calls: list[CallOut]
    desks: list[DeskOut]
    tickets: list[WaitingTicketOut] | None = Field(
        default=None, description="Waiting tickets one by one; only for desk, host and admin tokens")


class SlotOut(BaseModel):
    starts_at: datetime
    ends_at: datetime


class SlotsOut(BaseModel):
    location: str
    service: str
    length_minutes: int
    slots: list[SlotOut]


class SlotDaysOut(BaseModel):
    location: str
    service: str
    days: list[date]
    """The days from today to the booking horizon with at least one free slot."""


class PushKeysIn(Strict):
    p256dh: str = Field(min_length=1, max_length=128)
    auth: str = Field(min_length=1, max_length=64)


class PushSubscriptionIn(BaseModel):
    """A browser's ``PushSubscription.toJSON()``: its push service's endpoint and keys."""

    endpoint: str = Field(min_length=1, max_length=2048)
    keys: PushKeysIn
    expirationTime: float | None = None


class PushUnsubscribeIn(Strict):
    endpoint: str = Field(min_length=1, max_length=2048)


class PushSubscriptionOut(BaseModel):
    ticket_id: str
    endpoint: str


class PushKeyOut(BaseModel):
    public_key: str
    """base64url: the ``applicationServerKey`` to subscribe with."""


class StepActorOut(BaseModel):
    kind: str
    """``person``, ``device`` or ``system``."""
    name: str
    """A person's display name, a device's name, or ``system`` for the service's own housekeeping."""
    role: str | None = None


class TimelineStepOut(BaseModel):
    step: str
    at: datetime
    desk: str | None = None
    desk_number: int | None = None
    service: str | None = None
    by: StepActorOut | None = None
    """Who took the step; None when the audit trail no longer holds it."""


class TicketTimelineOut(BaseModel):
    """A ticket's timeline with who took each step, for desks, hosts and managers: staff names and
    device names only, no visitor data."""

    id: str
    number: str
    location: str
    service: str
    status: str
    steps: list[TimelineStepOut]
