"""Appointments (booked by the booking system) and check-in at a location."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from ...domain.errors import DomainError, NotFound
from ...domain.tickets import Channel
from ...services import appointments as use_cases
from ...services.devices import CHANNEL_OF_ROLE, require
from ...services.tickets import view_of
from ..dependencies import Caller, Ctx, IdempotencyKey, LocationDep
from ..idempotency import request_hash, run_once
from ..presenters import appointment_out, base_url, ticket_out
from ..schemas import AppointmentIn, AppointmentOut, CheckInIn, TicketOut

router = APIRouter(tags=["appointments"])


@router.post("/appointments", status_code=201, response_model=AppointmentOut,
             responses={404: {}, 401: {}, 403: {}, 409: {}, 422: {}})
async def book_route(body: AppointmentIn, request: Request, ctx: Ctx, device: Caller,
               idempotency_key: IdempotencyKey = None) -> Response:
    """Book an appointment (integration role). Its ``code`` goes into the confirmation and its QR."""
    actor = require(device, "appointment.book", body.location)
    location = ctx.location(body.location)

    def book(uow):  # type: ignore[no-untyped-def]
        appointment = use_cases.book(uow, location, body.service, body.starts_at, body.language, body.code,
                                     body.external_reference)
        return 201, appointment_out(appointment, location)

    return await run_once(ctx, actor.id, idempotency_key, request_hash(request.url.path, body), book)


@router.post("/appointments/{appointment_id}/cancel", response_model=AppointmentOut,
             responses={404: {}, 401: {}, 403: {}, 409: {}})
def cancel_route(appointment_id: str, ctx: Ctx, device: Caller) -> AppointmentOut:
    actor = require(device, "appointment.book", None)
    with ctx.unit_of_work() as uow:
        appointment = use_cases.cancel(uow, appointment_id, None if actor.role == "admin" else actor.location)
        uow.commit()
    return appointment_out(appointment, ctx.location(appointment.location))


@router.post("/locations/{location}/check-ins", status_code=201, response_model=TicketOut,
             responses={200: {"description": "Already checked in: the same ticket"}, 404: {}, 409: {
                 "description": "too_early, too_late, appointment_not_found (also a code of another location), "
                                "appointment_cancelled"}, 429: {"description": "too_many_attempts: 5 failed tries of a "
                                "code or 30 of a device in an hour"}})
async def check_in_route(body: CheckInIn, location: LocationDep, request: Request, ctx: Ctx, device: Caller,
                   idempotency_key: IdempotencyKey = None) -> Response:
    """Check in with the appointment's code: returns the appointment ticket (201; 200 the second time)."""
    actor = require(device, "check_in", location.id)
    url = base_url(request, ctx)
    channel = Channel(CHANNEL_OF_ROLE.get(actor.role, "kiosk"))

    def check_in(uow):  # type: ignore[no-untyped-def]
        ticket, again = use_cases.check_in(uow, location, body.code, channel, actor.id, body.made_at)
        if ticket.location != location.id:
            raise NotFound("There is no such appointment here.")
        return (200 if again else 201), ticket_out(view_of(ctx, uow.conn, ticket), location, url)

    attempt_ids = await run_in_threadpool(use_cases.admit_check_in, ctx, actor.id, body.code)
    try:
        answer = await run_once(ctx, actor.id, idempotency_key, request_hash(request.url.path, body), check_in)
    except DomainError as refusal:
        await run_in_threadpool(use_cases.check_in_answered, ctx, attempt_ids, refusal)
        raise
    await run_in_threadpool(use_cases.check_in_answered, ctx, attempt_ids, None)
    return answer
