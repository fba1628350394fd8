"""Every text the kiosk shows is translated (English is the message ids themselves)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import kiosk_app
from kiosk_app.texts import translations
from kiosk_app.viewmodels.home import TILES

KIOSK = Path(kiosk_app.__file__).parent


KV_TEXT = re.compile(r'app\.t\("((?:[^"\\]|\\.)*)"')


def message_ids() -> set[str]:
    """The English texts given to ``_()``, ``gettext()``, ``app.t()`` or marked with ``N_()`` in kiosk_app's
    Python, to ``app.t("...")`` in its .kv files, and the home tiles."""
    ids = {title for _, title, _ in TILES}
    for source in KIOSK.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in ("_", "gettext", "t", "N_") and isinstance(node.args[0].value, str):
                    ids.add(node.args[0].value)
    for rules in KIOSK.rglob("*.kv"):
        ids.update(KV_TEXT.findall(rules.read_text()))
    return ids


@pytest.mark.parametrize("language", ["nl", "tr", "pl", "ar"])
def test_every_kiosk_text_is_translated(language):
    catalogue = translations(language)
    missing = sorted(text for text in message_ids() if catalogue.gettext(text) == text)
    assert missing == []


def test_translations_keep_their_placeholders():
    for language in ("nl", "tr", "pl", "ar"):
        catalogue = translations(language)
        for text in message_ids():
            for name in ("{minutes}", "{number}", "{time}", "{location}", "{seconds}", "{day}", "{date}", "{left}"):
                if name in text:
                    assert name in catalogue.gettext(text), (language, text)
