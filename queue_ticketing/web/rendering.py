"""Pages from Jinja2 templates: the template environment, static file URLs and the headers every
page carries (a strict Content-Security-Policy: scripts and styles only from our own files)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from location_config import Location

from ..domain.errors import NotFound
from ..services.context import ServiceContext
from .languages import ENDONYMS, LANGUAGE_COOKIE, direction, gettext_for

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/static"

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; media-src 'self'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # a ticket's address is its secret
    "Cache-Control": "no-store",
}


@cache
def static_url(name: str) -> str:
    """``/static/<name>?v=<content hash>``: browsers may cache it, a new release is fetched anew."""
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:10]
    return f"{STATIC_PREFIX}/{name}?v={digest}"


def json_script(element_id: str, value: Any) -> Markup:
    """Data for the page's script, as a non-executed JSON block (allowed by the CSP)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/json" id="{element_id}">{text}</script>')


environment = Environment(
    loader=PackageLoader("queue_ticketing.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(static_url=static_url, json_script=json_script, endonyms=ENDONYMS)


def render(request: Request, template: str, language: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The page in ``language``; remembers a language picked with ``?lang=`` in a cookie."""
    _ = gettext_for(language)
    html = environment.get_template(template).render(
        _=_, nl=gettext_for("nl"), lang=language, dir=direction(language), request=request, **context)
    response = HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
    if request.query_params.get("lang") == language:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="strict",
                            secure=True, httponly=True)
    return response


def location_or_none(ctx: ServiceContext, location_id: str) -> Location | None:
    try:
        return ctx.location(location_id)
    except NotFound:
        return None


def not_found(request: Request, language: str) -> HTMLResponse:
    """A kind page for an address that leads nowhere (a mistyped location, an old ticket link)."""
    return render(request, "not_found.html", language, status_code=404)
