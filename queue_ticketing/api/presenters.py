"""Domain objects → response bodies. Public ones carry no personal data (there is none to carry)."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request

from location_config import Location

from ..domain.appointments import Appointment
from ..domain.assist import AssistRequest
from ..domain.slots import slot_length
from ..domain.wait_projection import WaitRange
from ..services.context import ServiceContext
from ..services.queue_overview import QueueSnapshot
from ..services.tickets import TicketView
from .schemas import (
    AppointmentOut,
    AssistOut,
    CallOut,
    DeskOut,
    NextServiceOut,
    QueueOut,
    ServiceQueueOut,
    StaffTicketOut,
    TicketOut,
    TimelineEntryOut,
    WaitingTicketOut,
    WaitRangeOut,
)


def public_base(request: Request, ctx_public_url: str | None) -> str:
    if ctx_public_url:
        return ctx_public_url.rstrip("/")
    scope = request.scope
    host = next((value for key, value in scope["headers"] if key == b"host"), None)
    return _base_of(scope.get("scheme", "http"), host, scope.get("server"),
                    scope.get("app_root_path", scope.get("root_path", "")))


@lru_cache(maxsize=64)
def _base_of(scheme: str, host: bytes | None, server: tuple[str, int] | None, root_path: str) -> str:
    """The request's base URL, as ``request.base_url`` makes it, once per host a client names (a
    handful; the cache is bounded, for a client that names hosts at random)."""
    headers = [(b"host", host)] if host is not None else []
    scope = {"type": "http", "scheme": scheme, "server": server, "root_path": root_path, "path": "/",
             "query_string": b"", "headers": headers}
    return str(Request(scope).base_url).rstrip("/")


def ticket_out(view: TicketView, location: Location, base_url: str, *, staff: bool = False) -> TicketOut:
    """The ticket as the caller may see it: with its case reference only for ``staff``
    (see ``sees_case_references``); public answers never carry it, not even as null."""
    t = view.ticket
    desk = location.desk(t.desk) if t.desk else None
    fields: dict[str, Any] = {"case_reference": t.case_reference} if staff else {}
    return (StaffTicketOut if staff else TicketOut)(
        id=t.id, number=t.number, location=t.location, service=t.service, kind=t.kind.value,
        status=t.status.value, priority=t.priority, language=t.language, channel=t.channel.value,
        position=view.position, estimated_wait_minutes=view.estimated_wait_minutes,
        estimated_wait_range=_range(view.estimated_wait_range), issued_at=t.issued_at,
        desk=t.desk, desk_number=desk.number if desk else None, appointment_at=t.appointment_at,
        mobile_url=f"{base_url}/t/{t.id}",
        timeline=[TimelineEntryOut(step=e.step.value, at=e.at, desk=e.desk, service=e.service) for e in t.timeline],
        services=list(t.services), service_index=t.service_index,
        next_service=next_service_out(view, location), **fields,
    )


def next_service_out(view: TicketView, location: Location) -> NextServiceOut | None:
    """When the visit is expected to be called for its next service, in the location's time zone."""
    expected = view.next_service_expected
    if expected is None or not view.ticket.next_services:
        return None
    zone = ZoneInfo(location.timezone)
    return NextServiceOut(service=view.ticket.next_services[0], earliest=expected.earliest.astimezone(zone),
                          latest=expected.latest.astimezone(zone))


def appointment_out(a: Appointment, location: Location, base: str, also: list[Appointment] | None = None
                    ) -> AppointmentOut:
    window = location.check_in
    return AppointmentOut(
        id=a.id, code=a.code, location=a.location, service=a.service, starts_at=a.starts_at,
        status=a.status.value, language=a.language, ticket_id=a.ticket_id,
        check_in_opens_at=a.starts_at - timedelta(minutes=window.early_minutes),
        check_in_closes_at=a.starts_at + timedelta(minutes=window.late_minutes),
        ends_at=a.starts_at + slot_length(location, a.service), visitor_url=f"{base}/a/{a.id}",
        also=[appointment_out(more, location, base) for more in also or []],
    )


def assist_out(r: AssistRequest) -> AssistOut:
    return AssistOut(id=r.id, location=r.location, source=r.source, reason=r.reason, status=r.status,
                     place=r.place, note=r.note, created_at=r.created_at, resolved_at=r.resolved_at)


def base_url(request: Request, ctx: ServiceContext) -> str:
    return public_base(request, request.app.state.settings.public_url)


def queue_out(snapshot: QueueSnapshot, detailed: bool) -> QueueOut:
    location = snapshot.location

    def desk_number(desk_id: str | None) -> int | None:
        desk = location.desk(desk_id) if desk_id else None
        return desk.number if desk else None

    services = []
    for s in snapshot.services:
        service = location.service(s.service)
        assert service is not None
        services.append(ServiceQueueOut(
            service=s.service, letter=service.letter, names=dict(service.names), waiting=s.waiting,
            estimated_wait_minutes=s.estimated_wait_minutes,
            estimated_wait_range=_range(s.estimated_wait_range), longest_wait_minutes=s.longest_wait_minutes,
            norm_minutes=service.norm_minutes))
    return QueueOut(
        location=location.id, at=snapshot.at, services=services,
        recent_calls=[CallOut(number=c.number, service=c.service, desk=c.desk, desk_number=desk_number(c.desk),
                              at=c.at, recalled=c.recalled) for c in snapshot.recent_calls],
        desks=[DeskOut(id=d.desk.id, number=d.desk.number, open=d.open,
                       serving=d.current.number if d.current else None,
                       status=d.current.status.value if d.current else None) for d in snapshot.desks],
        tickets=[WaitingTicketOut(id=t.id, number=t.number, service=t.service, kind=t.kind.value,
                                  priority=t.priority, language=t.language, queued_at=t.queued_at,
                                  appointment_at=t.appointment_at, case_reference=t.case_reference,
                                  services=list(t.services), service_index=t.service_index)
                 for t in snapshot.waiting]
        if detailed else None,
    )


def _range(wait: WaitRange | None) -> WaitRangeOut | None:
    return WaitRangeOut(low=wait.low, high=wait.high) if wait is not None and wait.is_range else None
