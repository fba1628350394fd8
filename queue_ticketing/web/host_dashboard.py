"""The hosts' dashboard: ``/host/{location}``, for a host (or admin) signed in with a staff session.

Its script talks to ``/host/{location}/api/...`` (the JSON API, as the signed-in host) and
listens to ``/host/{location}/events`` (the location's stream with assist and device events)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from ..api.dependencies import Ctx
from .api_forward import ApiForward
from .languages import STAFF_LANGUAGES, choose, gettext_for
from .rendering import location_or_none, not_found, render
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
                  languages=STAFF_LANGUAGES, person=person_controls(request))


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


router.routes.append(Route("/host/{location}/api/{rest:path}", ApiForward(HOST), methods=["GET", "POST"]))
router.routes.append(Route("/host/{location}/events", ApiForward(HOST, "locations/{location}/events", "scope=hosts"),
                 methods=["GET"]))
