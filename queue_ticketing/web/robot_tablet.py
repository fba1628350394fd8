"""The Pepper robot's tablet: ``/robot/{location}/{page}?lang=``, the pages the robot host shows in
``ALTabletService.showWebview`` (``menu``, ``check_in``, ``paused``; ``places`` and ``bring`` are
reached from the menu). Public and read-only: what is on them is the location's public configuration.

A tap is handed to the robot through the tablet's JavaScript bridge,
``window.ALTabletBinding.raiseEvent(action)`` (QiMessaging on a real Pepper; it reaches the robot
host as ``ALTabletService.onJSEvent``): ``service:<id>``, ``check_in:<CODE>``, ``language:<lang>``,
``place:<desk or landmark>``, ``person``, ``hours``, ``bring:<service>`` (see
``robot_host/intents.py``). In a browser without the bridge a tap only shows what it would do.

The pages are for a Pepper tablet's WebView (Chromium 46-48, 1280x800): a classic ES5 script, CSS
without grid or custom properties, ``width=1280`` viewport; in the location's languages (Arabic
right to left), whether or not the robot has the language pack to speak them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from location_config import LANGUAGES

from ..api.dependencies import Ctx
from ..domain.appointments import CODE_ALPHABET, CODE_LENGTH
from .languages import choose, gettext_for
from .rendering import location_or_none, not_found, render
from .texts import ROBOT, translated

router = APIRouter(include_in_schema=False)

ROBOT_LANGUAGES = LANGUAGES
"""The kiosk's five languages (Arabic right to left); the robot speaks those it has a pack for."""
PAGES = ("menu", "check_in", "places", "bring", "paused")


@router.get("/robot/{location}/{page}", response_class=HTMLResponse)
def robot_tablet_page(location: str, page: str, request: Request, ctx: Ctx) -> HTMLResponse:
    found = location_or_none(ctx, location)
    language = choose(request, found.languages if found else ROBOT_LANGUAGES)
    if found is None or page not in PAGES:
        return not_found(request, language)
    local = ctx.now().astimezone(ZoneInfo(found.timezone))
    hours = ", ".join(f"{r.opens:%H:%M}–{r.closes:%H:%M}" for r in found.opening_hours.on(local.date()))
    _ = gettext_for(language)
    config = {"page": page, "code_length": CODE_LENGTH, "texts": translated(ROBOT, _)}
    return render(request, "robot_tablet.html", language, location=found, page=page, config=config,
                  services=[s for s in found.services if s.walk_in], all_services=found.services,
                  desks=sorted(found.desks, key=lambda d: d.number), landmarks=found.landmarks,
                  hours=hours, keys=CODE_ALPHABET, code_length=CODE_LENGTH,
                  languages=[(code, code.upper()) for code in ROBOT_LANGUAGES if code in found.languages])
