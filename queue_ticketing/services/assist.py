"""Use cases of assist requests: a robot, kiosk or desk calls for a human host."""

from __future__ import annotations

import secrets

from location_config import Location

from ..domain.assist import AssistRequest
from ..domain.errors import IllegalTransition, NotFound
from ..store.unit_of_work import HOSTS, UnitOfWork
from .context import ServiceContext

REASONS = ("visitor_needs_help", "language", "accessibility", "complaint", "technical", "printer",
           "low_battery", "other")


def _public(request: AssistRequest) -> dict[str, object]:
    return {"id": request.id, "source": request.source, "reason": request.reason, "place": request.place,
            "note": request.note, "status": request.status, "created_at": request.created_at.isoformat()}


def request_assist(uow: UnitOfWork, location: Location, source: str, reason: str, place: str | None,
                   note: str | None, device_id: str | None) -> AssistRequest:
    request = AssistRequest(id=secrets.token_urlsafe(12), location=location.id, source=source, reason=reason,
                            status="open", created_at=uow.now, place=place, note=note, device_id=device_id)
    uow.assist.add(request)
    uow.emit(location.id, "assist.requested", _public(request), audience=HOSTS)
    return request


def resolve_assist(uow: UnitOfWork, location: Location, request_id: str, by_device: str | None) -> AssistRequest:
    request = uow.assist.get(request_id)
    if request is None or request.location != location.id:
        raise NotFound("There is no such assist request at this location.")
    if not uow.assist.resolve(request_id, by_device, uow.now):
        raise IllegalTransition("This assist request was already resolved.")
    resolved = uow.assist.get(request_id)
    assert resolved is not None
    uow.record("assist.resolved", location.id, target=request_id)
    uow.emit(location.id, "assist.resolved", _public(resolved), audience=HOSTS)
    return resolved


def open_requests(ctx: ServiceContext, location: Location) -> list[AssistRequest]:
    """The location's open assist requests, oldest first."""
    with ctx.read() as stores:
        return stores.assist.open(location.id)
