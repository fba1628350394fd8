"""Offline kiosks: lease a block of ticket numbers in advance, hand in the tickets issued from it."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from ...domain.errors import NotFound
from ...domain.number_blocks import MAX_BLOCK_SIZE, NumberBlock
from ...domain.permissions import authorize, sees_case_references
from ...services import offline_tickets as use_cases
from ...services.group_commit import UnitOfWork
from ...services.idempotency import Answer, Once, run_once
from ..dates import AwareServiceDatetime, ServiceDate
from ..dependencies import Caller, Ctx, IdempotencyKey, LocationDep
from ..idempotency import answer, request_hash, response
from ..presenters import base_url, ticket_out
from ..schemas import Language, ServiceId, StaffTicketOut, Strict, case_reference_field

router = APIRouter(tags=["offline kiosks"])

DEFAULT_BLOCK_SIZE = 25


class LeaseBlockIn(Strict):
    service: str = Field(min_length=1, max_length=64)
    size: int = Field(default=DEFAULT_BLOCK_SIZE, ge=1, le=MAX_BLOCK_SIZE)
    business_day: ServiceDate | None = Field(default=None, description="Today (default) or tomorrow, Europe/Amsterdam")


class NumberBlockOut(BaseModel):
    block_id: str
    location: str
    service: str
    letter: str
    business_day: date
    first: int
    last: int
    first_number: str
    last_number: str
    leased_at: datetime


class OfflineTicketIn(Strict):
    number: str = Field(min_length=2, max_length=16, description="As printed, e.g. P012")
    issued_at: AwareServiceDatetime = Field(description="When the kiosk printed it; the ticket queues by this time")
    language: Language = "nl"
    supersedes: str | None = Field(default=None, max_length=128, description=(
        "The Idempotency-Key of an online issue request whose answer never arrived before the kiosk "
        "fell back to this offline ticket: a ticket it made is cancelled, or the key is used up."))
    case_reference: str | None = case_reference_field()
    services: list[ServiceId] | None = Field(default=None, max_length=10, exclude_if=lambda v: v is None,
                                             description=(
        "A visit of several services in order (1 to 3, distinct, walk-in); the first must be the "
        "block's service. Left out: the block's service alone"))


def block_out(block: NumberBlock) -> NumberBlockOut:
    return NumberBlockOut(block_id=block.id, location=block.location, service=block.service, letter=block.letter,
                          business_day=block.business_day, first=block.first, last=block.last,
                          first_number=block.first_number, last_number=block.last_number,
                          leased_at=block.leased_at)


@router.post("/locations/{location}/number-blocks", status_code=201, response_model=NumberBlockOut,
             responses={401: {}, 403: {}, 404: {}, 409: {"description": "block_limit_reached"},
                        422: {"description": "business_day_out_of_range, service_not_offered"}})
async def lease_block_route(body: LeaseBlockIn, location: LocationDep, request: Request, ctx: Ctx, caller: Caller,
                            idempotency_key: IdempotencyKey = None) -> Response:
    """Lease a block of numbers (kiosk role) for a walk-in service on today or tomorrow. The day's
    numbering moves past the block at once, so its numbers never go to online tickets."""
    actor = authorize(caller, "ticket.offline", location.id)

    def lease(uow: UnitOfWork) -> Answer:
        block = use_cases.lease_block(uow, location, body.service, body.size, body.business_day, actor.id)
        return answer(201, block_out(block))

    once = Once(actor.id, idempotency_key, request_hash(request, body))
    return response(await run_once(ctx.group_commit, once, lease))


@router.post("/locations/{location}/number-blocks/{block_id}/tickets", status_code=201,
             response_model=StaffTicketOut,
             responses={401: {}, 403: {}, 404: {"description": "No such block of this device here"},
                        409: {"description": "number_already_used, business_day_over, business_day_not_started"},
                        422: {"description": "number_outside_block, issued_outside_block_day, invalid_services"}})
async def offline_ticket_route(block_id: str, body: OfflineTicketIn, location: LocationDep, request: Request,
                               ctx: Ctx, caller: Caller, idempotency_key: IdempotencyKey = None) -> Response:
    """Hand in a ticket the kiosk issued offline from its block (channel ``offline``), queued by its
    real issue time. Send the outbox entry's ``Idempotency-Key``: it is accepted exactly once."""
    actor = authorize(caller, "ticket.offline", location.id)
    if len(block_id) > 64:
        raise NotFound("This device has no such number block at this location.")
    url = base_url(request, ctx)

    def accept(uow: UnitOfWork) -> Answer:
        view = use_cases.accept_offline_ticket(ctx, uow, location, block_id, number=body.number,
                                               issued_at=body.issued_at, language=body.language, device=actor,
                                               supersedes=body.supersedes, case_reference=body.case_reference,
                                               services=body.services)
        return answer(201, ticket_out(view, location, url, staff=sees_case_references(actor)))

    once = Once(actor.id, idempotency_key, request_hash(request, body))
    return response(await run_once(ctx.group_commit, once, accept))
