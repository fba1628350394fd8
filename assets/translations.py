"""The one translation mechanism of Gastvrij (DESIGN.md): gettext catalogues
(``<dir>/<lang>/LC_MESSAGES/<domain>.po``), compiled in memory with Babel on first use, so there is
no build step and no ``.mo`` file. Message ids are the English texts; English needs no catalogue.
The web screens, the robot's speech and the kiosk each keep their own domain and folder."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

ENDONYMS = {"nl": "Nederlands", "en": "English", "tr": "Türkçe", "pl": "Polski", "ar": "العربية"}
"""Each language by its own name, as a visitor looks for it."""
RIGHT_TO_LEFT = frozenset({"ar"})


def direction(language: str) -> str:
    """``rtl`` for a right-to-left language, else ``ltr``."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


@cache
def catalogue(directory: Path, domain: str, language: str) -> NullTranslations:
    """The compiled catalogue of ``domain`` for ``language`` (a null one for English or a language
    without a catalogue, which then shows the English text)."""
    path = directory / language / "LC_MESSAGES" / f"{domain}.po"
    if language == "en" or not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        read = read_po(po, locale=language, domain=domain)
    compiled = io.BytesIO()
    write_mo(compiled, read, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=domain)
