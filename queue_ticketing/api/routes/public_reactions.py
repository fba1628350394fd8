"""Public reactions from the kiosk: a complaint, report or question becomes a case."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, field_validator

from ...services import public_reactions as use_cases
from ...services.devices import require
from ..dependencies import Caller, Ctx, IdempotencyKey, LocationDep
from ..idempotency import request_hash, run_once
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
                                device: Caller, idempotency_key: IdempotencyKey = None) -> Response:
    """Send a complaint, report or question; the answer holds its case number. Send an
    ``Idempotency-Key``: the same key again returns the same case, never a second one."""
    actor = require(device, "case.reaction", location.id)
    catalogue = request.app.state.case_types
    zaaksysteem = request.app.state.zaaksysteem

    def receive(uow):  # type: ignore[no-untyped-def]
        if zaaksysteem is not None and idempotency_key and uow.idempotency.get(actor.id, idempotency_key):
            # Looked up first: opening the case at the city's zaaksysteem cannot be rolled back.
            raise use_cases.AlreadyReceived("This reaction was received before.")
        received = use_cases.receive_public_reaction(uow, catalogue, location, body.type, body.text, body.email,
                                                     actor.id, zaaksysteem)
        zaak = received.zaak
        return 201, PublicReactionOut(identificatie=zaak.identificatie, type=received.kind,
                                      case_type=received.zaaktype.name(body.language), received_at=uow.now,
                                      expected_end_date=zaak.einddatum_gepland
                                      or received.zaaktype.expected_end(zaak.startdatum))

    return await run_once(ctx, actor.id, idempotency_key, request_hash(request.url.path, body), receive)
