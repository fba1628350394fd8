"""Public reactions from the kiosk: a complaint, report or question becomes a case."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, field_validator

from ...domain.permissions import authorize
from ...services import public_reactions as use_cases
from ...services.group_commit import UnitOfWork
from ...services.idempotency import Answer, Once, run_once
from ..dependencies import Caller, Ctx, IdempotencyKey, LocationDep
from ..idempotency import answer, request_hash, response
from ..schemas import Language, Strict

router = APIRouter(tags=["cases"])

MAX_TEXT = 1000
"""ZGW's limit for a case's toelichting, where the text is kept."""


class PublicReactionIn(Strict):
    type: Literal["complaint", "report", "question"]
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="Stored exactly as typed; never rendered as HTML")
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                              description="Optional, for the answer")
    language: Language = "nl"

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the text is empty")
        if "\x00" in value:
            raise ValueError("the text holds a NUL character")
        return value


class PublicReactionOut(BaseModel):
    identificatie: str = Field(description="The case number to show and print")
    type: str
    case_type: str
    received_at: datetime
    expected_end_date: date


@router.post("/locations/{location}/public-reactions", status_code=201, response_model=PublicReactionOut,
             responses={401: {}, 403: {}, 404: {}, 422: {},
                        503: {"description": "cases_unavailable: the city's zaaksysteem does not answer now"}})
async def public_reaction_route(body: PublicReactionIn, location: LocationDep, request: Request, ctx: Ctx,
                                caller: Caller, idempotency_key: IdempotencyKey = None) -> Response:
    """Send a complaint, report or question; the answer holds its case number. Send an
    ``Idempotency-Key``: the same key again returns the same case, never a second one."""
    actor = authorize(caller, "case.reaction", location.id)
    catalogue = request.app.state.case_types
    zaaksysteem = request.app.state.zaaksysteem

    opened = None
    if zaaksysteem is not None:
        # The city's zaaksysteem opens the case, outside the write transaction (HTTP); a key answered
        # before is looked up first, so a retry never opens a second case there.
        with ctx.read() as stores:
            seen = idempotency_key is not None and stores.idempotency.get(actor.id, idempotency_key) is not None
        if not seen:
            opened = await asyncio.to_thread(use_cases.open_at_zaaksysteem, zaaksysteem, catalogue, location,
                                             body.type, body.text, body.email, ctx.now())

    def receive(uow: UnitOfWork) -> Answer:
        if zaaksysteem is not None and opened is None:
            raise use_cases.AlreadyReceived("This reaction was received before.")  # run_once replays its answer
        received = use_cases.receive_public_reaction(uow, catalogue, location, body.type, body.text, body.email,
                                                     actor.id, opened)
        zaak = received.zaak
        return answer(201, PublicReactionOut(identificatie=zaak.identificatie, type=received.kind,
                                             case_type=received.zaaktype.name(body.language), received_at=uow.now,
                                             expected_end_date=zaak.einddatum_gepland
                                             or received.zaaktype.expected_end(zaak.startdatum)))

    once = Once(actor.id, idempotency_key, request_hash(request, body))
    return response(await run_once(ctx.group_commit, once, receive))
