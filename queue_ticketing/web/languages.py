"""The web screens' languages: gettext catalogues (``translations/<lang>/LC_MESSAGES/web.po``),
compiled in memory with Babel when the server starts, so there is no build step and no .mo file.

Message ids are the English texts; English needs no catalogue. Texts carry ``{name}`` placeholders,
filled with ``str.format`` on the server and by ``fill()`` in the pages' JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel.support import NullTranslations
from starlette.requests import Request

from assets.translations import ENDONYMS as ENDONYMS  # re-exported for the screens
from assets.translations import RIGHT_TO_LEFT as RIGHT_TO_LEFT
from assets.translations import catalogue
from assets.translations import direction as direction

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DOMAIN = "web"

STAFF_LANGUAGES = ("nl", "en")
"""Hosts and clerks read Dutch or English; visitors' pages speak every language of the location."""
LANGUAGE_COOKIE = "gastvrij_lang"

Gettext = Callable[[str], str]


def translations(language: str) -> NullTranslations:
    return catalogue(TRANSLATIONS_DIR, DOMAIN, language)


def gettext_for(language: str) -> Gettext:
    return translations(language).gettext


def choose(request: Request, offered: tuple[str, ...], preferred: str | None = None) -> str:
    """The page's language: ``?lang=``, then the language cookie, then ``preferred`` (a ticket's
    language), then the browser's Accept-Language, then Dutch."""
    candidates = [request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE), preferred]
    for header_part in request.headers.get("accept-language", "").split(","):
        candidates.append(header_part.split(";")[0].strip()[:2].lower())
    return next((c for c in candidates if c in offered), "nl" if "nl" in offered else offered[0])

