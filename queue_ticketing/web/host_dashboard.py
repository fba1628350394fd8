"""The hosts' dashboard: ``/host/{location}``, for a host (or admin) token kept in a cookie.

Its script talks to ``/host/{location}/api/...`` (the JSON API, as the signed-in host) and
listens to ``/host/{location}/events`` (the location's stream with assist and device events)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from ..api.dependencies import Ctx
from ..api.problems import problem
from .api_forward import ApiForward
from .languages import STAFF_LANGUAGES, choose, gettext_for
from .rendering import location_or_none, not_found, render
from .staff_session import HOST, TokenIn, sign_in_page, staff_config
from .today import as_json, today

router = APIRouter(include_in_schema=False)


@router.get("/host/{location}", response_class=HTMLResponse)
async def host_page(location: str, request: Request, ctx: Ctx) -> HTMLResponse:
    language = choose(request, STAFF_LANGUAGES)
    found = location_or_none(ctx, location)
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
