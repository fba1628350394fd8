"""Appointments (booked by the booking system, or on the spot in a free slot), free slots, and
check-in at a location."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import AwareDatetime

from ...domain.errors import NotFound
from ...domain.permissions import authorize, own_channel, permits
from ...domain.slots import slot_length
from ...services import appointments as use_cases
from ...services.group_commit import UnitOfWork
from ...services.idempotency import Answer, Once, run_once
from ...services.tickets import view_of
from ..dependencies import Caller, Ctx, IdempotencyKey, LocationDep
from ..idempotency import answer, request_hash, response
from ..presenters import appointment_out, base_url, ticket_out
from ..schemas import AppointmentIn, AppointmentOut, CheckInIn, SlotDaysOut, SlotOut, SlotsOut, TicketOut

router = APIRouter(tags=["appointments"])


@router.post("/appointments", status_code=201, response_model=AppointmentOut,
             responses={404: {}, 401: {}, 403: {}, 409: {"description": "slot_taken (with next_free), "
                                                                        "booked_elsewhere"}, 422: {}})
async def book_route(body: AppointmentIn, request: Request, ctx: Ctx, caller: Caller,
               idempotency_key: IdempotencyKey = None) -> Response:
    """Book an appointment. The booking system (integration role) books any time; a kiosk, robot or
    host of the location books on the spot, in a free slot (``GET .../slots``): when another device
    took it a moment before, 409 ``slot_taken`` lists the next free ones. Its ``code`` goes into the
    confirmation and its QR; ``visitor_url`` is the visitor's own page."""
    anytime = permits(caller, "appointment.book", body.location)
    actor = caller if anytime and caller else authorize(caller, "appointment.book_slot", body.location)
    location = ctx.location(body.location)
    base = base_url(request, ctx)

    def book(uow: UnitOfWork) -> Answer:
        if anytime and body.count == 1:
            appointment = use_cases.book(uow, location, body.service, body.starts_at, body.language, body.code,
                                         body.external_reference)
            return answer(201, appointment_out(appointment, location, base))
        first, *also = use_cases.book_slot(uow, location, body.service, body.starts_at, body.language, body.count)
        return answer(201, appointment_out(first, location, base, also))

    once = Once(actor.id, idempotency_key, request_hash(request, body))
    return response(await run_once(ctx.group_commit, once, book))


@router.post("/appointments/{appointment_id}/cancel", response_model=AppointmentOut,
             responses={404: {}, 401: {}, 403: {}, 409: {}})
async def cancel_route(appointment_id: str, request: Request, ctx: Ctx, caller: Caller) -> AppointmentOut:
    actor = authorize(caller, "appointment.book", None)
    appointment = await ctx.write(lambda uow: use_cases.cancel(uow, appointment_id, actor))
    return appointment_out(appointment, ctx.location(appointment.location), base_url(request, ctx))


@router.get("/locations/{location}/slots", response_model=SlotsOut, responses={404: {}, 409: {}, 422: {}})
def slots_route(location: LocationDep, ctx: Ctx, service: Annotated[str, Query(max_length=64)],
                day: Annotated[date | None, Query(alias="date")] = None,
                after: Annotated[AwareDatetime | None, Query(alias="from")] = None) -> SlotsOut:
    """Free appointment slots for a service: on ``date`` (YYYY-MM-DD), or the next free ones from
    ``from`` (an ISO time with its offset). Public: times only."""
    now = ctx.now()
    with ctx.read() as stores:
        if day is not None:
            slots = use_cases.slots_on(stores, location, service, day, now)
        else:
            slots = use_cases.next_slots(stores, location, service, now, after=after)
    length = int(slot_length(location, service).total_seconds() // 60)
    return SlotsOut(location=location.id, service=service, length_minutes=length,
                    slots=[SlotOut(starts_at=slot.starts_at, ends_at=slot.ends_at) for slot in slots])


@router.get("/locations/{location}/slot-days", response_model=SlotDaysOut, responses={404: {}, 409: {}, 422: {}})
def slot_days_route(location: LocationDep, ctx: Ctx, service: Annotated[str, Query(max_length=64)]) -> SlotDaysOut:
    """The days with at least one free slot for a service, from today to the booking horizon."""
    with ctx.read() as stores:
        days = use_cases.days_with_slots(stores, location, service, ctx.now())
    return SlotDaysOut(location=location.id, service=service, days=days)


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
