"""Ticket numbers: the service's letter plus a daily sequence per location and letter."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

BUSINESS_TIMEZONE = ZoneInfo("Europe/Amsterdam")


def business_day(moment: datetime, timezone: ZoneInfo = BUSINESS_TIMEZONE) -> date:
    """The business day a moment belongs to: the calendar date in the location's timezone."""
    if moment.utcoffset() is None:
        raise ValueError("business_day needs a timezone-aware datetime")
    return moment.astimezone(timezone).date()


def ticket_number(letter: str, sequence: int) -> str:
    """``P`` and 12 give ``P012``; sequences past 999 simply grow a digit (``P1000``)."""
    if sequence < 1:
        raise ValueError("ticket sequences start at 1")
    return f"{letter}{sequence:03d}"
