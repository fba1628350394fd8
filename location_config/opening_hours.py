"""Opening hours: ``monday = ["08:30-12:30", "13:00-17:00"]`` plus dated exceptions."""

from __future__ import annotations

import re
from datetime import date, time
from itertools import pairwise

from location_config.model import OpeningHours, TimeRange
from location_config.toml_table import Table, child_path

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RANGE = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)$")
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def read_opening_hours(owner: Table, key: str) -> OpeningHours | None:
    """The week and its exceptions; a weekday left out (or ``[]``) is closed all day."""
    table = owner.table(key)
    if table is None:
        return None
    weekly: dict[int, tuple[TimeRange, ...]] = {}
    for weekday, name in enumerate(WEEKDAYS):
        if table.has(name):
            ranges = _read_day(table, name)
            if ranges:
                weekly[weekday] = ranges
    exceptions = _read_exceptions(table)
    table.finish()
    return OpeningHours(weekly=weekly, exceptions=exceptions)


def _read_exceptions(hours: Table) -> dict[date, tuple[TimeRange, ...]]:
    table = hours.table("exceptions", required=False)
    if table is None:
        return {}
    exceptions: dict[date, tuple[TimeRange, ...]] = {}
    for key, _value in table.entries():
        day = _parse_date(key)
        if day is None:
            table.problem(key, 'expected a date as YYYY-MM-DD, e.g. "2026-12-25"')
            continue
        exceptions[day] = _read_day(table, key)
    return dict(sorted(exceptions.items()))


def _read_day(table: Table, key: str) -> tuple[TimeRange, ...]:
    """The periods of one day, sorted; reports bad formats, inverted and overlapping ranges."""
    texts = table.text_list(key)
    if texts is None:
        return ()
    ranges: list[tuple[int, TimeRange]] = []
    for index, text in enumerate(texts):
        time_range = _parse_range(text)
        if time_range is None:
            table.log.add(
                child_path(table.at(key), index),
                f'expected opening hours as HH:MM-HH:MM, e.g. "08:30-17:00", got {text!r}',
            )
        elif time_range.opens >= time_range.closes:
            table.log.add(child_path(table.at(key), index), f"{text!r} closes before it opens")
        else:
            ranges.append((index, time_range))
    ranges.sort(key=lambda item: item[1].opens)
    for (first_index, first), (second_index, second) in pairwise(ranges):
        if second.opens < first.closes:
            table.log.add(
                child_path(table.at(key), second_index),
                f"{texts[second_index]!r} overlaps {texts[first_index]!r}",
            )
    return tuple(time_range for _index, time_range in ranges)


def _parse_range(text: str) -> TimeRange | None:
    match = _RANGE.match(text)
    if match is None:
        return None
    open_hour, open_minute, close_hour, close_minute = (int(part) for part in match.groups())
    if max(open_hour, close_hour) > 23 or max(open_minute, close_minute) > 59:
        return None
    return TimeRange(time(open_hour, open_minute), time(close_hour, close_minute))


def _parse_date(text: str) -> date | None:
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
