"""A location's manager pages: its devices and their tokens (``/manage/{location}``; a new token is
shown once), and its audit trail (``/manage/{location}/audit``, filtered by person, action, ticket
number and day, or as CSV). For a person signed in as the location's manager, or an admin."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..api.dependencies import Ctx
from ..domain.audit import ACTIONS, AuditRecord
from ..domain.errors import DomainError
from ..domain.identity import Principal
from ..domain.permissions import permits
from ..services import audit as audit_cases
from ..services.auth import csrf_matches
from ..services.devices import create_device, list_devices, revoke_device
from ..store.unit_of_work import UnitOfWork
from .languages import STAFF_LANGUAGES, choose
from .rendering import location_or_none, not_found, render
from .sign_in import person_controls, read_form, sign_in_redirect, signed_in_person
from .staff_session import NO_STORE, cross_site, staff_problem

router = APIRouter(include_in_schema=False)

TOKEN_ROLES = ("kiosk", "robot", "display", "desk", "host", "integration")
"""The device tokens a manager makes for their location."""


async def _manager(request: Request, location: str, permission: str) -> Principal | None:
    found = await signed_in_person(request)
    if found is None or not permits(found[1], permission, location):
        return None
    return found[1]


def _devices_page(request: Request, ctx: Ctx, location_id: str, principal: Principal, *, new_token: str | None = None,
                  new_name: str | None = None, error: str | None = None, status: int = 200) -> HTMLResponse:
    location = ctx.location(location_id)
    authenticator = request.app.state.authenticator
    with ctx.read() as stores:
        devices = [d for d in list_devices(stores, ctx.now(), authenticator.policy)
                   if d.device.location == location.id]
    return render(request, "manage_devices.html", choose(request, STAFF_LANGUAGES), status_code=status,
                  location=location, principal=principal, devices=devices, roles=TOKEN_ROLES, new_token=new_token,
                  new_name=new_name, error=error, person=person_controls(request), languages=STAFF_LANGUAGES)


@router.get("/manage/{location}", response_class=HTMLResponse)
async def devices_page(location: str, request: Request, ctx: Ctx) -> Response:
    found = location_or_none(ctx, location)
    if found is None:
        return not_found(request, choose(request, STAFF_LANGUAGES))
    principal = await _manager(request, found.id, "device.manage")
    if principal is None:
        return sign_in_redirect(request)
    return await run_in_threadpool(_devices_page, request, ctx, found.id, principal)


async def _checked_form(request: Request, location: str) -> tuple[Principal, dict[str, str]] | Response:
    """The manager and the fields of a form that changes something (its anti-forgery token checked)."""
    found = await signed_in_person(request)
    if found is None or not permits(found[1], "device.manage", location):
        return staff_problem(401, "signed_out", "Sign in as this location's manager.")
    fields = await read_form(request)
    if cross_site(request) or not csrf_matches(found[0], fields.get("csrf")):
        return staff_problem(403, "csrf", "This form did not come from this site's own page; load it again.")
    return found[1], fields


@router.post("/manage/{location}/devices", response_class=HTMLResponse)
async def create_token(location: str, request: Request, ctx: Ctx) -> Response:
    """A new device of the location: its token is on the answer's page once, never again."""
    found = ctx.location(location)
    checked = await _checked_form(request, found.id)
    if isinstance(checked, Response):
        return checked
    principal, fields = checked
    role, name = fields.get("role", ""), (fields.get("name") or "").strip()[:64] or None
    desk = fields.get("desk") or None
    refusal = None
    if role not in TOKEN_ROLES:
        refusal = f"Choose one of: {', '.join(TOKEN_ROLES)}."
    elif desk is not None and role != "desk":
        refusal = "Only a desk token is made for one desk; leave the desk empty for this kind of device."
    elif desk is not None and found.desk(desk) is None:
        refusal = f"Choose one of this location's desks: {', '.join(d.id for d in found.desks)}."
    if refusal is not None:
        return await run_in_threadpool(_devices_page, request, ctx, found.id, principal, error=refusal, status=422)
    new = await ctx.write(lambda uow: create_device(uow, role, found.id, name, desk))
    return await run_in_threadpool(_devices_page, request, ctx, found.id, principal, new_token=new.token,
                                   new_name=new.device.name)


@router.post("/manage/{location}/devices/{device_id}/revoke", response_class=HTMLResponse)
async def revoke_token(location: str, device_id: str, request: Request, ctx: Ctx) -> Response:
    found = ctx.location(location)
    checked = await _checked_form(request, found.id)
    if isinstance(checked, Response):
        return checked
    principal, _ = checked

    def revoke(uow: UnitOfWork) -> None:
        device = uow.devices.get(device_id)
        if device is None or device.location != found.id:
            raise DomainError("There is no such device at this location.")
        revoke_device(uow, device.id)

    try:
        await ctx.write(revoke)
    except DomainError as error:
        return await run_in_threadpool(_devices_page, request, ctx, found.id, principal, error=error.detail,
                                       status=404)
    return await run_in_threadpool(_devices_page, request, ctx, found.id, principal)


@router.get("/manage/{location}/audit", response_class=HTMLResponse)
async def audit_page(location: str, request: Request, ctx: Ctx, person: str | None = None,
                     action: str | None = None, ticket: str | None = None, day: date | None = None,
                     format: str = "html") -> Response:
    found = location_or_none(ctx, location)
    if found is None:
        return not_found(request, choose(request, STAFF_LANGUAGES))
    principal = await _manager(request, found.id, "audit.read")
    if principal is None:
        return sign_in_redirect(request)
    since, until = audit_cases.day_bounds(day, found.timezone) if day else (None, None)
    query = audit_cases.AuditQuery(found.id, since, until, (person or "").strip()[:120] or None,
                                   action if action in ACTIONS else None, (ticket or "").strip()[:16] or None,
                                   limit=audit_cases.MAX_ROWS if format == "csv" else 500)

    def read() -> list[AuditRecord]:
        with ctx.read() as stores:
            return audit_cases.find(stores, query)

    records = await run_in_threadpool(read)
    if format == "csv":
        return Response(audit_cases.as_csv(records), media_type="text/csv; charset=utf-8", headers={
            **NO_STORE, "Content-Disposition": f'attachment; filename="audit-{found.id}-{day or "all"}.csv"'})
    return render(request, "manage_audit.html", choose(request, STAFF_LANGUAGES), location=found,
                  principal=principal, records=records, actions=ACTIONS, filters={
                      "person": person or "", "action": action or "", "ticket": ticket or "",
                      "day": day.isoformat() if day else ""},
                  csv_query=str(request.url.include_query_params(format="csv").query),
                  person=person_controls(request), languages=STAFF_LANGUAGES)
