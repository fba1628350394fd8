"""The robot's words: gettext catalogues (``translations/<lang>/LC_MESSAGES/robot.po``), compiled
in memory with Babel like the web screens' (``queue_ticketing.web.languages``). Message ids are the
English texts, with ``{name}`` placeholders; English needs no catalogue."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DOMAIN = "robot"
SPOKEN = ("nl", "en")
"""Languages the robot speaks and understands; the tablet offers the location's others."""


@cache
def translations(language: str) -> NullTranslations:
    path = TRANSLATIONS_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == "en" or not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def phrase(language: str, message: str, **values: object) -> str:
    """``message`` (English) in ``language``, its placeholders filled."""
    return translations(language).gettext(message).format(**values)
