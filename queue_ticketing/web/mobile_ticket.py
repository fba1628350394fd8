"""The mobile ticket: ``/t/{ticket_id}``, the address in a ticket's QR code. Public: the
unguessable id is the key. Shows the number, the place in line and the wait, live, and turns into
"it's your turn: desk 4" when the ticket is called. A visit of several services lists them, each
marked done, now, next or after that (in words, not colour alone). No personal data: a ticket
holds none."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..api.dependencies import Ctx
from ..domain.errors import NotFound
from ..services import tickets as use_cases
from .languages import ENDONYMS, choose, gettext_for
from .rendering import not_found, render
from .texts import TICKET, translated

router = APIRouter(include_in_schema=False)


@router.get("/t/{ticket_id}", response_class=HTMLResponse)
async def mobile_ticket_page(ticket_id: str, request: Request, ctx: Ctx) -> HTMLResponse:
    try:
        if len(ticket_id) > 64:
            raise NotFound("There is no such ticket.")
        view = await run_in_threadpool(use_cases.ticket_view, ctx, ticket_id)
    except NotFound:
        return not_found(request, choose(request, ("nl", "en")))
    ticket = view.ticket
    location = ctx.location(ticket.location)
    language = choose(request, location.languages, preferred=ticket.language)
    service = location.service(ticket.service)
    desk = location.desk(ticket.desk) if ticket.desk else None
    state = {
        "id": ticket.id, "number": ticket.number, "service": ticket.service, "status": ticket.status.value,
        "position": view.position, "estimated_wait_minutes": view.estimated_wait_minutes,
        "estimated_wait_range": ({"low": view.estimated_wait_range.low, "high": view.estimated_wait_range.high}
                                 if view.estimated_wait_range and view.estimated_wait_range.is_range else None),
        "desk_number": desk.number if desk else None,
        "services": list(ticket.services), "service_index": ticket.service_index,
    }
    texts = translated(TICKET, gettext_for(language))
    config = {
        "ticket_url": f"/api/v1/tickets/{ticket.id}",
        "push_url": f"/api/v1/tickets/{ticket.id}/push-subscriptions",
        "events_url": f"/api/v1/locations/{location.id}/events",
        "services": {s.id: s.name(language) for s in location.services},
        "wayfinding": {str(d.number): d.wayfinding.get(language) or d.wayfinding.get("nl", "") for d in location.desks},
        "texts": texts,
        "ticket": state,
    }
    names = {s.id: s.name(language) for s in location.services}
    visit = [(names.get(s, s), _visit_mark(i, ticket.service_index, texts)) for i, s in enumerate(ticket.services)]
    return render(request, "ticket.html", language, location=location, ticket=ticket, view=view, visit=visit,
                  service_name=service.name(language) if service else ticket.service, desk=desk, config=config,
                  languages=[(code, ENDONYMS.get(code, code)) for code in location.languages])


def _visit_mark(index: int, current: int, texts: dict[str, str]) -> tuple[str, str]:
    """(state, its word) of the visit's service at ``index``: done, now, next or later."""
    state = "done" if index < current else "now" if index == current else "next" if index == current + 1 else "later"
    return state, texts[f"visit_{state}"]
