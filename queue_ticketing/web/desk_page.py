"""The desk page: ``/desk/{location}/{desk}``, for a desk (or admin) signed in with a staff session.

Its script acts through ``/desk/{location}/api/...`` (the JSON API, as the signed-in desk) and
follows the location's public event stream. Opening the page of a desk is sitting down at it: a
desk's session takes that desk (:meth:`Authenticator.take_desk`), and from then on acts only on
that desk and the visitor at it; a token made for one desk opens only that desk's page."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from ..api.dependencies import Ctx
from ..domain.identity import Principal
from ..domain.permissions import PERMISSIONS, WrongDesk
from ..domain.tickets import MAX_SERVICES, TicketStatus
from ..services.auth import Authenticator, SessionCookie
from ..services.context import ServiceContext
from .api_forward import ApiForward
from .languages import ENDONYMS, STAFF_LANGUAGES, choose, gettext_for
from .rendering import location_or_none, not_found, render
from .sign_in import person_controls, sign_in_redirect
from .staff_session import DESK, NO_STORE, sign_in_by_form, signed_out, staff_config, staff_problem

router = APIRouter(include_in_schema=False)
# The session routes come first: "/desk/{location}/session" must not be taken for a desk called "session".


@router.post("/desk/{location}/session", status_code=204)
async def desk_sign_in(location: str, request: Request, ctx: Ctx) -> Response:
    return await DESK.sign_in(request, ctx.location(location).id)


@router.get("/desk/{location}/session")
async def desk_whoami(location: str, request: Request) -> Response:
    return await DESK.whoami(request, location)


@router.delete("/desk/{location}/session", status_code=204)
async def desk_sign_out(location: str, request: Request) -> Response:
    return await DESK.sign_out(request, location)


@router.get("/desk/{location}", response_class=HTMLResponse)
async def desk_picker(location: str, request: Request, ctx: Ctx) -> Response:
    """Where a clerk picks the desk they sit at."""
    language = choose(request, STAFF_LANGUAGES)
    found = location_or_none(ctx, location)
    if found is None:
        return not_found(request, language)
    principal = await DESK.principal(request, found.id)
    if principal is None:
        return sign_in_redirect(request)
    return render(request, "desk_picker.html", language, location=found, principal=principal,
                  desks=found.desks, languages=STAFF_LANGUAGES, person=person_controls(request))


@router.get("/desk/{location}/{desk}", response_class=HTMLResponse)
async def desk_page(location: str, desk: str, request: Request, ctx: Ctx) -> Response:
    language = choose(request, STAFF_LANGUAGES)
    found = location_or_none(ctx, location)
    counter = found.desk(desk) if found else None
    if found is None or counter is None:
        return not_found(request, language)
    principal = await DESK.principal(request, found.id)
    if principal is None:
        return sign_in_redirect(request)
    try:
        principal = await sit_at(request, principal, counter.id)
    except WrongDesk as refused:
        own = found.desk(str(refused.extra["desk"]))
        _ = gettext_for(language)
        message = _("This token is made for desk {number}; it cannot be used at desk {other}.")
        return render(request, "desk_picker.html", language, status_code=403, location=found, principal=None,
                      desks=[own] if own else [], refusal=message.format(number=own.number if own else "?",
                                                                           other=counter.number),
                      languages=STAFF_LANGUAGES, person=person_controls(request))
    if principal is None:
        return sign_in_redirect(request)
    config = staff_config(found, DESK, language) | {
        "desk": {"id": counter.id, "number": counter.number, "services": list(counter.services)},
        "current": f"/desk/{found.id}/{counter.id}/current",
        "events": f"/api/v1/locations/{found.id}/events",
        "max_services": MAX_SERVICES,
    }
    return render(request, "desk.html", language, location=found, desk=counter, principal=principal, config=config,
                  languages=STAFF_LANGUAGES, person=person_controls(request))


async def sit_at(request: Request, principal: Principal, desk: str) -> Principal | None:
    """The principal, its session now at ``desk`` when its role acts only at its own desk (the
    session's desk written down when it changes); None when the session is over meanwhile."""
    credential = getattr(request.state, "credential", None)
    if principal.role not in PERMISSIONS["desk.call"].own_desk or principal.desk == desk \
            or not isinstance(credential, SessionCookie):
        return principal
    authenticator: Authenticator = request.app.state.authenticator
    return await authenticator.take_desk(credential.secret, desk)


@router.post("/desk/{location}/{desk}", response_class=HTMLResponse)
async def desk_sign_in_form(location: str, desk: str, request: Request, ctx: Ctx) -> Response:
    """The sign-in form, posted without JavaScript."""
    language = choose(request, STAFF_LANGUAGES)
    found = location_or_none(ctx, location)
    counter = found.desk(desk) if found else None
    if found is None or counter is None:
        return not_found(request, language)
    title = gettext_for(language)("Desk {number}").format(number=counter.number)
    return await sign_in_by_form(request, found, DESK, language, title)


def visitor_at_desk(ctx: ServiceContext, location: str, desk: str) -> dict[str, object] | None:
    """The ticket called to or served at the desk now (a reloaded page picks up where it was)."""
    with ctx.read() as stores:
        at_desk = stores.tickets.at_desk(location, desk)
    if not at_desk:
        return None
    ticket = max(at_desk, key=lambda t: (t.status is TicketStatus.SERVING, t.queued_at))
    return {"id": ticket.id, "number": ticket.number, "service": ticket.service, "status": ticket.status.value,
            "language": ticket.language, "language_name": ENDONYMS.get(ticket.language, ticket.language),
            "kind": ticket.kind.value, "priority": ticket.priority, "case_reference": ticket.case_reference,
            "services": list(ticket.services), "service_index": ticket.service_index}


@router.get("/desk/{location}/{desk}/current")
async def desk_current(location: str, desk: str, request: Request, ctx: Ctx) -> Response:
    found = ctx.location(location)
    if found.desk(desk) is None:
        return staff_problem(404, "not_found", f"Location '{found.id}' has no desk '{desk}'.")
    if await DESK.principal(request, found.id) is None:
        return signed_out()
    current = await run_in_threadpool(visitor_at_desk, ctx, found.id, desk)
    return JSONResponse({"ticket": current}, headers=NO_STORE)


router.routes.append(Route("/desk/{location}/api/{rest:path}", ApiForward(DESK), methods=["GET", "POST"]))
