"""The waiting-room display: ``/display/{location}``, public and read-only (no token)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..api.dependencies import Ctx
from .languages import gettext_for
from .rendering import location_or_none, not_found, render
from .texts import DISPLAY, translated

router = APIRouter(include_in_schema=False)

DISPLAY_LANGUAGES = ("nl", "en")
"""The display speaks to everyone in the room: every label in Dutch and English."""


@router.get("/display/{location}", response_class=HTMLResponse)
def display_page(location: str, request: Request, ctx: Ctx) -> HTMLResponse:
    found = location_or_none(ctx, location)
    if found is None:
        return not_found(request, "nl")
    screen = {
        "location": found.id,
        "timezone": found.timezone,
        "queue_url": f"/api/v1/locations/{found.id}/queue",
        "events_url": f"/api/v1/locations/{found.id}/events",
        "desks": {d.id: d.number for d in found.desks},
        "texts": {lang: translated(DISPLAY, gettext_for(lang)) for lang in DISPLAY_LANGUAGES},
        "callouts": {lang: gettext_for(lang)(DISPLAY["callout"]) for lang in found.languages},
    }
    return render(request, "display.html", "nl", location=found, services=found.services, screen=screen)
