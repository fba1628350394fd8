"""A location's public configuration as JSON data: what ``GET /api/v1/locations/{id}`` answers (the
DESIGN.md contract), and what a kiosk shows from its own copy of the configuration while it cannot
reach the central service."""

from __future__ import annotations

from typing import Any

from .model import Location


def public_view(location: Location) -> dict[str, Any]:
    """The public configuration of a location (DESIGN.md contract)."""
    hours = location.opening_hours
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return {
        "id": location.id,
        "name": location.name,
        "address": location.address,
        "timezone": location.timezone,
        "languages": list(location.languages),
        "opening_hours": {
            "weekly": {days[d]: [{"opens": r.opens.strftime("%H:%M"), "closes": r.closes.strftime("%H:%M")}
                                 for r in hours.weekly.get(d, ())] for d in range(7)},
            "exceptions": {day.isoformat(): [{"opens": r.opens.strftime("%H:%M"),
                                              "closes": r.closes.strftime("%H:%M")} for r in ranges]
                           for day, ranges in sorted(hours.exceptions.items())},
        },
        "services": [
            {"id": s.id, "letter": s.letter, "names": dict(s.names), "walk_in": s.walk_in,
             "appointment": s.appointment, "norm_minutes": s.norm_minutes, "norm_share": s.norm_share,
             "typical_service_minutes": s.typical_service_minutes,
             "bring": {lang: list(items) for lang, items in s.bring.items()}}
            for s in location.services
        ],
        "desks": [
            {"id": d.id, "number": d.number, "services": list(d.services), "floor": d.floor,
             "wayfinding": dict(d.wayfinding), "position": {"x": d.position.x, "y": d.position.y}}
            for d in location.desks
        ],
        "landmarks": [
            {"id": m.id, "names": dict(m.names), "wayfinding": dict(m.wayfinding), "floor": m.floor,
             "position": {"x": m.position.x, "y": m.position.y}}
            for m in location.landmarks
        ],
        "check_in": {"early_minutes": location.check_in.early_minutes,
                     "late_minutes": location.check_in.late_minutes},
        "appointments": _booking(location),
    }


def _booking(location: Location) -> dict[str, Any] | None:
    """How visitors book an appointment here: on the spot (``books_here``, with the services that
    can be booked), or on the city's website (``booking_url``); None when the location takes none."""
    calendar = location.appointments
    if calendar is None:
        return None
    return {
        "books_here": calendar.books_locally,
        "booking_url": calendar.booking_url,
        "services": [s.id for s in location.services if s.id in calendar.lengths] if calendar.books_locally else [],
        "book_ahead_days": calendar.book_ahead_days,
        "max_per_booking": calendar.max_per_booking,
    }
