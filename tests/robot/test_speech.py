"""The robot's words come from one gettext catalogue per language, in the kiosk's five languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import robot_host
from location_config import LANGUAGES
from robot_host.speech import SPOKEN, TRANSLATIONS_DIR, phrase

SOURCES = Path(robot_host.__file__).parent


def _spoken_message_ids() -> set[str]:
    text = (SOURCES / "behaviour.py").read_text()
    ids = {"".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
           for m in re.finditer(r'_(?:say|text)\(state,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)', text)}
    ids |= set(re.findall(r'return "(Good [^"]*)"', text))
    return ids


@pytest.mark.parametrize("language", [code for code in SPOKEN if code != "en"])
def test_every_spoken_text_has_a_translation_with_the_same_placeholders(language: str) -> None:
    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "robot.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    translated = {str(m.id): str(m.string) for m in catalog if m.id and m.string}
    spoken = _spoken_message_ids()
    assert len(spoken) > 15
    assert not spoken - set(translated), f"no {language} for: {sorted(spoken - set(translated))}"
    for message in spoken:
        assert set(re.findall(r"{\w+}", translated[message])) == set(re.findall(r"{\w+}", message)), message


def test_english_is_the_message_itself_with_its_placeholders_filled() -> None:
    assert phrase("en", "Good morning, welcome to {location}!", location="X") == "Good morning, welcome to X!"


def test_a_language_without_a_catalogue_falls_back_to_english() -> None:
    assert phrase("de", "How can I help you?") == "How can I help you?"


def test_the_robot_speaks_the_kiosk_s_five_languages() -> None:
    assert set(SPOKEN) == set(LANGUAGES)
    assert phrase("ar", "How can I help you?") == "كيف يمكنني مساعدتك؟"
