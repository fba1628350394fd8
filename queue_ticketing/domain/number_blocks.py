"""Blocks of ticket numbers leased to a kiosk in advance, so it can keep issuing while offline.

A block is a run of sequences (``first``..``last``) of one letter on one business day at one
location, taken from the same daily counter as online numbers: leasing a block advances that counter
past the block, so an offline number can never be given to an online ticket. Numbers of a block that
the kiosk never uses are simply skipped in that day's numbering.

An offline ticket is accepted only with a number from a block of that kiosk, issued on the block's
business day, and only while that day lasts. It queues by its issue time (by now, should the
kiosk's clock run ahead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .errors import DomainError
from .numbering import business_day, ticket_number

MAX_BLOCK_SIZE = 200
"""Numbers per lease: a busy kiosk's hours offline, without making numbers grow a digit too soon."""
MAX_NUMBERS_PER_DAY = 1000
"""Numbers one device may lease per service and business day, all its blocks together."""
LEASE_DAYS_AHEAD = 1
"""A block can be leased for today or for tomorrow (leased the evening before: the link may be
down when the kiosk starts in the morning)."""

_NUMBER = re.compile(r"^([A-Z]{1,4})(\d{3,})$")


class BlockRefused(DomainError):
    """A lease or an offline ticket is refused; ``code`` says why."""

    def __init__(self, code: str, detail: str, status: int = 422, **extra: object) -> None:
        super().__init__(detail, **extra)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class NumberBlock:
    id: str
    location: str
    service: str
    letter: str
    business_day: date
    first: int
    last: int
    device_id: str
    leased_at: datetime

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def contains(self, sequence: int) -> bool:
        return self.first <= sequence <= self.last

    @property
    def first_number(self) -> str:
        return ticket_number(self.letter, self.first)

    @property
    def last_number(self) -> str:
        return ticket_number(self.letter, self.last)


def lease_day(requested: date | None, now: datetime) -> date:
    """The business day a lease is for: today unless another day is asked for, which must be
    today or up to ``LEASE_DAYS_AHEAD`` days ahead (a past day can issue nothing any more)."""
    today = business_day(now)
    day = requested or today
    if not today <= day <= today + timedelta(days=LEASE_DAYS_AHEAD):
        raise BlockRefused("business_day_out_of_range",
                           f"Blocks can be leased for today ({today.isoformat()}) or the next "
                           f"{LEASE_DAYS_AHEAD} day(s), not for {day.isoformat()}.", today=today.isoformat())
    return day


def check_lease_size(size: int, already_leased: int) -> None:
    """Refuse a lease that would give the device more than its daily share of numbers."""
    if not 1 <= size <= MAX_BLOCK_SIZE:
        raise BlockRefused("invalid_block_size", f"A block has 1 to {MAX_BLOCK_SIZE} numbers, not {size}.")
    if already_leased + size > MAX_NUMBERS_PER_DAY:
        raise BlockRefused("block_limit_reached",
                           f"This device already leased {already_leased} numbers for this service and day; "
                           f"at most {MAX_NUMBERS_PER_DAY}.", status=409, leased=already_leased)


def sequence_of(number: str, letter: str) -> int | None:
    """The sequence of a printed number of this letter (``P012`` → 12), or None if it is not one."""
    match = _NUMBER.match(number)
    if match is None or match.group(1) != letter:
        return None
    sequence = int(match.group(2))
    if sequence < 1 or ticket_number(letter, sequence) != number:
        return None  # "P0012" is not how P012 is printed
    return sequence


def check_offline_ticket(block: NumberBlock, number: str, issued_at: datetime, now: datetime) -> tuple[int, datetime]:
    """The sequence of an offline ticket the kiosk issued from ``block``, and the time it queues
    from: its issue time, or now when the kiosk's clock runs ahead (a ticket is never queued in the
    future, and a refusal would leave a visitor holding a ticket nobody calls). Refuses numbers
    outside the block, issue times off the block's day, and days that are over."""
    sequence = sequence_of(number, block.letter)
    if sequence is None or not block.contains(sequence):
        raise BlockRefused("number_outside_block",
                           f"{number} is not a number of this block ({block.first_number}–{block.last_number}).",
                           first=block.first_number, last=block.last_number)
    if business_day(issued_at) != block.business_day:
        raise BlockRefused("issued_outside_block_day",
                           f"The block is for {block.business_day.isoformat()}; the ticket was issued on "
                           f"{business_day(issued_at).isoformat()}.")
    if block.business_day < business_day(now):
        raise BlockRefused("business_day_over",
                           f"The business day {block.business_day.isoformat()} is over; the ticket can no longer "
                           "be queued.", status=409)
    queued_from = min(issued_at, now)
    if business_day(queued_from) != block.business_day:
        raise BlockRefused("business_day_not_started",
                           f"The business day {block.business_day.isoformat()} has not begun; check the kiosk's "
                           "clock.", status=409)
    return sequence, queued_from
