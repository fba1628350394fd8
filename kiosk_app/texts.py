"""The kiosk's texts: a gettext catalogue per language (``translations/<lang>/LC_MESSAGES/kiosk.po``),
compiled in memory by the one translation mechanism (``assets.translations``).

Message ids are the English texts; English needs no catalogue. Texts carry ``{name}`` placeholders
filled with ``str.format``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel.support import NullTranslations

from assets.translations import ENDONYMS as ENDONYMS  # re-exported for the screens
from assets.translations import RIGHT_TO_LEFT as RIGHT_TO_LEFT
from assets.translations import catalogue
from assets.translations import direction as direction

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DOMAIN = "kiosk"

LANGUAGES = ("nl", "en", "tr", "pl", "ar")
"""The kiosk's languages in the order the welcome screen offers them."""
DEFAULT_LANGUAGE = "nl"

GREETINGS = ("Welkom", "Welcome", "Hoş geldiniz", "Witamy", "أهلاً وسهلاً")
"""The welcome screen greets in every language at once (before a language is chosen)."""
CHOOSE = ("Kies uw taal", "Choose your language", "Dilinizi seçin", "Wybierz język", "اختر لغتك")

Gettext = Callable[[str], str]


def translations(language: str) -> NullTranslations:
    return catalogue(TRANSLATIONS_DIR, DOMAIN, language)


def gettext_for(language: str) -> Gettext:
    return translations(language).gettext



def N_(message: str) -> str:
    """Marks a text for translation where it is defined; it is translated where it is shown."""
    return message
