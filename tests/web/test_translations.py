"""The web screens' catalogues (gettext, read with Babel): every text a clerk or host sees has a
Dutch translation, every text a visitor sees has one in each of the visitors' languages, and each
translation keeps the placeholders of its English original."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po

from queue_ticketing.domain.push import TEXTS as PUSH_TEXTS
from queue_ticketing.web import texts
from queue_ticketing.web.languages import TRANSLATIONS_DIR

WEB = Path(texts.__file__).parent
VISITOR_TEMPLATES = ("ticket.html", "not_found.html", "appointment.html", "appointment_slip.html",
                     "_appointment_details.html")


def texts_in(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        method = "jinja2.ext:babel_extract" if path.suffix == ".html" else "python"
        with path.open("rb") as source:
            found |= {message for _, message, _, _ in extract(
                method, source, keywords={"_": None, "N_": None, "nl": None, "both": None})}
    return found


def catalogue(language: str) -> dict[str, str]:
    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "web.po").open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id}


STAFF_AND_DISPLAY = texts_in(sorted((WEB / "templates").glob("*.html")) + sorted(WEB.glob("*.py")))
PUSHES = {text for pair in PUSH_TEXTS.values() for text in pair}
VISITORS = texts_in([WEB / "templates" / name for name in VISITOR_TEMPLATES]) | set(texts.TICKET.values()) | {
    texts.DISPLAY["callout"]} | PUSHES


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_every_text_on_the_screens_has_a_dutch_translation():
    dutch = catalogue("nl")
    missing = sorted(t for t in STAFF_AND_DISPLAY if not dutch.get(t))
    assert not missing, f"add to translations/nl/LC_MESSAGES/web.po: {missing}"
    assert not sorted(set(dutch) - STAFF_AND_DISPLAY - PUSHES), "translations of texts no screen shows any more"


@pytest.mark.parametrize("language", ["tr", "pl", "ar"])
def test_every_text_a_visitor_sees_has_a_translation_in_the_visitors_languages(language):
    translated = catalogue(language)
    missing = sorted(t for t in VISITORS if not translated.get(t))
    assert not missing, f"add to translations/{language}/LC_MESSAGES/web.po: {missing}"


@pytest.mark.parametrize("language", ["nl", "tr", "pl", "ar"])
def test_translations_keep_the_placeholders(language):
    wrong = {m: t for m, t in catalogue(language).items() if placeholders(m) != placeholders(t)}
    assert not wrong, wrong
