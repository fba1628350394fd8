"""The staff screens (hosts' dashboard, desk page): signing in with a device token, and what their
pages share.

Signing in starts a staff session on the server (:class:`queue_ticketing.services.auth.Authenticator`):
the screen's cookie holds the session's own random secret, never the token. The cookie is out of
reach of page scripts (HttpOnly), travels only over HTTPS or to this machine (Secure), only from our
own pages (SameSite=Strict) and only to the screen's own addresses (Path). The server checks the
session's idle and absolute expiry on every use; signing out, or revoking the token, ends it there.
The pages' scripts reach the API through :mod:`queue_ticketing.web.api_forward`, as the session's
principal.

The sign-in form is a plain ``<form method="post">`` to the page's own address, so it works
without JavaScript (:func:`sign_in_by_form`); the page's script posts the same token as JSON to
``/{screen}/{location}/session`` (:meth:`StaffScreen.sign_in`). A token never goes into an address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from location_config import Location

from ..api.dependencies import CSRF_HEADER, PERSON_COOKIE, authenticate, note_caller
from ..api.problems import problem
from ..domain.identity import Principal, SubjectKind
from ..domain.permissions import Forbidden, permits
from ..services.auth import Authenticator, SessionCookie, UnknownToken, csrf_matches, csrf_token
from .languages import ENDONYMS, STAFF_LANGUAGES, gettext_for
from .rendering import render
from .texts import ERRORS, STAFF, translated

NO_STORE = {"Cache-Control": "no-store"}
"""On every answer of a staff screen: what a desk or host sees is kept by no cache."""

FORM = "application/x-www-form-urlencoded"
FORM_PATHS = r"/(host|desk)/[^/]+(/[^/]+)?|/sign-in|/sign-out(/everywhere)?|/manage/[^/]+/devices(/[^/]+/revoke)?"
"""The addresses that take a form (the sign-in forms, sign-out, the manager's device forms); every
other request body is JSON."""


def staff_problem(status: int, code: str, detail: str) -> Response:
    """A problem answer of a staff screen (kept by no cache either)."""
    response = problem(status, code, detail)
    response.headers.update(NO_STORE)
    return response


def signed_out() -> Response:
    return staff_problem(401, "signed_out", "Sign in again on this screen.")


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=200)


class SignInRefused(Exception):
    """Why a token cannot sign in here: ``status`` and ``code`` (the page's texts know each code)."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class StaffScreen:
    """One kind of staff screen: its cookie, its address prefix and who may use it."""

    name: str
    """``host`` or ``desk``: the first segment of its address."""
    permission: str
    """The permission (domain.permissions.PERMISSIONS) needed to sign in and to use it."""

    @property
    def cookie(self) -> str:
        return f"gastvrij_{self.name}"

    def path(self, location: str) -> str:
        return f"/{self.name}/{location}"

    async def principal(self, request: Request, location: str) -> Principal | None:
        """Who is signed in on this screen at ``location``, or None (no cookie, or its session is
        over, or it may not use this screen here): the screen's own session (a device token's),
        else the person's signed in at ``/sign-in``."""
        for cookie in (self.cookie, PERSON_COOKIE):
            secret = request.cookies.get(cookie)
            if not secret:
                continue
            credential = SessionCookie(secret)
            principal = await authenticate(request, credential)
            if principal is None or not permits(principal, self.permission, location):
                continue
            note_caller(request, principal, credential)
            return principal
        return None

    async def start_session(self, request: Request, location: str, token: str) -> tuple[str, Principal]:
        """A new session for the token at ``location``; SignInRefused when it cannot sign in here."""
        if cross_site(request):
            raise SignInRefused(403, "cross_site", "Requests from other sites are refused.")
        authenticator: Authenticator = request.app.state.authenticator
        try:
            return await authenticator.sign_in(token, self.permission, location)
        except UnknownToken:
            raise SignInRefused(401, "unknown_token", "This token is unknown or has been revoked.") from None
        except Forbidden as refused:
            if refused.extra.get("reason") == "location":
                raise SignInRefused(403, "wrong_location", "This token belongs to another location.") from None
            raise SignInRefused(403, "wrong_role", "A token of this kind cannot sign in here.") from None

    def signed_in(self, response: Response, request: Request, location: str, secret: str) -> Response:
        policy = request.app.state.authenticator.policy
        response.set_cookie(self.cookie, secret, max_age=int(policy.absolute.total_seconds()),
                            path=self.path(location), secure=True, httponly=True, samesite="strict")
        response.headers.update(NO_STORE)
        return response

    async def sign_in(self, request: Request, location: str) -> Response:
        """``POST /{screen}/{location}/session`` with ``{"token": ...}`` (the page's script): 204 and
        the session's cookie, or a problem."""
        try:
            body = TokenIn.model_validate_json(await request.body())
        except ValidationError:
            return staff_problem(422, "invalid_request", "Send {\"token\": \"...\"} as JSON.")
        try:
            secret, _ = await self.start_session(request, location, body.token.strip())
        except SignInRefused as refused:
            return staff_problem(refused.status, refused.code, refused.detail)
        return self.signed_in(Response(status_code=204), request, location, secret)

    async def whoami(self, request: Request, location: str) -> Response:
        principal = await self.principal(request, location)
        if principal is None:
            return signed_out()
        return JSONResponse({"name": principal.name, "role": principal.role}, headers=NO_STORE)

    async def sign_out(self, request: Request, location: str) -> Response:
        """End the screen's session on the server, and forget the cookie; a person's session (sent
        with its anti-forgery token) likewise."""
        authenticator: Authenticator = request.app.state.authenticator
        secret = request.cookies.get(self.cookie)
        if secret:
            await authenticator.sign_out(secret)
        response = Response(status_code=204, headers=NO_STORE)
        response.delete_cookie(self.cookie, path=self.path(location), secure=True, httponly=True, samesite="strict")
        person = request.cookies.get(PERSON_COOKIE)
        if not secret and person:
            if not csrf_matches(person, request.headers.get(CSRF_HEADER)):
                return staff_problem(403, "csrf", "This request lacks the page's anti-forgery token.")
            await authenticator.sign_out(person)
            response.delete_cookie(PERSON_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
        return response


HOST = StaffScreen("host", "events.hosts")
DESK = StaffScreen("desk", "desk.call")


async def sign_in_by_form(request: Request, location: Location, screen: StaffScreen, language: str,
                          title: str) -> Response:
    """The sign-in form posted without JavaScript to the page's own address: on success 303 back
    to the page (now signed in), else the sign-in page again saying why."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM:
        return staff_problem(415, "unsupported_media_type", "Sign in with the form on this page.")
    try:
        fields = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=4)
    except ValueError:  # more fields than the form has
        fields = {}
    token = (fields.get("token") or [""])[0].strip()
    if not token or len(token) > 200:
        return sign_in_page(request, location, screen, language, title, error="invalid_request", status=422)
    try:
        secret, _ = await screen.start_session(request, location.id, token)
    except SignInRefused as refused:
        return sign_in_page(request, location, screen, language, title, error=refused.code, status=refused.status)
    return screen.signed_in(RedirectResponse(request.url.path, status_code=303), request, location.id, secret)


def cross_site(request: Request) -> bool:
    """Sent by another site's page: browsers say so in Sec-Fetch-Site (older ones only in Origin)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.headers.get("host")


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


def person_csrf(request: Request) -> str | None:
    """The anti-forgery token for the page, when a person is signed in (its session's)."""
    secret = request.cookies.get(PERSON_COOKIE)
    principal: Principal | None = getattr(request.state, "principal", None)
    if secret and principal is not None and principal.subject.kind is SubjectKind.PERSON:
        return csrf_token(secret)
    return None


def needs_csrf(request: Request) -> bool:
    """Whether this request, sent with a person's session, lacks its anti-forgery token (a device's
    screen session is bound to its screen's path and refused from other sites; a person's session
    holds for every page, so every change must also carry the token the page was given)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    credential = getattr(request.state, "credential", None)
    person = request.cookies.get(PERSON_COOKIE)
    if not isinstance(credential, SessionCookie) or credential.secret != person:
        return False
    return not csrf_matches(person, request.headers.get(CSRF_HEADER))


def sign_in_page(request: Request, location: Location, screen: StaffScreen, language: str, title: str,
                 error: str | None = None, status: int = 200) -> HTMLResponse:
    """The sign-in form; ``error``: the code of why the last try failed (its text is shown)."""
    _ = gettext_for(language)
    errors = translated(ERRORS, _)
    config = {"session": f"{screen.path(location.id)}/session", "errors": errors}
    expired = error is None and screen.cookie in request.cookies
    message = errors.get(error, errors["forbidden"]) if error else None
    return render(request, "sign_in.html", language, status_code=status, location=location, screen=screen,
                  title=title, config=config, expired=expired, error=message, languages=STAFF_LANGUAGES)

