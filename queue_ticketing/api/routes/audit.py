"""The audit trail of a location (or, for an admin, of every location), as JSON or CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ...domain.errors import DomainError
from ...domain.permissions import authorize
from ...services import audit as use_cases
from ..dependencies import Caller, Ctx

router = APIRouter(tags=["audit"])


@router.get("/audit-events", responses={
    200: {"content": {"application/json": {}, "text/csv": {}}}, 401: {}, 403: {}, 404: {}, 422: {}})
def audit_events_route(ctx: Ctx, caller: Caller, location: str | None = None,
                       first_day: Annotated[date | None, Query(alias="from")] = None,
                       last_day: Annotated[date | None, Query(alias="to")] = None,
                       actor: Annotated[str | None, Query(max_length=120)] = None,
                       action: Annotated[str | None, Query(max_length=40)] = None,
                       ticket: Annotated[str | None, Query(max_length=16)] = None,
                       format: Literal["json", "csv"] = "json") -> Any:
    """Who did what, newest first: at ``location`` (a manager's own by default; every location for
    an admin without one), on local days ``from`` to ``to`` (inclusive), by ``actor`` (name or id),
    of one ``action``, on one ``ticket`` number. At most 10,000 records. Manager or admin."""
    principal = authorize(caller, "audit.read", location)
    place = location or principal.location
    timezone = ctx.location(place).timezone if place else "UTC"
    since = use_cases.day_bounds(first_day, timezone)[0] if first_day else None
    until = use_cases.day_bounds(last_day, timezone)[1] if last_day else None
    if since and until and since >= until:
        raise DomainError("'from' is after 'to'.")
    with ctx.read() as stores:
        records = use_cases.find(stores, use_cases.AuditQuery(place, since, until, actor, action, ticket))
    if format == "csv":
        name = f"audit-{place or 'all'}-{first_day or 'start'}-{last_day or 'now'}.csv"
        return Response(use_cases.as_csv(records), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return {"location": place, "events": [use_cases.as_json(r) for r in records]}
