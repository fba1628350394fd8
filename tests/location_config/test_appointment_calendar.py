"""``[appointments]``: the calendar for booking on the spot, checked like the rest of a location."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

from location_config import Problem
from location_config.model import TimeRange

if TYPE_CHECKING:
    from conftest import ConfigFiles

CALENDAR = """
[appointments]
slot_minutes = 15
book_ahead_days = 21
lengths = { paspoort = 20 }

[[appointments.desks]]
desk = "balie-1"

[appointments.desks.hours]
monday = ["09:00-12:00"]
"""


def messages(problems: list[Problem]) -> list[str]:
    return [f"{problem.key_path}: {problem.message}" for problem in problems]


def with_calendar(config: ConfigFiles, calendar: str) -> str:
    return config.edited_location("late_minutes = 15\n", "late_minutes = 15\n" + calendar)


def test_a_calendar_is_read_with_its_desks_hours_and_lengths(config: ConfigFiles) -> None:
    calendar = config.location(with_calendar(config, CALENDAR)).appointments
    assert calendar is not None and calendar.books_locally
    assert (calendar.slot_minutes, calendar.book_ahead_days, calendar.lengths) == (15, 21, {"paspoort": 20})
    assert calendar.desks[0].desk == "balie-1"
    assert calendar.desks[0].hours.weekly[0] == (TimeRange(time(9), time(12)),)


def test_a_service_without_a_configured_length_takes_its_typical_time_rounded_up_to_the_grid(
        config: ConfigFiles) -> None:
    text = with_calendar(config, CALENDAR.replace("lengths = { paspoort = 20 }\n", ""))
    calendar = config.location(text).appointments
    typical = config.catalogue()["paspoort"].typical_service_minutes
    assert calendar is not None and calendar.lengths["paspoort"] >= typical
    assert calendar.lengths["paspoort"] % 15 == 0


def test_a_location_without_appointments_has_no_calendar(config: ConfigFiles) -> None:
    assert config.location().appointments is None


def test_booked_elsewhere_needs_an_https_address_and_no_desks(config: ConfigFiles) -> None:
    elsewhere = config.location(with_calendar(config, '\n[appointments]\nbooking_url = "https://example.nl/afspraak"\n'))
    assert elsewhere.appointments is not None and not elsewhere.appointments.books_locally
    text = with_calendar(config, '\n[appointments]\nbooking_url = "http://example.nl/afspraak"\n')
    assert messages(config.location_problems(text)) == [
        "appointments.booking_url: must be an https:// address, got 'http://example.nl/afspraak'"]


def test_an_unknown_desk_and_an_unknown_service_length_are_reported(config: ConfigFiles) -> None:
    text = with_calendar(config, CALENDAR.replace('desk = "balie-1"', 'desk = "balie-9"')
                         .replace("paspoort = 20", "paspoort = 20, informatie = 10"))
    problems = messages(config.location_problems(text))
    assert any(p.startswith("appointments.desks[0].desk: unknown desk 'balie-9' (known: balie-1, balie-2)")
               for p in problems)
    assert any("appointments.lengths.informatie: 'informatie' is not a service this location books" in p
               for p in problems)


def test_a_bookable_service_no_appointment_desk_offers_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location('services = ["paspoort", "informatie"]',
                                  'services = ["paspoort", "informatie", "huwelijk"]')
    text = text.replace("late_minutes = 15\n", "late_minutes = 15\n" + CALENDAR, 1)
    problems = messages(config.location_problems(text))
    assert "appointments: service 'huwelijk' takes appointments but no appointment desk offers it" in problems


def test_limits_outside_their_range_are_reported(config: ConfigFiles) -> None:
    text = with_calendar(config, CALENDAR.replace("slot_minutes = 15", "slot_minutes = 1"))
    assert messages(config.location_problems(text)) == ["appointments.slot_minutes: must be between 5 and 120, got 1"]
