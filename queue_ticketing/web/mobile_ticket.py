"""The mobile ticket: ``/t/{ticket_id}``, the address in a ticket's QR code. Public: the
unguessable id is the key. Shows the number, the place in line and the wait, live, and turns into
"it's your turn: desk 4" when the ticket is called. A visit of several services lists them, each
marked done, now, next or after that (in words, not colour alone), the next one with when it is
expected to start ("Expected between 10:30 and 10:50"). No personal data: a ticket holds none."""

from __future__ import annotations

import re

from babel.dates import format_time
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..api.dependencies import Ctx
from ..api.presenters import next_service_out
from ..api.schemas import NextServiceOut
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
    next_service = next_service_out(view, location)
    state = {
        "id": ticket.id, "number": ticket.number, "service": ticket.service, "status": ticket.status.value,
        "position": view.position, "estimated_wait_minutes": view.estimated_wait_minutes,
        "estimated_wait_range": ({"low": view.estimated_wait_range.low, "high": view.estimated_wait_range.high}
                                 if view.estimated_wait_range and view.estimated_wait_range.is_range else None),
        "desk_number": desk.number if desk else None,
        "services": list(ticket.services), "service_index": ticket.service_index,
        "next_service": next_service.model_dump(mode="json") if next_service else None,
    }
    texts = translated(TICKET, gettext_for(language))
    config = {
        "ticket_url": f"/api/v1/tickets/{ticket.id}",
        "push_url": f"/api/v1/tickets/{ticket.id}/push-subscriptions",
        "events_url": f"/api/v1/locations/{location.id}/events",
        "timezone": location.timezone,
        "services": {s.id: s.name(language) for s in location.services},
        "wayfinding": {str(d.number): d.wayfinding.get(language) or d.wayfinding.get("nl", "") for d in location.desks},
        "texts": texts,
        "ticket": state,
    }
    names = {s.id: s.name(language) for s in location.services}
    visit = [(names.get(s, s), *_visit_mark(i, ticket.service_index, texts),
              _expected_words(next_service, texts, language) if i == ticket.service_index + 1 else "")
             for i, s in enumerate(ticket.services)]
    return render(request, "ticket.html", language, location=location, ticket=ticket, view=view, visit=visit,
                  service_name=service.name(language) if service else ticket.service, desk=desk, config=config,
                  languages=[(code, ENDONYMS.get(code, code)) for code in location.languages])


def _visit_mark(index: int, current: int, texts: dict[str, str]) -> tuple[str, str]:
    """(state, its word) of the visit's service at ``index``: done, now, next or later."""
    state = "done" if index < current else "now" if index == current else "next" if index == current + 1 else "later"
    return state, texts[f"visit_{state}"]


def _expected_words(expected: NextServiceOut | None, texts: dict[str, str], language: str) -> str:
    """"Expected around 10:40" or "Expected between 10:30 and 10:50", the times as the visitor's
    language writes them (as on the appointment page; ticket.js says the same with Intl)."""
    if expected is None:
        return ""
    # a time stays on one line ("9:05 ص", "10:40 AM")
    earliest, latest = (re.sub(r"\s", "\u00a0", format_time(at.time(), format="short", locale=language))
                        for at in (expected.earliest, expected.latest))
    if earliest == latest:
        return texts["next_around"].format(time=earliest)
    return texts["next_between"].format(earliest=earliest, latest=latest)
