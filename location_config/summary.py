"""A location described in plain lines, for people checking what the configuration says."""

from __future__ import annotations

from location_config.model import Location, TimeRange

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def location_summary(location: Location) -> list[str]:
    """Name, address, hours, services, desks, landmarks, devices and queue rules, one fact a line."""
    lines = [
        f"{location.id}: {location.name}",
        f"  {location.address} | {location.timezone} | languages: {', '.join(location.languages)}",
        "opening hours:",
    ]
    hours = location.opening_hours
    lines += [f"  {day:<10} {_periods(hours.weekly.get(index, ()))}" for index, day in enumerate(_WEEKDAYS)]
    lines += [f"  {day.isoformat()} {_periods(periods)}" for day, periods in hours.exceptions.items()]
    lines.append("services:")
    for service in location.services:
        kinds = ", ".join(
            kind for kind, on in (("walk-in", service.walk_in), ("appointment", service.appointment)) if on
        )
        norm = f"{service.norm_share:.0%} within {service.norm_minutes} min"
        lines.append(f"  {service.letter} {service.id:<22} {service.name('nl'):<30} {kinds:<21} norm {norm}")
    lines.append("desks:")
    for desk in location.desks:
        lines.append(f"  {desk.number:>2} {desk.id:<10} floor {desk.floor}  {', '.join(desk.services)}")
    if location.landmarks:
        lines.append("landmarks:")
        lines += [f"  {mark.id:<14} floor {mark.floor}  {mark.names['nl']}" for mark in location.landmarks]
    if location.devices:
        lines.append("devices:")
        lines += [f"  {device.id:<14} {device.kind}" for device in location.devices]
    policy, check_in = location.call_policy, location.check_in
    lines.append(
        f"call order: {' > '.join(policy.order)} "
        f"(appointments due {policy.appointment_due_before_minutes} min before their slot)"
    )
    lines.append(f"next service of a visit queued by: {policy.next_service_queued_by.replace('_', ' ')}")
    lines.append(f"check-in: {check_in.early_minutes} min early to {check_in.late_minutes} min late")
    return lines


def _periods(periods: tuple[TimeRange, ...]) -> str:
    if not periods:
        return "closed"
    return ", ".join(f"{period.opens:%H:%M}-{period.closes:%H:%M}" for period in periods)
