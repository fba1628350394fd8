"""FastAPI dependencies: the service context, the caller (one ``authenticate`` for bearer tokens and
staff sessions), and the location addressed."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from location_config import Location

from ..domain.audit import actor_of
from ..domain.errors import DomainError
from ..domain.identity import Principal
from ..domain.permissions import Forbidden, Unauthorized
from ..services.auth import Authenticator, Bearer, Credential, SessionCookie, csrf_matches
from ..services.context import ServiceContext
from ..services.group_commit import ACTOR

# The dependencies are ``async``: FastAPI runs sync dependencies in the thread pool, one hop each,
# and these do no blocking work (but for a credential missing from the cache, looked up in a thread).

QUERY_CREDENTIALS = frozenset({"token", "access_token"})
"""Query parameters refused outright: a credential in an address ends up in histories and logs."""


PERSON_COOKIE = "gastvrij_staff"
"""The cookie of a person's session (signed in at ``/sign-in``): for every staff page and the API."""
CSRF_HEADER = "x-csrf-token"
"""Where a page's script sends the session's anti-forgery token with a request that changes something."""


class CredentialInQuery(DomainError):
    code = "credential_in_query"
    status = 400


async def context(request: Request) -> ServiceContext:
    return request.app.state.ctx


async def authenticate(request: Request, credential: Credential) -> Principal | None:
    """The credential's principal, or None when it is unknown, revoked or over: from the bounded
    cache when it can answer, else from the database in a thread."""
    authenticator: Authenticator = request.app.state.authenticator
    return await authenticator.authenticate(credential)


def note_caller(request: Request, principal: Principal, credential: Credential) -> None:
    """Remember who the request is from, once per request: the API's dependency, the access log
    and a live stream that re-checks its credential read it from here."""
    request.state.principal = principal
    request.state.credential = credential
    ACTOR.set(actor_of(principal))  # what this request writes is recorded as done by it


async def caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Principal | None:
    """Who calls: the principal behind the bearer token, or the staff session a staff screen
    forwarded the request for; None without a credential. A bad token is refused."""
    if QUERY_CREDENTIALS & request.query_params.keys():
        raise CredentialInQuery("A token is never accepted in an address; send 'Authorization: Bearer <token>' "
                                "and have this token revoked, since the address may have been stored.")
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    if not authorization:
        return await _person(request)
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Use 'Authorization: Bearer <token>'.")
    principal = await authenticate(request, Bearer(token))
    if principal is None:
        raise Unauthorized("This token is unknown or revoked.")
    note_caller(request, principal, Bearer(token))
    return principal


async def _person(request: Request) -> Principal | None:
    """The person signed in at ``/sign-in`` (their session's cookie), for the API their pages call;
    a request that changes something must carry the session's anti-forgery token as well."""
    secret = request.cookies.get(PERSON_COOKIE)
    if not secret:
        return None
    credential = SessionCookie(secret)
    principal = await authenticate(request, credential)
    if principal is None:
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS") and not csrf_matches(secret,
                                                                            request.headers.get(CSRF_HEADER)):
        raise Forbidden("This request lacks the page's anti-forgery token (X-CSRF-Token).", reason="csrf")
    note_caller(request, principal, credential)
    return principal


async def optional_caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Principal | None:
    """For public answers: the principal when its credential is good, else None. A waiting-room
    display whose token was revoked keeps showing the public queue instead of going blank."""
    try:
        return await caller(request, authorization)
    except Unauthorized:
        return None


async def location(location: str, ctx: Annotated[ServiceContext, Depends(context)]) -> Location:
    return ctx.location(location)


Ctx = Annotated[ServiceContext, Depends(context)]
Caller = Annotated[Principal | None, Depends(caller)]
OptionalCaller = Annotated[Principal | None, Depends(optional_caller)]
LocationDep = Annotated[Location, Depends(location)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=128)]
