"""Typed, checked access to parsed TOML: wrong types, missing and unknown keys become problems.

Every reader records the keys it asks for, so :meth:`Table.finish` can report each key nobody
asked for as unknown (a typo like ``servces`` is an error, never silently ignored).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import TypeVar

from location_config.errors import Problem

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_-]*$")
IDENTIFIER_RULE = "lower-case letters, digits, '-' or '_', starting with a letter"
_T = TypeVar("_T")
_Value = TypeVar("_Value", str, int)


class ProblemLog:
    """The problems found so far in one file."""

    def __init__(self, file: Path | str) -> None:
        self.file = str(file)
        self.problems: list[Problem] = []

    def add(self, key_path: str, message: str) -> None:
        self.problems.append(Problem(self.file, key_path, message))


def child_path(parent: str, key: str | int) -> str:
    """The key path of ``key`` inside ``parent``: ``desks[2]``, ``desks[2].services``, ``a."b c"``."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    shown = key if _BARE_KEY.match(key) else f'"{key}"'
    return f"{parent}.{shown}" if parent else shown


def is_identifier(value: str) -> bool:
    """Ids of locations, services, desks, landmarks and devices: ``balie-1``, ``uittreksel_brp``."""
    return bool(_IDENTIFIER.match(value))


def describe(value: object) -> str:
    """What kind of TOML value this is, in words for the person editing the file."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int):
        return f"a whole number ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return f"a date/time ({value.isoformat()})"
    return type(value).__name__


def suggestion(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` when ``word`` looks like a typo of one of ``choices``, else ``""``."""
    by_lower_case = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(word.lower(), list(by_lower_case), n=1, cutoff=0.6)
    return f"; did you mean {by_lower_case[close[0]]!r}?" if close else ""


class Table:
    """A TOML table at a key path, read key by key."""

    def __init__(self, data: Mapping[str, object], path: str, log: ProblemLog) -> None:
        self.data = data
        self.path = path
        self.log = log
        self._asked: set[str] = set()

    def at(self, key: str | int) -> str:
        return child_path(self.path, key)

    def problem(self, key: str | int | None, message: str) -> None:
        self.log.add(self.path if key is None else self.at(key), message)

    def has(self, key: str) -> bool:
        self._asked.add(key)
        return key in self.data

    def raw(self, key: str, *, required: bool = True) -> object | None:
        """The value as parsed, or None (with a problem if it was required)."""
        self._asked.add(key)
        if key not in self.data:
            if required:
                self.problem(key, "missing required key")
            return None
        return self.data[key]

    def _typed(self, key: str, kind: type[_T], wanted: str, required: bool) -> _T | None:
        value = self.raw(key, required=required)
        if value is None:
            return None
        # bool is an int in Python, but `norm_minutes = true` is a mistake, not a number.
        if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
            return value
        self.problem(key, f"expected {wanted}, got {describe(value)}")
        return None

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self._typed(key, str, "text", required)
        if value is not None and not value.strip():
            self.problem(key, "must not be empty")
            return None
        return value

    def identifier(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not is_identifier(value):
            self.problem(key, f"{value!r} is not a valid id ({IDENTIFIER_RULE})")
            return None
        return value

    def integer(self, key: str, *, required: bool = True, minimum: int | None = None) -> int | None:
        value = self._typed(key, int, "a whole number", required)
        if value is not None and minimum is not None and value < minimum:
            self.problem(key, f"must be at least {minimum}, got {value}")
            return None
        return value

    def number(self, key: str, *, required: bool = True) -> float | None:
        value = self.raw(key, required=required)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        self.problem(key, f"expected a number, got {describe(value)}")
        return None

    def boolean(self, key: str, *, required: bool = True) -> bool | None:
        return self._typed(key, bool, "true or false", required)

    def table(self, key: str, *, required: bool = True) -> Table | None:
        value = self._typed(key, dict, "a table", required)
        return None if value is None else Table(value, self.at(key), self.log)

    def text_list(self, key: str, *, required: bool = True) -> list[str] | None:
        """A list of non-empty texts, or None if it or any item is wrong (each item reported)."""
        items = self._typed(key, list, "a list of texts", required)
        if items is None:
            return None
        ok = True
        for index, item in enumerate(items):
            if not isinstance(item, str):
                self.log.add(child_path(self.at(key), index), f"expected text, got {describe(item)}")
                ok = False
            elif not item.strip():
                self.log.add(child_path(self.at(key), index), "must not be empty")
                ok = False
        return items if ok else None

    def tables(self, key: str, *, required: bool = True) -> list[Table]:
        """An array of tables (``[[key]]``); items that are not tables are reported and skipped."""
        items = self._typed(key, list, "an array of tables ([[" + key + "]])", required)
        tables: list[Table] = []
        for index, item in enumerate(items or []):
            if isinstance(item, dict):
                tables.append(Table(item, child_path(self.at(key), index), self.log))
            else:
                self.log.add(child_path(self.at(key), index), f"expected a table, got {describe(item)}")
        return tables

    def entries(self) -> Iterator[tuple[str, object]]:
        """Every key and value, for tables whose keys are data (service ids, languages, dates)."""
        for key, value in self.data.items():
            self._asked.add(key)
            yield key, value

    def report_duplicate(self, key: str, value: _Value, first_at: dict[_Value, str], what: str) -> None:
        """Reports ``value`` if an earlier table (recorded in ``first_at``) already used it."""
        if value in first_at:
            self.problem(key, f"{what} {value!r} is already used by {first_at[value]}")
        else:
            first_at[value] = self.path

    def finish(self) -> None:
        """Report every key that no reader asked for."""
        for key in self.data:
            if key not in self._asked:
                self.problem(key, "unknown key" + suggestion(key, sorted(self._asked)))
