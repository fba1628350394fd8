"""Texts per language (names, wayfinding, what to bring): known codes only, none missing."""

from __future__ import annotations

from collections.abc import Sequence

from location_config.model import LANGUAGES
from location_config.toml_table import Table, describe, suggestion


def unknown_language(code: object) -> str | None:
    """Why ``code`` is not one of :data:`LANGUAGES`, or None if it is."""
    if isinstance(code, str) and code in LANGUAGES:
        return None
    shown = repr(code) if isinstance(code, str) else describe(code)
    return f"unknown language code {shown} (known: {', '.join(LANGUAGES)})" + suggestion(str(code), LANGUAGES)


def texts_per_language(owner: Table, key: str, required: Sequence[str]) -> dict[str, str] | None:
    """``{language: text}`` with a non-empty text for every language in ``required``."""
    table = owner.table(key)
    if table is None:
        return None
    texts: dict[str, str] = {}
    for code, value in table.entries():
        if problem := unknown_language(code):
            table.problem(code, problem)
            continue
        if isinstance(value, str) and value.strip():
            texts[code] = value
        else:
            table.problem(code, f"expected a non-empty text, got {describe(value)}")
    _report_missing(table, required)
    return texts


def lists_per_language(owner: Table, key: str, required: Sequence[str]) -> dict[str, tuple[str, ...]] | None:
    """``{language: (text, ...)}`` for every language in ``required``, each list equally long."""
    table = owner.table(key, required=False)
    if table is None:
        return None
    lists: dict[str, tuple[str, ...]] = {}
    for code, _value in table.entries():
        if problem := unknown_language(code):
            table.problem(code, problem)
            continue
        items = table.text_list(code)
        if items is not None:
            lists[code] = tuple(items)
    _report_missing(table, required)
    lengths = {code: len(items) for code, items in lists.items()}
    if len(set(lengths.values())) > 1:
        counts = ", ".join(f"{code} {count}" for code, count in lengths.items())
        table.problem(None, f"every language must list the same things, but the counts differ ({counts})")
    return lists


def _report_missing(table: Table, required: Sequence[str]) -> None:
    missing = [code for code in required if code not in table.data]
    if missing:
        table.problem(None, f"missing translation for {', '.join(missing)} (required: {', '.join(required)})")
