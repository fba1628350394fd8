"""FastAPI dependencies: the service context, the calling device, and its permissions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from location_config import Location

from ..services.context import ServiceContext
from ..services.devices import Authenticator, Device, Unauthorized

# The dependencies are ``async``: FastAPI runs sync dependencies in the thread pool, one hop each,
# and these do no blocking work (but for a token missing from the cache, looked up in a thread).


async def context(request: Request) -> ServiceContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


async def caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Device | None:
    """The device behind the bearer token, or None without a token; a bad token is refused."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Use 'Authorization: Bearer <token>'.")
    authenticator: Authenticator = request.app.state.authenticator
    cached, device = authenticator.cached(token)
    if not cached:
        device = await run_in_threadpool(authenticator.device, token)
    if device is None:
        raise Unauthorized("This token is unknown or revoked.")
    request.state.device = device
    return device


async def optional_caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Device | None:
    """For public pages: the device when its token is good, else None. A waiting-room display
    whose token was revoked keeps showing the public queue instead of going blank."""
    try:
        return await caller(request, authorization)
    except Unauthorized:
        return None


async def location(location: str, ctx: Annotated[ServiceContext, Depends(context)]) -> Location:
    return ctx.location(location)


Ctx = Annotated[ServiceContext, Depends(context)]
Caller = Annotated[Device | None, Depends(caller)]
OptionalCaller = Annotated[Device | None, Depends(optional_caller)]
LocationDep = Annotated[Location, Depends(location)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=128)]
