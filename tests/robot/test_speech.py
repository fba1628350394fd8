"""The robot's words come from one gettext catalogue per language."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

import robot_host
from robot_host.speech import TRANSLATIONS_DIR, phrase

SOURCES = Path(robot_host.__file__).parent


def _spoken_message_ids() -> set[str]:
    text = (SOURCES / "behaviour.py").read_text()
    ids = {"".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
           for m in re.finditer(r'_say\(state,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)', text)}
    ids |= set(re.findall(r'return "(Good [^"]*)"', text))
    return ids


def test_every_spoken_text_has_a_dutch_translation() -> None:
    with (TRANSLATIONS_DIR / "nl" / "LC_MESSAGES" / "robot.po").open("rb") as po:
        catalog = read_po(po, locale="nl")
    translated = {m.id for m in catalog if m.id and m.string}
    missing = _spoken_message_ids() - translated
    assert len(_spoken_message_ids()) > 15
    assert not missing, f"no Dutch for: {sorted(missing)}"


def test_english_is_the_message_itself_with_its_placeholders_filled() -> None:
    assert phrase("en", "Good morning, welcome to {location}!", location="X") == "Good morning, welcome to X!"


def test_a_language_without_a_catalogue_falls_back_to_english() -> None:
    assert phrase("pl", "How can I help you?") == "How can I help you?"
