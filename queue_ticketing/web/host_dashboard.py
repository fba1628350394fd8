"""The hosts' dashboard: ``/host/{location}``, for a host (or admin) signed in with a staff session.

Its script talks to ``/host/{location}/api/...`` (the JSON API, as the signed-in host) and
listens to ``/host/{location}/events`` (the location's stream with assist and device events)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from location_config import Location

from ..api.dependencies import Ctx
from ..api.presenters import base_url
from ..domain.appointments import Appointment
from ..domain.errors import NotFound
from ..services import appointments as appointment_cases
from .api_forward import ApiForward
from .appointment_page import ID_LIMIT, appointment_facts, qr_svg
from .languages import STAFF_LANGUAGES, choose, gettext_for
from .rendering import SECURITY_HEADERS, location_or_none, not_found, render
from .sign_in import person_controls, sign_in_redirect
from .staff_session import HOST, NO_STORE, sign_in_by_form, signed_out, staff_config
from .today import as_json, today

router = APIRouter(include_in_schema=False)


@router.get("/host/{location}", response_class=HTMLResponse)
async def host_page(location: str, request: Request, ctx: Ctx) -> Response:
    language = choose(request, STAFF_LANGUAGES)
    found = location_or_none(ctx, location)
    if found is None:
        return not_found(request, language)
    principal = await HOST.principal(request, found.id)
    if principal is None:
        return sign_in_redirect(request)
    config = staff_config(found, HOST, language) | {"events": f"/host/{found.id}/events",
                                                   "today": f"/host/{found.id}/today"}
    return render(request, "host.html", language, location=found, principal=principal, config=config,
                  languages=STAFF_LANGUAGES, person=person_controls(request), booking=booking(found, language))


def booking(location: Location, language: str) -> dict[str, Any]:
    """How the dashboard books an appointment for a visitor: here (the bookable services), on the
    city's website (its address and QR code), or not on the spot at all."""
    calendar = location.appointments
    if calendar is not None and calendar.books_locally:
        services = [s for s in location.services if s.appointment and s.id in calendar.lengths]
        return {"here": True, "services": services, "website": None, "website_qr": None}
    website = calendar.booking_url if calendar else None
    _ = gettext_for(language)
    qr = qr_svg(website, _("The booking website")) if website else None
    return {"here": False, "services": [], "website": website, "website_qr": qr}


@router.post("/host/{location}", response_class=HTMLResponse)
async def host_sign_in_form(location: str, request: Request, ctx: Ctx) -> Response:
    """The sign-in form, posted without JavaScript."""
    language = choose(request, STAFF_LANGUAGES)
    found = location_or_none(ctx, location)
    if found is None:
        return not_found(request, language)
    return await sign_in_by_form(request, found, HOST, language, gettext_for(language)("Hosts' dashboard"))


@router.post("/host/{location}/session", status_code=204)
async def host_sign_in(location: str, request: Request, ctx: Ctx) -> Response:
    return await HOST.sign_in(request, ctx.location(location).id)


@router.get("/host/{location}/session")
async def host_whoami(location: str, request: Request) -> Response:
    return await HOST.whoami(request, location)


@router.delete("/host/{location}/session", status_code=204)
async def host_sign_out(location: str, request: Request) -> Response:
    return await HOST.sign_out(request, location)


@router.get("/host/{location}/today")
async def host_today(location: str, request: Request, ctx: Ctx) -> Response:
    """Waiting visitors through today and each device's last report (for the chart and device list)."""
    found = ctx.location(location)
    if await HOST.principal(request, found.id) is None:
        return signed_out()
    return JSONResponse(as_json(await run_in_threadpool(today, ctx, found)), headers=NO_STORE)


def _booked_here(ctx: Ctx, location: str, appointment_id: str) -> Appointment:
    if len(appointment_id) > ID_LIMIT:
        raise NotFound("There is no such appointment.")
    with ctx.read() as stores:
        appointment = appointment_cases.appointment_for_visitor(stores, appointment_id)
    if appointment.location != location:
        raise NotFound("There is no such appointment here.")
    return appointment


@router.get("/host/{location}/appointments/{appointment_id}", response_class=HTMLResponse)
async def appointment_slip(location: str, appointment_id: str, request: Request, ctx: Ctx) -> Response:
    """The appointment a host booked, to print for the visitor, in the visitor's language: when and
    where, the check-in code and its QR code, and a QR code to the visitor's own page."""
    found = location_or_none(ctx, location)
    if found is None:
        return not_found(request, choose(request, STAFF_LANGUAGES))
    if await HOST.principal(request, found.id) is None:
        return sign_in_redirect(request)
    try:
        appointment = await run_in_threadpool(_booked_here, ctx, found.id, appointment_id)
    except NotFound:
        return not_found(request, choose(request, STAFF_LANGUAGES))
    language = appointment.language if appointment.language in found.languages else "nl"
    _ = gettext_for(language)
    page = f"{base_url(request, ctx)}/a/{appointment.id}"
    return render(request, "appointment_slip.html", language, location=found, appointment=appointment,
                  code_qr=qr_svg(appointment.code, _("Check-in code")), page_qr=qr_svg(page, _("Your appointment")),
                  **appointment_facts(appointment, found, language))


@router.get("/host/{location}/appointments/{appointment_id}/qr.svg")
async def appointment_page_qr(location: str, appointment_id: str, request: Request, ctx: Ctx) -> Response:
    """A QR code to the visitor's page of an appointment booked at this location."""
    found = ctx.location(location)
    if await HOST.principal(request, found.id) is None:
        return signed_out()
    try:
        appointment = await run_in_threadpool(_booked_here, ctx, found.id, appointment_id)
    except NotFound:
        return not_found(request, choose(request, STAFF_LANGUAGES))
    svg = qr_svg(f"{base_url(request, ctx)}/a/{appointment.id}", "QR")
    return Response(str(svg), media_type="image/svg+xml", headers=SECURITY_HEADERS)


router.routes.append(Route("/host/{location}/api/{rest:path}", ApiForward(HOST), methods=["GET", "POST"]))
router.routes.append(Route("/host/{location}/events", ApiForward(HOST, "locations/{location}/events", "scope=hosts"),
                 methods=["GET"]))
