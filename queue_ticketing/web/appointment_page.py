"""The visitor's appointment: ``/a/{appointment_id}``, the address a booking on the spot hands out
(printed by the kiosk, shown by the robot's tablet). Public: the unguessable id is the key. Shows the
date, time, place and what to bring, the check-in code and its QR, offers the appointment as a
calendar file (``/a/{id}.ics``) and lets the visitor cancel it, which frees the slot at once. It
holds no personal data: an appointment booked on the spot has none."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_date, format_time
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from icalendar import Calendar, Event
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from location_config import Location

from ..api.dependencies import Ctx
from ..domain.appointments import Appointment, AppointmentStatus
from ..domain.errors import DomainError, NotFound
from ..domain.slots import slot_length
from ..services import appointments as use_cases
from .languages import ENDONYMS, choose, gettext_for
from .rendering import SECURITY_HEADERS, not_found, render

router = APIRouter(include_in_schema=False)

ID_LIMIT = 64
FORM_PATH = r"/a/[^/]+/cancel"
"""Where the visitor's page posts its form (the API takes JSON only)."""


def _appointment(ctx: Ctx, appointment_id: str) -> Appointment:
    if len(appointment_id) > ID_LIMIT:
        raise NotFound("There is no such appointment.")
    with ctx.read() as stores:
        return use_cases.appointment_for_visitor(stores, appointment_id)


# Before the page's route, whose {appointment_id} would take the ".ics" too.
@router.get("/a/{appointment_id}.ics")
async def appointment_calendar(appointment_id: str, request: Request, ctx: Ctx) -> Response:
    try:
        appointment = await run_in_threadpool(_appointment, ctx, appointment_id)
    except NotFound:
        return not_found(request, choose(request, ("nl", "en")))
    location = ctx.location(appointment.location)
    language = choose(request, location.languages, preferred=appointment.language)
    body = calendar_file(appointment, location, language, str(request.url_for("appointment_page",
                                                                              appointment_id=appointment.id)))
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="afspraak-{appointment.code}.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


@router.get("/a/{appointment_id}", response_class=HTMLResponse)
async def appointment_page(appointment_id: str, request: Request, ctx: Ctx) -> HTMLResponse:
    try:
        appointment = await run_in_threadpool(_appointment, ctx, appointment_id)
    except NotFound:
        return not_found(request, choose(request, ("nl", "en")))
    return _page(request, ctx, appointment)


def _page(request: Request, ctx: Ctx, appointment: Appointment, status_code: int = 200,
          refused: str | None = None) -> HTMLResponse:
    location = ctx.location(appointment.location)
    language = choose(request, location.languages, preferred=appointment.language)
    _ = gettext_for(language)
    return render(
        request, "appointment.html", language, status_code=status_code, location=location,
        appointment=appointment, cancelled=appointment.status is AppointmentStatus.CANCELLED,
        checked_in=appointment.status is AppointmentStatus.CHECKED_IN, refused=refused,
        qr=qr_svg(appointment.code, _("Check-in code")),
        languages=[(code, ENDONYMS.get(code, code)) for code in location.languages],
        **appointment_facts(appointment, location, language))


def appointment_facts(appointment: Appointment, location: Location, language: str) -> dict[str, Any]:
    """What a page says of an appointment in ``language``: its service, day, times, check-in window
    and what to bring (the visitor's page and the slip a host prints)."""
    service = location.service(appointment.service)
    local = appointment.starts_at.astimezone(ZoneInfo(location.timezone))
    ends = local + slot_length(location, appointment.service)
    window = location.check_in
    locale = "ar" if language == "ar" else language
    return {
        "service_name": service.name(language) if service else appointment.service,
        "bring": service.bring.get(language) or service.bring.get("nl", ()) if service else (),
        "day": format_date(local.date(), format="full", locale=locale),
        "starts": format_time(local.time(), format="short", locale=locale),
        "ends": format_time(ends.time(), format="short", locale=locale),
        "opens": format_time((local - timedelta(minutes=window.early_minutes)).time(), format="short", locale=locale),
        "closes": format_time((local + timedelta(minutes=window.late_minutes)).time(), format="short", locale=locale),
    }


def qr_svg(text: str, title: str) -> Markup:
    """``text`` as a QR code, an SVG to put in a page (it scales with its box). Never a Micro QR
    code: the kiosk's scanner (zbar) and many phones do not read those."""
    svg = io.BytesIO()
    segno.make(text, error="m", micro=False).save(svg, kind="svg", border=2, xmldecl=False, svgns=True,
                                                  omitsize=True, title=title)
    return Markup(svg.getvalue().decode())


@router.post("/a/{appointment_id}/cancel", response_class=HTMLResponse)
async def cancel_appointment(appointment_id: str, request: Request, ctx: Ctx,
                             confirm: Annotated[str, Form(max_length=8)] = "") -> Response:
    """Cancelling needs the confirmation box's "yes" (the form works without JavaScript)."""
    try:
        appointment = await run_in_threadpool(_appointment, ctx, appointment_id)
    except NotFound:
        return not_found(request, choose(request, ("nl", "en")))
    if confirm != "yes":
        return RedirectResponse(f"/a/{appointment.id}", status_code=303)
    try:
        await ctx.write(lambda uow: use_cases.cancel_by_visitor(uow, appointment.id))
    except DomainError as refusal:
        return _page(request, ctx, appointment, status_code=409, refused=refusal.code)
    return RedirectResponse(f"/a/{appointment.id}", status_code=303)


def calendar_file(appointment: Appointment, location: Location, language: str, page_url: str) -> bytes:
    """The appointment as an iCalendar file (RFC 5545): a cancelled one says so (STATUS:CANCELLED)."""
    _ = gettext_for(language)
    service = location.service(appointment.service)
    name = service.name(language) if service else appointment.service
    calendar = Calendar()
    calendar.add("prodid", "-//Gemeente Rotterdam//Gastvrij//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if appointment.status is AppointmentStatus.CANCELLED else "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.id}@gastvrij")
    event.add("dtstamp", datetime.now(tz=ZoneInfo("UTC")))
    event.add("dtstart", appointment.starts_at.astimezone(ZoneInfo(location.timezone)))
    event.add("dtend", appointment.starts_at.astimezone(ZoneInfo(location.timezone))
              + slot_length(location, appointment.service))
    event.add("summary", f"{name} — {location.name}")
    event.add("location", f"{location.name}, {location.address}")
    event.add("description", _("Check-in code: {code}").format(code=appointment.code) + f"\n{page_url}")
    event.add("url", page_url)
    event.add("status", "CANCELLED" if appointment.status is AppointmentStatus.CANCELLED else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
