"""Dates and times a request may carry: within the years 2000 to 2100.

Anything else is a typing error or an attack: year 1 or 9999 overflows when converted between
time zones or moved by a case's duration, and a case status dated 9999 would stay its latest for
ever. A date outside the range is refused with the validation error ``date_out_of_range``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, TypeVar

from pydantic import AfterValidator, AwareDatetime
from pydantic_core import PydanticCustomError

FIRST_YEAR = 2000
LAST_YEAR = 2100

D = TypeVar("D", date, datetime)


def within_range(value: D) -> D:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError("date_out_of_range", "Dates run from {first} to {last}.",
                                  {"first": FIRST_YEAR, "last": LAST_YEAR})
    return value


ServiceDate = Annotated[date, AfterValidator(within_range)]
ServiceDatetime = Annotated[datetime, AfterValidator(within_range)]
"""With or without a zone offset."""
AwareServiceDatetime = Annotated[AwareDatetime, AfterValidator(within_range)]
"""With a zone offset."""
