"""One location file (``locations/<id>.toml``), checked against the service catalogue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from location_config.appointment_calendar import read_appointment_calendar
from location_config.devices import read_devices
from location_config.hall import read_desks, read_landmarks
from location_config.model import Location, Service
from location_config.opening_hours import read_opening_hours
from location_config.queue_rules import read_call_policy, read_check_in
from location_config.toml_table import ProblemLog, Table, child_path, suggestion
from location_config.translations import unknown_language

FALLBACK_LANGUAGE = "nl"
"""Every location speaks Dutch: it is what names fall back to (:meth:`Service.name`)."""


def read_location(
    document: Mapping[str, object], log: ProblemLog, file_id: str, catalogue: Mapping[str, Service]
) -> Location | None:
    """The location in a parsed file named ``<file_id>.toml``; problems go to ``log``."""
    root = Table(document, "", log)
    location_id = root.identifier("id")
    if location_id is not None and location_id != file_id:
        root.problem("id", f"{location_id!r} does not match the file name {file_id + '.toml'!r}")
    name = root.text("name")
    address = root.text("address")
    timezone = _read_timezone(root)
    languages = _read_languages(root)
    opening_hours = read_opening_hours(root, "opening_hours")
    services = _read_offered_services(root, catalogue)
    offered = [service.id for service in services or ()]
    desks = read_desks(root, languages, catalogue, offered)
    landmarks = read_landmarks(root, languages, [desk.id for desk in desks])
    devices = read_devices(root)
    call_policy = read_call_policy(root)
    check_in = read_check_in(root)
    appointments = read_appointment_calendar(root, services or (), desks)
    notify_when_ahead = root.integer("notify_when_ahead", required=False, minimum=1)
    if notify_when_ahead is not None and notify_when_ahead > 20:
        root.problem("notify_when_ahead", f"must be 20 or less, got {notify_when_ahead}")
        notify_when_ahead = None
    root.finish()
    if services is not None:
        _check_every_service_has_a_desk(root, offered)
    if (
        location_id is None
        or name is None
        or address is None
        or timezone is None
        or opening_hours is None
        or services is None
    ):
        return None
    return Location(
        id=location_id,
        name=name,
        address=address,
        timezone=timezone,
        languages=languages,
        opening_hours=opening_hours,
        services=services,
        desks=desks,
        landmarks=landmarks,
        devices=devices,
        call_policy=replace(call_policy, norm_minutes={s.id: float(s.norm_minutes) for s in services}),
        check_in=check_in,
        appointments=appointments,
        notify_when_ahead=3 if notify_when_ahead is None else notify_when_ahead,
    )


def _read_timezone(root: Table) -> str | None:
    timezone = root.text("timezone")
    if timezone is None:
        return None
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        root.problem("timezone", f"unknown time zone {timezone!r}; use an IANA name like 'Europe/Amsterdam'")
        return None
    return timezone


def _read_languages(root: Table) -> tuple[str, ...]:
    """The languages every text at this location must exist in; only the valid ones are returned."""
    codes = root.text_list("languages")
    if codes is None:
        return ()
    languages: list[str] = []
    for index, code in enumerate(codes):
        path = child_path("languages", index)
        if code in languages:
            root.log.add(path, f"language {code!r} is listed twice")
        elif problem := unknown_language(code):
            root.log.add(path, problem)
        else:
            languages.append(code)
    if codes and FALLBACK_LANGUAGE not in codes:
        root.problem(
            "languages", f"must include {FALLBACK_LANGUAGE!r}, the language every text falls back to"
        )
    return tuple(languages)


def _read_offered_services(root: Table, catalogue: Mapping[str, Service]) -> tuple[Service, ...] | None:
    """The services offered here, resolved from the catalogue, in display order."""
    ids = root.text_list("services")
    if ids is None:
        return None
    if not ids:
        root.problem("services", "a location must offer at least one service")
        return None
    services: list[Service] = []
    for index, service_id in enumerate(ids):
        path = child_path("services", index)
        if service_id not in catalogue:
            hint = suggestion(service_id, catalogue)
            root.log.add(path, f"unknown service {service_id!r}; not in the catalogue{hint}")
        elif service_id in ids[:index]:
            root.log.add(path, f"service {service_id!r} is listed twice")
        else:
            services.append(catalogue[service_id])
    return tuple(services)


def _check_every_service_has_a_desk(root: Table, offered: Sequence[str]) -> None:
    """Reports each offered service (by its index in ``services``) that no desk lists."""
    # A service nobody serves leaves its tickets waiting forever, walk-in and appointment alike.
    desks = root.data.get("desks")
    if not isinstance(desks, list) or not desks:
        return  # already reported; one problem per service would only add noise
    # Read from the raw desks, so a desk with an unrelated mistake still counts as serving its services.
    served = {
        service_id
        for desk in desks
        if isinstance(desk, dict) and isinstance(desk.get("services"), list)
        for service_id in desk["services"]
        if isinstance(service_id, str)
    }
    listed = root.data.get("services")
    if not isinstance(listed, list):
        return
    for index, service_id in enumerate(listed):
        if service_id in offered and service_id not in listed[:index] and service_id not in served:
            root.log.add(
                child_path("services", index),
                f"service {service_id!r} is offered but no desk serves it; add it to a desk's services",
            )
