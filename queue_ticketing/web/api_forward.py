"""Same-origin access to the JSON API for the staff screens, without giving the token to the page.

``/host/{location}/api/<path>`` (and ``/desk/...``) is handed, in this process, to the API's own
route for ``/api/v1/<path>`` with ``Authorization: Bearer <the cookie's token>``. Nothing is
copied or rebuilt: the API's permissions, idempotency, problem+json errors and streaming (the
host's event stream) apply as they are, and a page's script never sees the token.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from ..api.problems import problem
from .staff_session import StaffScreen

API_PREFIX = "/api/v1"


class ApiForward:
    """An ASGI endpoint forwarding to ``/api/v1`` as the screen's signed-in device.

    ``target``: a fixed API path (``{location}`` is filled in), else the ``rest`` path parameter.
    ``query``: parameters added to the forwarded query (``scope=hosts`` for the host stream)."""

    def __init__(self, screen: StaffScreen, target: str | None = None, query: str = "") -> None:
        self.screen = screen
        self.target = target
        self.query = query.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        location = scope["path_params"]["location"]
        path = self.target.format(location=location) if self.target else scope["path_params"]["rest"]
        if not _reachable(path, location):
            await problem(404, "not_found", "The screens reach only their own location's queue and tickets.")(
                scope, receive, send)
            return
        if scope["method"] != "GET" and _cross_site(request):
            # The SameSite=Strict cookie already stays home; refuse a foreign page's request all the same.
            await problem(403, "cross_site", "Requests from other sites are refused.")(scope, receive, send)
            return
        if await self.screen.device(request, location) is None:
            await problem(401, "signed_out", "Sign in again on this screen.")(scope, receive, send)
            return
        token = request.cookies[self.screen.cookie]
        headers = [(k, v) for k, v in scope["headers"] if k not in (b"cookie", b"authorization")]
        headers.append((b"authorization", f"Bearer {token}".encode()))
        query = b"&".join(q for q in (self.query, scope.get("query_string", b"")) if q)
        api_path = f"{scope.get('root_path', '')}{API_PREFIX}/{path}"
        forwarded = {key: value for key, value in scope.items() if key not in ("route", "endpoint", "path_params")}
        forwarded.update(path=api_path, raw_path=api_path.encode(), headers=headers, query_string=query)
        await scope["app"].router(forwarded, receive, send)


def _cross_site(request: Request) -> bool:
    """Sent by another site's page: browsers say so in Sec-Fetch-Site (older ones only in Origin)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.headers.get("host")


def _reachable(path: str, location: str) -> bool:
    """Only this location's resources and tickets (whose own checks bind them to the token's location)."""
    return bool(re.fullmatch(rf"locations/{re.escape(location)}(/[\w\-/]+)?|tickets/[\w\-]+(/[a-z\-]+)?", path))
