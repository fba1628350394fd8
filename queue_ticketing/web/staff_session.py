"""The staff screens (hosts' dashboard, desk page): signing in with a device token, and what their
pages share.

The token is kept in a cookie that page scripts cannot read (HttpOnly), that travels only over
HTTPS or to this machine (Secure), only from our own pages (SameSite=Strict) and only to the
screen's own addresses (Path): the pages' scripts reach the API through
:mod:`queue_ticketing.web.api_forward`, which adds the token on the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from location_config import Location

from ..api.problems import problem
from ..services.devices import PERMISSIONS, Authenticator
from ..store.devices import Device
from .languages import ENDONYMS, STAFF_LANGUAGES, gettext_for
from .rendering import render
from .texts import ERRORS, STAFF, translated

SIGNED_IN_HOURS = 12
"""A shift; after it the screen asks for the token again."""


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=200)


@dataclass(frozen=True)
class StaffScreen:
    """One kind of staff screen: its cookie, its address prefix and who may use it."""

    name: str
    """``host`` or ``desk``: the first segment of its address."""
    permission: str
    """The permission (services.devices.PERMISSIONS) a token needs to sign in here."""

    @property
    def cookie(self) -> str:
        return f"gastvrij_{self.name}"

    def path(self, location: str) -> str:
        return f"/{self.name}/{location}"

    @property
    def roles(self) -> frozenset[str]:
        return PERMISSIONS[self.permission]

    def allows(self, device: Device | None, location: str) -> bool:
        return bool(device and device.role in self.roles and (device.role == "admin" or device.location == location))

    async def device(self, request: Request, location: str) -> Device | None:
        """The signed-in device of this screen at ``location``, or None."""
        token = request.cookies.get(self.cookie)
        if not token:
            return None
        device = await device_of(request, token)
        return device if self.allows(device, location) else None

    async def sign_in(self, request: Request, location: str, body: TokenIn) -> Response:
        device = await device_of(request, body.token.strip())
        if device is None:
            return problem(401, "unknown_token", "This token is unknown or has been revoked.")
        if device.role not in self.roles:
            return problem(403, "wrong_role", f"A {device.role} token cannot sign in here.", role=device.role)
        if not self.allows(device, location):
            return problem(403, "wrong_location", f"This token belongs to location '{device.location}'.",
                           token_location=device.location)
        response = Response(status_code=204)
        response.set_cookie(self.cookie, body.token.strip(), max_age=SIGNED_IN_HOURS * 3600,
                            path=self.path(location), secure=True, httponly=True, samesite="strict")
        return response

    def sign_out(self, location: str) -> Response:
        response = Response(status_code=204)
        response.delete_cookie(self.cookie, path=self.path(location), secure=True, httponly=True, samesite="strict")
        return response


HOST = StaffScreen("host", "events.hosts")
DESK = StaffScreen("desk", "desk.call")


async def device_of(request: Request, token: str) -> Device | None:
    authenticator: Authenticator = request.app.state.authenticator
    cached, device = authenticator.cached(token)
    if not cached:
        device = await run_in_threadpool(authenticator.device, token)
    return device


def staff_config(location: Location, screen: StaffScreen, language: str) -> dict[str, Any]:
    """What a staff page's script needs of the location, in the page's language."""
    _ = gettext_for(language)
    base = screen.path(location.id)
    return {
        "location": location.id,
        "language": language,
        "timezone": location.timezone,
        "api": f"{base}/api",
        "session": f"{base}/session",
        "services": [{"id": s.id, "letter": s.letter, "name": s.name(language), "norm_minutes": s.norm_minutes,
                      "walk_in": s.walk_in} for s in location.services],
        "desks": [{"id": d.id, "number": d.number, "services": list(d.services)} for d in location.desks],
        "languages": {code: ENDONYMS.get(code, code) for code in location.languages},
        "texts": translated(STAFF, _),
        "errors": translated(ERRORS, _),
    }


def sign_in_page(request: Request, location: Location, screen: StaffScreen, language: str,
                 title: str) -> HTMLResponse:
    _ = gettext_for(language)
    config = {"session": f"{screen.path(location.id)}/session", "errors": translated(ERRORS, _)}
    expired = screen.cookie in request.cookies
    return render(request, "sign_in.html", language, location=location, screen=screen, title=title,
                  config=config, expired=expired, languages=STAFF_LANGUAGES)
