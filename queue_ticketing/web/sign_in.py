"""People sign in as themselves: ``/sign-in`` (a local account's form, and the city account's button
when OpenID Connect is configured), ``/sign-in/oidc/callback``, ``/sign-out`` and "sign out
everywhere". Every staff page sends a person who is not signed in here with ``?next=`` its own
address (only an address of this site is followed).

A person's session lives on the server (:class:`queue_ticketing.services.auth.Authenticator`); the
browser holds its random secret in the ``gastvrij_staff`` cookie (HttpOnly, Secure, SameSite=Strict).
Every form that changes something carries the session's anti-forgery token (``csrf``), and the
pages' scripts send it as ``X-CSRF-Token``; the sign-in form itself carries a token of its own,
also kept in a cookie of the form's (double submit), so no other site can sign a browser in.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import asdict
from urllib.parse import parse_qs, quote, urlsplit

import anyio.to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from ..api.dependencies import PERSON_COOKIE, Ctx, authenticate, note_caller
from ..domain.identity import Principal, RoleGrant, SubjectKind
from ..services.accounts import Account, AccountLocked, CodeNeeded, SignInFailed
from ..services.auth import Authenticator, SessionCookie, csrf_matches, csrf_token
from ..services.oidc import NoRole, OidcClient, Pending, Person, choose_grant
from ..services.oidc import SignInRefused as OidcRefused
from .languages import STAFF_LANGUAGES, choose, gettext_for
from .rendering import render
from .staff_session import FORM, NO_STORE, cross_site

router = APIRouter(include_in_schema=False)

FORM_COOKIE = "gastvrij_sign_in"
"""The sign-in form's own anti-forgery token (double submit: the form's field and this cookie)."""
OIDC_COOKIE = "gastvrij_oidc"
"""What the browser keeps between the redirect to the city's provider and the way back."""
OIDC_PATH = "/sign-in/oidc"


def safe_next(value: str | None) -> str:
    """``next`` when it is an address of this site (a path), else ``/``: a sign-in never sends
    anyone to another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in value):
        return "/"
    return value


def landing(principal: Principal) -> str:
    """Where a person goes after signing in without a ``next``: their role's page."""
    if principal.location is None:
        return "/"
    return {"host": "/host/", "desk": "/desk/", "manager": "/manage/"}.get(principal.role, "/host/") \
        + principal.location


def sign_in_redirect(request: Request) -> RedirectResponse:
    """To ``/sign-in`` with this page as ``next`` (a staff page of a person not signed in)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    address = f"/sign-in?next={quote(target, safe='/')}"
    if "lang" in request.query_params:
        address += f"&lang={quote(request.query_params['lang'])}"
    if any(name.startswith("gastvrij_") and name not in (FORM_COOKIE, OIDC_COOKIE, "gastvrij_lang")
           for name in request.cookies):
        address += "&ended=1"  # a session cookie came along, but its session is over
    return RedirectResponse(address, status_code=303, headers=NO_STORE)


async def signed_in_person(request: Request) -> tuple[str, Principal] | None:
    """The person signed in with this browser (their session's secret and principal), or None."""
    secret = request.cookies.get(PERSON_COOKIE)
    if not secret:
        return None
    credential = SessionCookie(secret)
    principal = await authenticate(request, credential)
    if principal is None or principal.subject.kind is not SubjectKind.PERSON:
        return None
    note_caller(request, principal, credential)
    return secret, principal


def _oidc(request: Request) -> OidcClient | None:
    client: OidcClient | None = request.app.state.oidc
    return client


def _device_screen(next_path: str) -> dict[str, str] | None:
    """The device-token form's target when ``next`` is a hosts' dashboard or a desk page: devices
    standing at a desk or the hosts' counter still sign in with their token there."""
    parts = next_path.split("?")[0].strip("/").split("/")
    if len(parts) >= 2 and parts[0] in ("host", "desk"):
        return {"action": next_path.split("?")[0], "session": f"/{parts[0]}/{parts[1]}/session", "kind": parts[0]}
    return None


def _page(request: Request, next_path: str, *, error: str | None = None, status: int = 200,
          email: str = "", code_needed: bool = False, expired: bool = False) -> HTMLResponse:
    language = choose(request, STAFF_LANGUAGES)
    _ = gettext_for(language)
    from .texts import ERRORS, translated

    form_token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)
    device = _device_screen(next_path)
    config = {"session": device["session"] if device else None, "next": next_path,
              "errors": translated(ERRORS, _)}
    response = render(request, "account_sign_in.html", language, status_code=status, next=next_path,
                      form_token=form_token, error=error, email=email, code_needed=code_needed, expired=expired,
                      oidc=_oidc(request) is not None, device=device, config=config, languages=STAFF_LANGUAGES)
    response.set_cookie(FORM_COOKIE, form_token, max_age=3600, path="/sign-in", secure=True, httponly=True,
                        samesite="strict")
    return response


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request, next: str | None = None, ended: str | None = None) -> Response:
    return _page(request, safe_next(next), expired=ended == "1")


async def read_form(request: Request, limit: int = 8) -> dict[str, str]:
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM:
        return {}
    try:
        fields = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=limit)
    except ValueError:
        return {}
    return {name: values[0] for name, values in fields.items()}


def start_cookie(response: Response, request: Request, secret: str, role: str) -> Response:
    authenticator: Authenticator = request.app.state.authenticator
    response.set_cookie(PERSON_COOKIE, secret, max_age=int(authenticator.policies.of(role).absolute.total_seconds()),
                        path="/", secure=True, httponly=True, samesite="strict")
    response.headers.update(NO_STORE)
    return response


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request) -> Response:
    """A local account's sign-in form: 303 to ``next`` (or the role's page) with the session's
    cookie, else the form again saying why (401 wrong, 429 locked, 403 from another site)."""
    language = choose(request, STAFF_LANGUAGES)
    _ = gettext_for(language)
    fields = await read_form(request)
    next_path = safe_next(fields.get("next"))
    form_token = request.cookies.get(FORM_COOKIE)
    if cross_site(request) or not form_token or not secrets.compare_digest(form_token, fields.get("csrf", "")):
        return _page(request, next_path, status=403,
                     error=_("This sign-in did not come from this site's own form. Load the page and try again."))
    email, password, code = fields.get("email", "")[:254], fields.get("password", "")[:256], fields.get("code")
    if not email or not password:
        return _page(request, next_path, status=422, email=email,
                     error=_("Enter your e-mail address and password."))
    authenticator: Authenticator = request.app.state.authenticator
    try:
        secret, principal = await authenticator.sign_in_person(email, password, code or None)
    except CodeNeeded:
        return _page(request, next_path, status=401, email=email, code_needed=True,
                     error=_("Enter the 6-digit code of your authenticator app."))
    except AccountLocked:
        return _page(request, next_path, status=429, email=email, error=_(
            "Too many failed sign-ins: this account is locked for a while. Try again later, or ask an "
            "administrator to set a new password."))
    except SignInFailed:
        return _page(request, next_path, status=401, email=email,
                     error=_("The e-mail address, password or code is not right."))
    target = next_path if next_path != "/" else landing(principal)
    return start_cookie(RedirectResponse(target, status_code=303), request, secret, principal.role)


# ---------------------------------------------------------------------------------- OpenID Connect


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


def _encode(pending: Pending) -> str:
    return base64.urlsafe_b64encode(json.dumps(asdict(pending)).encode()).decode()


def _decode(value: str | None) -> Pending | None:
    if not value:
        return None
    try:
        fields = json.loads(base64.urlsafe_b64decode(value.encode()))
        return Pending(**{k: str(fields[k]) for k in ("state", "nonce", "verifier", "next")})
    except (ValueError, KeyError, TypeError):
        return None


@router.get("/sign-in/oidc")
async def oidc_start(request: Request, next: str | None = None) -> Response:
    """Off to the city's provider (authorization code flow with PKCE)."""
    client = _oidc(request)
    if client is None:
        return RedirectResponse("/sign-in", status_code=303)
    try:
        url, pending = await anyio.to_thread.run_sync(client.begin, _callback_url(request), safe_next(next))
    except Exception:  # the provider cannot be reached: say so, sign-in with a local account still works
        return _page(request, safe_next(next), status=502, error=gettext_for(choose(request, STAFF_LANGUAGES))(
            "The city account cannot be reached right now. Try again in a moment."))
    response = RedirectResponse(url, status_code=303, headers=NO_STORE)
    # Lax: the provider sends the browser back with a top-level GET from its own site.
    response.set_cookie(OIDC_COOKIE, _encode(pending), max_age=600, path=OIDC_PATH, secure=True, httponly=True,
                        samesite="lax")
    return response


def _refusal(request: Request, message: str, status: int) -> HTMLResponse:
    language = choose(request, STAFF_LANGUAGES)
    response = render(request, "sign_in_refused.html", language, status_code=status, message=message,
                      languages=STAFF_LANGUAGES)
    response.delete_cookie(OIDC_COOKIE, path=OIDC_PATH, secure=True, httponly=True, samesite="lax")
    return response


@router.get("/sign-in/oidc/callback", name="oidc_callback")
async def oidc_callback(request: Request, ctx: Ctx) -> Response:
    """The provider's answer: a session for the person with the role their claims grant, or a page
    saying why not (no role of this service: 403)."""
    _ = gettext_for(choose(request, STAFF_LANGUAGES))
    client = _oidc(request)
    pending = _decode(request.cookies.get(OIDC_COOKIE))
    if client is None or pending is None:
        return _refusal(request, _("This sign-in has expired or was not started here. Start again."), 400)
    params = {k: v for k, v in request.query_params.items()}
    try:
        person = await anyio.to_thread.run_sync(client.finish, _callback_url(request), pending, params)
        if not person.grants:
            raise NoRole("no role")
    except NoRole:
        return _refusal(request, _("You are signed in with the city account, but you have no role in this "
                                   "service. Ask your manager to give you one."), 403)
    except OidcRefused:
        return _refusal(request, _("The city account's answer could not be trusted, so nobody was signed in. "
                                   "Start again."), 401)
    grant = choose_grant(person.grants, pending.next)
    account = await ctx.write(lambda uow: _oidc_account(uow, person, grant))
    if account.disabled_at is not None:
        return _refusal(request, _("This account has been disabled."), 403)
    authenticator: Authenticator = request.app.state.authenticator
    secret, principal = await authenticator.start_person_session(account, grant)
    target = pending.next if pending.next != "/" else landing(principal)
    response = start_cookie(RedirectResponse(target, status_code=303), request, secret, grant.role)
    response.delete_cookie(OIDC_COOKIE, path=OIDC_PATH, secure=True, httponly=True, samesite="lax")
    return response


def _oidc_account(uow: object, person: Person, grant: RoleGrant) -> Account:
    """The account of a person of the city's provider: made at their first sign-in, its name and
    role kept up to date with each."""
    from ..store.unit_of_work import UnitOfWork

    assert isinstance(uow, UnitOfWork)
    account = uow.accounts.by_external("oidc", person.subject)
    if account is None:
        existing = uow.accounts.by_email(person.email)
        email = person.email if existing is None else f"{person.subject}@oidc"
        account = Account(id=secrets.token_hex(8), email=email[:254], name=person.name, role=grant.role,
                          location=grant.location, source="oidc", created_at=uow.now, external_id=person.subject)
        uow.accounts.add(account)
        uow.record("account.created", grant.location, target=account.email)
        return account
    uow.accounts.update_identity(account.id, person.name, grant.role, grant.location)
    return account


# ------------------------------------------------------------------------------------- sign-out


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    """End this browser's session (its form carries the session's anti-forgery token); then the
    city provider's own sign-out when the person came through it and it offers one."""
    fields = await read_form(request)
    found = await signed_in_person(request)
    if found is None:
        return RedirectResponse("/sign-in", status_code=303, headers=NO_STORE)
    secret, principal = found
    if cross_site(request) or not csrf_matches(secret, fields.get("csrf")):
        return _refusal(request, gettext_for(choose(request, STAFF_LANGUAGES))(
            "This sign-out did not come from one of this site's pages."), 403)
    authenticator: Authenticator = request.app.state.authenticator
    await authenticator.sign_out(secret)
    client = _oidc(request)
    provider_logout = None
    if client is not None:
        account = await anyio.to_thread.run_sync(_account_of, request, principal)
        if account is not None and account.source == "oidc":
            try:
                provider_logout = await anyio.to_thread.run_sync(client.logout_url,
                                                                 str(request.url_for("sign_in_page")))
            except Exception:  # the provider cannot be reached: the local session is over all the same
                provider_logout = None
    if provider_logout is None:
        response: Response = RedirectResponse("/sign-in", status_code=303, headers=NO_STORE)
    else:
        # A page with the way on to the provider's sign-out (the pages' Content-Security-Policy keeps
        # a form's redirect on this site, so the form's answer cannot send the browser there itself).
        response = render(request, "signed_out.html", choose(request, STAFF_LANGUAGES),
                          provider_logout=provider_logout, languages=STAFF_LANGUAGES)
    response.delete_cookie(PERSON_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


def _account_of(request: Request, principal: Principal) -> Account | None:
    with request.app.state.db.read() as conn:
        from ..store.unit_of_work import Stores

        return Stores(conn).accounts.get(principal.subject.id)


@router.post("/sign-out/everywhere")
async def sign_out_everywhere(request: Request) -> Response:
    """End every session of the person signed in here (on every device), or, for an admin, of the
    account named in ``email``."""
    fields = await read_form(request)
    found = await signed_in_person(request)
    if found is None:
        return RedirectResponse("/sign-in", status_code=303, headers=NO_STORE)
    secret, principal = found
    _ = gettext_for(choose(request, STAFF_LANGUAGES))
    if cross_site(request) or not csrf_matches(secret, fields.get("csrf")):
        return _refusal(request, _("This sign-out did not come from one of this site's pages."), 403)
    authenticator: Authenticator = request.app.state.authenticator
    subject = principal.subject
    if fields.get("email"):
        if principal.role != "admin":
            return _refusal(request, _("Only an administrator signs someone else out."), 403)
        with request.app.state.db.read() as conn:
            from ..store.unit_of_work import Stores

            other = Stores(conn).accounts.by_email(fields["email"].strip().lower())
        if other is None:
            return _refusal(request, _("There is no such account."), 404)
        subject = type(subject)(SubjectKind.PERSON, other.id)
        await authenticator.sign_out_everywhere(subject, other.location)
        return RedirectResponse("/", status_code=303, headers=NO_STORE)
    await authenticator.sign_out_everywhere(subject, principal.location)
    response = RedirectResponse("/sign-in", status_code=303, headers=NO_STORE)
    response.delete_cookie(PERSON_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


def person_controls(request: Request) -> dict[str, str] | None:
    """What a page needs for its sign-out forms when a person is signed in: the anti-forgery token."""
    principal: Principal | None = getattr(request.state, "principal", None)
    secret = request.cookies.get(PERSON_COOKIE)
    if principal is None or principal.subject.kind is not SubjectKind.PERSON or not secret:
        return None
    return {"csrf": csrf_token(secret)}


