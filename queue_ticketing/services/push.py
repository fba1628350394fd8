"""Use cases of Web Push: a waiting visitor's browser subscribes to its ticket (the unguessable
ticket id is the key), unsubscribes, and the service's VAPID key pair, made once and kept."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from ..domain.errors import IllegalTransition, NotFound
from ..domain.push import MAX_PER_TICKET, checked_subscription
from ..domain.tickets import TicketStatus
from ..store.push import PushSubscription
from ..store.unit_of_work import Stores, UnitOfWork

ENDED = {TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED}


@dataclass(frozen=True)
class NewSubscription:
    endpoint: str
    p256dh: str
    auth: str


def subscribe(uow: UnitOfWork, ticket_id: str, new: NewSubscription,
              allow_http_loopback: bool = False) -> tuple[PushSubscription, bool]:
    """``(subscription, created)``: the same endpoint again renews its keys (False)."""
    checked_subscription(new.endpoint, new.p256dh, new.auth, allow_http_loopback)
    ticket = uow.tickets.get(ticket_id, with_timeline=False)
    if ticket is None:
        raise NotFound("There is no such ticket.")
    if ticket.status in ENDED:
        raise IllegalTransition("This ticket has ended: there is nothing left to tell you.",
                                ticket_status=ticket.status.value)
    existing = uow.push.of_ticket(ticket_id)
    same = next((s for s in existing if s.endpoint == new.endpoint), None)
    if same is not None:
        uow.push.update_keys(same.id, new.p256dh, new.auth)
        return same, False
    if len(existing) >= MAX_PER_TICKET:
        raise IllegalTransition(f"A ticket can notify at most {MAX_PER_TICKET} browsers.",
                                max_per_ticket=MAX_PER_TICKET)
    subscription = PushSubscription(
        id=secrets.token_urlsafe(16), ticket_id=ticket.id, location=ticket.location,
        business_day=ticket.business_day, number=ticket.number, service=ticket.service, language=ticket.language,
        endpoint=new.endpoint, p256dh=new.p256dh, auth=new.auth, near_sent=False, last_event_id=0)
    uow.push.add(subscription, uow.now)
    return subscription, True


def unsubscribe(uow: UnitOfWork, ticket_id: str, endpoint: str) -> bool:
    return uow.push.remove_endpoint(ticket_id, endpoint) > 0


def public_key(stores: Stores) -> str | None:
    keys = stores.push.vapid_keys()
    return keys[1] if keys else None


def ensure_vapid_keys(uow: UnitOfWork, generate: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """The service's VAPID key pair ``(private key PEM, public key base64url)``, made on first start
    and kept in the database, so every server process signs with the same key."""
    keys = uow.push.vapid_keys()
    if keys is None:
        keys = generate()
        uow.push.add_vapid_keys(*keys, uow.now)
    return keys


def application_server_key(raw_public_point: bytes) -> str:
    """The public key as browsers take it (``applicationServerKey``): base64url, no padding."""
    return base64.urlsafe_b64encode(raw_public_point).rstrip(b"=").decode()
