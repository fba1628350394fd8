"""Use cases of offline kiosks (DESIGN.md, "Offline kiosks, exactly once"): lease a block of
numbers in advance, and hand in the tickets issued from it while the link was down."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from datetime import date, datetime

from location_config import Location, Service

from ..domain.errors import InvalidServices, NotFound, ServiceNotOffered
from ..domain.identity import Principal
from ..domain.number_blocks import BlockRefused, NumberBlock, check_lease_size, check_offline_ticket, lease_day
from ..domain.tickets import Channel, TicketKind
from ..store.idempotency import RememberedAnswer
from ..store.unit_of_work import UnitOfWork
from .context import ServiceContext
from .tickets import TicketView, act_on_ticket, checked_visit, create_ticket, view_of

SUPERSEDED = "superseded-by-offline-ticket"
"""The request hash remembered for a key that an offline ticket superseded: no request matches it."""


def _walk_in_service(location: Location, service_id: str) -> Service:
    service = location.service(service_id)
    if service is None:
        raise NotFound(f"Location '{location.id}' offers no service '{service_id}'.",
                       services=[s.id for s in location.services])
    if not service.walk_in:
        raise ServiceNotOffered(f"'{service.name('en')}' is by appointment only; no walk-in ticket.")
    return service


def lease_block(uow: UnitOfWork, location: Location, service_id: str, size: int, day: date | None,
                device_id: str) -> NumberBlock:
    """Lease ``size`` numbers of the service's letter on ``day`` (default today) to the device.
    The day's counter moves past them in this same transaction, so online tickets never get them."""
    service = _walk_in_service(location, service_id)
    day = lease_day(day, uow.now)
    blocks = uow.number_blocks
    check_lease_size(size, blocks.leased(device_id, service_id, day))
    last = uow.tickets.next_sequence(location.id, service.letter, day, count=size)
    block = NumberBlock(id=secrets.token_urlsafe(12), location=location.id, service=service_id,
                        letter=service.letter, business_day=day, first=last - size + 1, last=last,
                        device_id=device_id, leased_at=uow.now)
    blocks.add(block)
    return block


def accept_offline_ticket(ctx: ServiceContext, uow: UnitOfWork, location: Location, block_id: str, *,
                          number: str, issued_at: datetime, language: str, device: Principal,
                          supersedes: str | None = None, case_reference: str | None = None,
                          services: Sequence[str] | None = None) -> TicketView:
    """Queue a ticket the kiosk issued offline from its block, by its real issue time.

    ``supersedes`` is the Idempotency-Key of an online issue request whose answer the kiosk never
    got before it fell back to this offline ticket: if that request did create a ticket, it is
    cancelled (the visitor holds this one); if it did not, its key is used up here, so should the
    lost request still arrive it is refused. Either way the visitor is in the queue once.

    ``services``: a visit of several services in order; the first is the block's (its number)."""
    blocks = uow.number_blocks
    block = blocks.get(block_id)
    if block is None or block.location != location.id or not device.acts_for(block.device_id):
        raise NotFound("This device has no such number block at this location.")
    visit = checked_visit(location, services) if services is not None else (block.service,)
    if visit[0] != block.service:
        raise InvalidServices(f"The visit's first service must be the number block's, {block.service}; "
                              f"{visit[0]} was given.")
    _, queued_from = check_offline_ticket(block, number, issued_at, uow.now)
    if blocks.ticket_with_number(location.id, block.business_day, number) is not None:
        raise BlockRefused("number_already_used", f"{number} is already in the queue of "
                           f"{block.business_day.isoformat()}.", status=409)
    if supersedes:
        _supersede(ctx, uow, location, device, supersedes)
    ticket, _ = create_ticket(uow, location, block.service, kind=TicketKind.WALK_IN, channel=Channel.OFFLINE,
                              language=language, priority=False, device_id=block.device_id, number=number,
                              issued_at=queued_from, case_reference=case_reference, next_services=visit[1:])
    return view_of(ctx, uow, ticket)


def _supersede(ctx: ServiceContext, uow: UnitOfWork, location: Location, device: Principal, key: str) -> None:
    scope = device.id
    answer = uow.idempotency.get(scope, key)
    if answer is None:
        refusal = {"code": "superseded", "detail": "An offline ticket replaced this request."}
        uow.idempotency.remember(scope, key, RememberedAnswer(SUPERSEDED, 409, json.dumps(refusal)), uow.now)
        return
    if answer.status_code != 201:
        return
    try:
        ticket_id = json.loads(answer.body).get("id")
    except (ValueError, AttributeError):
        return
    ticket = uow.tickets.get(str(ticket_id), with_timeline=False) if ticket_id else None
    if (ticket is not None and ticket.location == location.id and ticket.is_waiting
            and ticket.kind is TicketKind.WALK_IN and ticket.channel is not Channel.OFFLINE):
        act_on_ticket(ctx, uow, ticket.id, "cancel", device)
