"""Reports: the service norms of a location over a period, as JSON or CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ...domain.numbering import business_day
from ...domain.permissions import authorize
from ...services import service_norms as use_cases
from ..dependencies import Caller, Ctx, LocationDep

router = APIRouter(tags=["reports"])


@router.get("/locations/{location}/reports/service-norms", responses={
    200: {"content": {"application/json": {}, "text/csv": {}}}, 401: {}, 403: {}, 404: {}, 422: {}})
def service_norms_route(location: LocationDep, ctx: Ctx, caller: Caller,
                        first_day: Annotated[date | None, Query(alias="from")] = None,
                        last_day: Annotated[date | None, Query(alias="to")] = None,
                        format: Literal["json", "csv"] = "json") -> Any:
    """Visitors, waits (median, 80th, 95th percentile), share helped within the norm and no-shows per
    service and hour of the day, for business days ``from`` to ``to`` (inclusive; default this month
    so far). Host or admin."""
    authorize(caller, "report.read", location.id)
    last_day = last_day or business_day(ctx.now())
    first_day = first_day or last_day.replace(day=1)
    report = use_cases.make_report(ctx, location, first_day, last_day)
    if format == "csv":
        name = f"service-norms-{location.id}-{first_day}-{last_day}.csv"
        return Response(use_cases.report_csv(report), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return use_cases.report_document(report)
