"""Same-origin access to the JSON API for the staff screens, without giving any credential to the page.

``/host/{location}/api/<path>`` (and ``/desk/...``) is handed, in this process, to the API's own
route for ``/api/v1/<path>`` as the screen's signed-in principal: the staff session is looked up
once, here, and the API's ``caller`` dependency takes the principal as it is. Nothing is copied or
rebuilt: the API's permissions, idempotency, problem+json errors and streaming (the host's event
stream) apply as they are. Every answer is marked ``Cache-Control: no-store``.
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from ..api.problems import problem
from .staff_session import NO_STORE, StaffScreen, cross_site, needs_csrf

API_PREFIX = "/api/v1"


class ApiForward:
    """An ASGI endpoint forwarding to ``/api/v1`` as the screen's signed-in principal.

    ``target``: a fixed API path (``{location}`` is filled in), else the ``rest`` path parameter.
    ``query``: parameters added to the forwarded query (``scope=hosts`` for the host stream)."""

    def __init__(self, screen: StaffScreen, target: str | None = None, query: str = "") -> None:
        self.screen = screen
        self.target = target
        self.query = query.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(NO_STORE)
            await send(message)

        request = Request(scope, receive)
        location = scope["path_params"]["location"]
        path = self.target.format(location=location) if self.target else scope["path_params"]["rest"]
        if not _reachable(path, location):
            await problem(404, "not_found", "The screens reach only their own location's queue and tickets.")(
                scope, receive, send_no_store)
            return
        if scope["method"] != "GET" and cross_site(request):
            # The SameSite=Strict cookie already stays home; refuse a foreign page's request all the same.
            await problem(403, "cross_site", "Requests from other sites are refused.")(scope, receive, send_no_store)
            return
        if await self.screen.principal(request, location) is None:
            await problem(401, "signed_out", "Sign in again on this screen.")(scope, receive, send_no_store)
            return
        if needs_csrf(request):
            await problem(403, "csrf", "This request lacks the page's anti-forgery token.")(
                scope, receive, send_no_store)
            return
        # The principal is in request.state (shared with the forwarded scope): no credential travels on.
        headers = [(k, v) for k, v in scope["headers"] if k not in (b"cookie", b"authorization")]
        query = b"&".join(q for q in (self.query, scope.get("query_string", b"")) if q)
        api_path = f"{scope.get('root_path', '')}{API_PREFIX}/{path}"
        forwarded = {key: value for key, value in scope.items() if key not in ("route", "endpoint", "path_params")}
        forwarded.update(path=api_path, raw_path=api_path.encode(), headers=headers, query_string=query)
        await scope["app"].router(forwarded, receive, send_no_store)


def _reachable(path: str, location: str) -> bool:
    """Only this location's resources, tickets and booking an appointment (whose own checks bind them
    to the principal's location)."""
    return bool(re.fullmatch(rf"locations/{re.escape(location)}(/[\w\-/]+)?|tickets/[\w\-]+(/[a-z\-]+)?|appointments",
                             path))
