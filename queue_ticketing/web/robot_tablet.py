"""The Pepper robot's tablet: ``/robot/{location}/{page}?lang=``, the pages the robot host shows in
``ALTabletService.showWebview`` (``menu``, ``check_in``, ``paused``; ``places`` and ``bring`` are
reached from the menu). Public and read-only: what is on them is the location's public configuration.

Booking an appointment on the spot: ``book`` (the services booked here; with ``service`` and
``times``, the free times the robot offered, each a tap ``slot:<ISO time>``), ``booked`` (with
``appointment``, the unguessable id as on ``/a/{id}``: the day, time, check-in code and a QR of the
visitor's page), ``book_elsewhere`` (the city's booking website and its QR), ``book_offline``
(booking needs the connection; a host can be called). The QRs are PNG images drawn here: the
tablet's old WebView only shows them.

A tap is handed to the robot through the tablet's JavaScript bridge,
``window.ALTabletBinding.raiseEvent(action)`` (QiMessaging on a real Pepper; it reaches the robot
host as ``ALTabletService.onJSEvent``): ``service:<id>``, ``check_in:<CODE>``, ``language:<lang>``,
``place:<desk or landmark>``, ``person``, ``hours``, ``bring:<service>``, ``book``,
``book:<service>``, ``slot:<ISO time>``, ``back`` (see
``robot_host/intents.py``). In a browser without the bridge a tap only shows what it would do.

The pages are for a Pepper tablet's WebView (Chromium 46-48, 1280x800): a classic ES5 script, CSS
without grid or custom properties, ``width=1280`` viewport; in the location's languages (Arabic
right to left), whether or not the robot has the language pack to speak them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from location_config import LANGUAGES, Location

from ..api.dependencies import Ctx
from ..api.presenters import public_base
from ..domain.appointments import CODE_ALPHABET, CODE_LENGTH
from ..domain.errors import NotFound
from ..services import appointments as use_cases
from .appointment_page import ID_LIMIT
from .languages import choose, gettext_for
from .rendering import location_or_none, not_found, render
from .texts import ROBOT, translated

router = APIRouter(include_in_schema=False)

ROBOT_LANGUAGES = LANGUAGES
"""The kiosk's five languages (Arabic right to left); the robot speaks those it has a pack for."""
PAGES = ("menu", "check_in", "places", "bring", "paused", "book", "booked", "book_elsewhere", "book_offline")
OFFERED = 3
"""At most this many free times on the ``book`` page (the robot offers three)."""


class _BadPage(Exception):
    """The page's address names nothing that exists (an unknown service, time or appointment)."""


def _qr(text: str) -> str:
    """A QR of ``text`` as a PNG data address: an image even the tablet's old WebView shows."""
    return segno.make(text, error="m").png_data_uri(scale=8, border=2)


def _day(moment: datetime, language: str) -> str:
    return format_date(moment, "d MMMM EEEE" if language == "tr" else "EEEE d MMMM", locale=language)


def _booking(request: Request, ctx: Ctx, location: Location, page: str, language: str) -> dict[str, Any]:
    """What a booking page shows; ``_BadPage`` when its address does not fit."""
    calendar = location.appointments
    zone = ZoneInfo(location.timezone)
    if page == "book_elsewhere" or (page == "book" and calendar is not None and calendar.booking_url):
        if calendar is None or not calendar.booking_url:
            raise _BadPage
        return {"page": "book_elsewhere", "booking_url": calendar.booking_url, "qr": _qr(calendar.booking_url)}
    if page == "book":
        bookable = [s for s in location.services if s.appointment] if calendar and calendar.books_locally else []
        service_id, times = request.query_params.get("service"), request.query_params.get("times")
        if not service_id and not times:
            return {"bookable": bookable}
        service = next((s for s in bookable if s.id == service_id), None)
        try:
            offered = [datetime.fromisoformat(t) for t in (times or "").split(",")[:OFFERED + 1]]
        except ValueError:
            raise _BadPage from None
        if service is None or not offered or len(offered) > OFFERED or any(t.tzinfo is None for t in offered):
            raise _BadPage
        return {"service": service, "times": [
            {"event": f"slot:{t.isoformat()}", "day": _day(t.astimezone(zone), language),
             "time": f"{t.astimezone(zone):%H:%M}"} for t in offered]}
    if page == "booked":
        appointment_id = request.query_params.get("appointment", "")
        if not appointment_id or len(appointment_id) > ID_LIMIT:
            raise _BadPage
        try:
            with ctx.read() as stores:
                appointment = use_cases.appointment_for_visitor(stores, appointment_id)
        except NotFound:
            raise _BadPage from None
        if appointment.location != location.id:
            raise _BadPage
        service = location.service(appointment.service)
        local = appointment.starts_at.astimezone(zone)
        visitor_url = f"{public_base(request, request.app.state.settings.public_url)}/a/{appointment.id}"
        return {"appointment": appointment, "service_name": service.name(language) if service else "",
                "day": _day(local, language), "time": f"{local:%H:%M}", "qr": _qr(visitor_url)}
    return {}


@router.get("/robot/{location}/{page}", response_class=HTMLResponse)
def robot_tablet_page(location: str, page: str, request: Request, ctx: Ctx) -> HTMLResponse:
    found = location_or_none(ctx, location)
    language = choose(request, found.languages if found else ROBOT_LANGUAGES)
    if found is None or page not in PAGES:
        return not_found(request, language)
    try:
        booking = _booking(request, ctx, found, page, language)
    except _BadPage:
        return not_found(request, language)
    page = booking.pop("page", page)
    # The language links keep the rest of the address: a booking page stays itself in another language.
    rest = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
    calendar = found.appointments
    local = ctx.now().astimezone(ZoneInfo(found.timezone))
    hours = ", ".join(f"{r.opens:%H:%M}–{r.closes:%H:%M}" for r in found.opening_hours.on(local.date()))
    _ = gettext_for(language)
    config = {"page": page, "code_length": CODE_LENGTH, "texts": translated(ROBOT, _)}
    return render(request, "robot_tablet.html", language, location=found, page=page, config=config,
                  services=[s for s in found.services if s.walk_in], all_services=found.services,
                  desks=sorted(found.desks, key=lambda d: d.number), landmarks=found.landmarks,
                  hours=hours, keys=CODE_ALPHABET, code_length=CODE_LENGTH, booking=booking,
                  rest=f"&{rest}" if rest else "",
                  books=bool(calendar and (calendar.books_locally or calendar.booking_url)),
                  languages=[(code, code.upper()) for code in ROBOT_LANGUAGES if code in found.languages])
