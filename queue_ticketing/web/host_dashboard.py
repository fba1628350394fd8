"""The hosts' dashboard: ``/host/{location}``, for a host (or admin) token kept in a cookie.

Its script talks to ``/host/{location}/api/...`` (the JSON API, as the signed-in host) and
listens to ``/host/{location}/events`` (the location's stream with assist and device events)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from location_config import Location

from ..api.dependencies import Ctx
from ..api.problems import problem
from .api_forward import ApiForward
from .display import find_location
from .languages import ENDONYMS, STAFF_LANGUAGES, choose, gettext_for
from .rendering import not_found, render
from .staff_session import HOST, StaffScreen, TokenIn
from .texts import ERRORS, STAFF, translated
from .today import as_json, today

router = APIRouter(include_in_schema=False)


def staff_config(location: Location, screen: StaffScreen, language: str) -> dict[str, Any]:
    """What a staff page's script needs of the location, in the page's language."""
    _ = gettext_for(language)
    base = screen.path(location.id)
    return {
        "location": location.id,
        "language": language,
        "timezone": location.timezone,
        "api": f"{base}/api",
        "session": f"{base}/session",
        "services": [{"id": s.id, "letter": s.letter, "name": s.name(language), "norm_minutes": s.norm_minutes,
                      "walk_in": s.walk_in} for s in location.services],
        "desks": [{"id": d.id, "number": d.number, "services": list(d.services)} for d in location.desks],
        "languages": {code: ENDONYMS.get(code, code) for code in location.languages},
        "texts": translated(STAFF, _),
        "errors": translated(ERRORS, _),
    }


def sign_in_page(request: Request, location: Location, screen: StaffScreen, language: str,
                 title: str) -> HTMLResponse:
    _ = gettext_for(language)
    config = {"session": f"{screen.path(location.id)}/session", "errors": translated(ERRORS, _)}
    expired = screen.cookie in request.cookies
    return render(request, "sign_in.html", language, location=location, screen=screen, title=title,
                  config=config, expired=expired, languages=STAFF_LANGUAGES)


@router.get("/host/{location}", response_class=HTMLResponse)
async def host_page(location: str, request: Request, ctx: Ctx) -> HTMLResponse:
    language = choose(request, STAFF_LANGUAGES)
    found = find_location(ctx, location)
    if found is None:
        return not_found(request, language)
    device = await HOST.device(request, found.id)
    _ = gettext_for(language)
    if device is None:
        return sign_in_page(request, found, HOST, language, _("Hosts' dashboard"))
    config = staff_config(found, HOST, language) | {"events": f"/host/{found.id}/events",
                                                   "today": f"/host/{found.id}/today"}
    return render(request, "host.html", language, location=found, device=device, config=config,
                  languages=STAFF_LANGUAGES)


@router.post("/host/{location}/session", status_code=204)
async def host_sign_in(location: str, body: TokenIn, request: Request, ctx: Ctx) -> Response:
    return await HOST.sign_in(request, ctx.location(location).id, body)


@router.get("/host/{location}/session")
async def host_whoami(location: str, request: Request) -> Response:
    device = await HOST.device(request, location)
    if device is None:
        return problem(401, "signed_out", "Sign in again on this screen.")
    return JSONResponse({"name": device.name, "role": device.role})


@router.delete("/host/{location}/session", status_code=204)
def host_sign_out(location: str) -> Response:
    return HOST.sign_out(location)


@router.get("/host/{location}/today")
async def host_today(location: str, request: Request, ctx: Ctx) -> Response:
    """Waiting visitors through today and each device's last report (for the chart and device list)."""
    found = ctx.location(location)
    if await HOST.device(request, found.id) is None:
        return problem(401, "signed_out", "Sign in again on this screen.")
    return JSONResponse(as_json(await run_in_threadpool(today, ctx, found)), headers={"Cache-Control": "no-store"})


router.add_route("/host/{location}/api/{rest:path}", ApiForward(HOST), methods=["GET", "POST"])
router.add_route("/host/{location}/events", ApiForward(HOST, "locations/{location}/events", "scope=hosts"),
                 methods=["GET"])
