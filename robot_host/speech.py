"""The robot's words: gettext catalogues (``translations/<lang>/LC_MESSAGES/robot.po``), compiled
in memory with Babel like the web screens' (``queue_ticketing.web.languages``). Message ids are the
English texts, with ``{name}`` placeholders; English needs no catalogue."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from babel.dates import format_date
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


DAY_PATTERNS = {"tr": "d MMMM EEEE"}
"""How a day is said, where not "weekday day month" (Turkish: "7 Aralık Pazartesi")."""


def spoken_day(moment: datetime, language: str) -> str:
    """The weekday and date as said in ``language``: "maandag 7 december", "Monday 7 December"."""
    language = language if language in SPOKEN else "en"
    return format_date(moment, DAY_PATTERNS.get(language, "EEEE d MMMM"), locale=language)


def spoken_time(moment: datetime, language: str) -> str:
    """The clock time as written for the voice: "10:15", "9:30" (a 24-hour clock in every language)."""
    return f"{moment.hour}:{moment.minute:02d}"
