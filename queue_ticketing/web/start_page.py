"""``/``: the screens of every location, for whoever sets up a display or a desk."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..api.dependencies import Ctx
from .languages import STAFF_LANGUAGES, choose
from .rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def start_page(request: Request, ctx: Ctx) -> HTMLResponse:
    language = choose(request, STAFF_LANGUAGES)
    return render(request, "start.html", language, locations=sorted(ctx.locations.values(), key=lambda loc: loc.name),
                  languages=STAFF_LANGUAGES)
