"""Web Push for a waiting visitor: the service's public key, and subscribing a browser to a ticket
(public: the unguessable ticket id is the key)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ...domain.errors import NotFound
from ...services import push as use_cases
from ...services.group_commit import UnitOfWork
from ...services.tickets import view_of
from ..dependencies import Ctx
from ..schemas import PushKeyOut, PushSubscriptionIn, PushSubscriptionOut, PushUnsubscribeIn

router = APIRouter(tags=["push"])


@router.get("/push/public-key", response_model=PushKeyOut)
def public_key_route(ctx: Ctx) -> PushKeyOut:
    """The service's VAPID public key, the ``applicationServerKey`` of a browser's subscription."""
    with ctx.read() as stores:
        key = use_cases.public_key(stores)
    if key is None:
        raise NotFound("Push is not set up yet.")
    return PushKeyOut(public_key=key)


@router.post("/tickets/{ticket_id}/push-subscriptions", status_code=201, response_model=PushSubscriptionOut,
             responses={200: {"description": "This browser was subscribed already: its keys renewed"},
                        404: {}, 409: {"description": "the ticket ended, or too many browsers"}, 422: {}})
async def subscribe_route(ticket_id: str, body: PushSubscriptionIn, request: Request, ctx: Ctx,
                          response: Response) -> PushSubscriptionOut:
    """Tell this browser (a PushSubscription's JSON) when the turn is near, when the ticket is called
    or called again, and when it is sent on to another service."""
    allow_http = request.app.state.settings.push_allow_http_loopback
    location = None

    def subscribe(uow: UnitOfWork) -> bool:
        nonlocal location
        new = use_cases.NewSubscription(body.endpoint, body.keys.p256dh, body.keys.auth)
        subscription, created = use_cases.subscribe(uow, ticket_id, new, allow_http)
        ticket = uow.tickets.get(ticket_id)
        assert ticket is not None
        location = ctx.location(ticket.location)
        if created and ticket.is_waiting and view_of(ctx, uow, ticket).position - 1 <= location.notify_when_ahead:
            uow.push.claim_near(subscription.id)  # nearly there already: the page says so itself
        return created

    created = await ctx.write(subscribe)
    if not created:
        response.status_code = 200
    return PushSubscriptionOut(ticket_id=ticket_id, endpoint=body.endpoint)


@router.delete("/tickets/{ticket_id}/push-subscriptions", status_code=204, responses={404: {}, 422: {}})
async def unsubscribe_route(ticket_id: str, body: PushUnsubscribeIn, ctx: Ctx) -> Response:
    """Stop telling this browser (by its endpoint)."""
    removed = await ctx.write(lambda uow: use_cases.unsubscribe(uow, ticket_id, body.endpoint))
    if not removed:
        raise NotFound("This browser is not subscribed to this ticket.")
    return Response(status_code=204)
