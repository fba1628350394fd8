"""The robot's words: gettext catalogues (``translations/<lang>/LC_MESSAGES/robot.po``), compiled
in memory with Babel like the web screens' (``queue_ticketing.web.languages``). Message ids are the
English texts, with ``{name}`` placeholders; English needs no catalogue."""

from __future__ import annotations

from pathlib import Path

from babel.support import NullTranslations

from assets.translations import catalogue

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DOMAIN = "robot"
SPOKEN = ("nl", "en", "tr", "pl", "ar")
"""Languages the robot can speak and understand, where it has the language pack (checked at connect)."""


def translations(language: str) -> NullTranslations:
    return catalogue(TRANSLATIONS_DIR, DOMAIN, language)


def phrase(language: str, message: str, **values: object) -> str:
    """``message`` (English) in ``language``, its placeholders filled."""
    return translations(language).gettext(message).format(**values)
