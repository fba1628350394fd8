"""Appointments (booked by the booking system) and check-in at a location."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ...domain.errors import NotFound
from ...domain.permissions import authorize, own_channel
from ...services import appointments as use_cases
from ...services.group_commit import UnitOfWork
from ...services.idempotency import Answer, Once, run_once
from ...services.tickets import view_of
from ..dependencies import Caller, Ctx, IdempotencyKey, LocationDep
from ..idempotency import answer, request_hash, response
from ..presenters import appointment_out, base_url, ticket_out
from ..schemas import AppointmentIn, AppointmentOut, CheckInIn, TicketOut

router = APIRouter(tags=["appointments"])


@router.post("/appointments", status_code=201, response_model=AppointmentOut,
             responses={404: {}, 401: {}, 403: {}, 409: {}, 422: {}})
async def book_route(body: AppointmentIn, request: Request, ctx: Ctx, caller: Caller,
               idempotency_key: IdempotencyKey = None) -> Response:
    """Book an appointment (integration role). Its ``code`` goes into the confirmation and its QR."""
    actor = authorize(caller, "appointment.book", body.location)
    location = ctx.location(body.location)

    def book(uow: UnitOfWork) -> Answer:
        appointment = use_cases.book(uow, location, body.service, body.starts_at, body.language, body.code,
                                     body.external_reference)
        return answer(201, appointment_out(appointment, location))

    once = Once(actor.id, idempotency_key, request_hash(request, body))
    return response(await run_once(ctx.group_commit, once, book))


@router.post("/appointments/{appointment_id}/cancel", response_model=AppointmentOut,
             responses={404: {}, 401: {}, 403: {}, 409: {}})
async def cancel_route(appointment_id: str, ctx: Ctx, caller: Caller) -> AppointmentOut:
    actor = authorize(caller, "appointment.book", None)
    appointment = await ctx.write(lambda uow: use_cases.cancel(uow, appointment_id, actor))
    return appointment_out(appointment, ctx.location(appointment.location))


@router.post("/locations/{location}/check-ins", status_code=201, response_model=TicketOut,
             responses={200: {"description": "Already checked in: the same ticket"}, 404: {}, 409: {
                 "description": "too_early, too_late, wrong_location, appointment_not_found, "
                                "appointment_cancelled"}})
async def check_in_route(body: CheckInIn, location: LocationDep, request: Request, ctx: Ctx, caller: Caller,
                   idempotency_key: IdempotencyKey = None) -> Response:
    """Check in with the appointment's code: returns the appointment ticket (201; 200 the second time)."""
    actor = authorize(caller, "check_in", location.id)
    url = base_url(request, ctx)
    channel = own_channel(actor)

    def check_in(uow: UnitOfWork) -> Answer:
        ticket, again = use_cases.check_in(uow, location, body.code, channel, actor.id, body.made_at)
        if ticket.location != location.id:
            raise NotFound("There is no such appointment here.")
        return answer(200 if again else 201, ticket_out(view_of(ctx, uow, ticket), location, url))

    once = Once(actor.id, idempotency_key, request_hash(request, body))
    return response(await run_once(ctx.group_commit, once, check_in))
