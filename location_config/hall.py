"""What is in the hall: desks (balies) and landmarks, with wayfinding and a position to point at."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from location_config.model import Desk, Landmark, Position, Service
from location_config.toml_table import Table, child_path, suggestion
from location_config.translations import texts_per_language


def read_desks(
    root: Table, languages: Sequence[str], catalogue: Mapping[str, Service], offered: Sequence[str]
) -> tuple[Desk, ...]:
    """The ``[[desks]]``; each serves services that are in the catalogue and offered here."""
    tables = root.tables("desks")
    if root.data.get("desks") == []:
        root.problem("desks", "a location needs at least one desk")
    desks: list[Desk] = []
    first_with_id: dict[str, str] = {}
    first_with_number: dict[int, str] = {}
    for table in tables:
        desk_id = table.identifier("id")
        number = table.integer("number", minimum=1)
        floor = table.integer("floor")
        services = _read_desk_services(table, desk_id, catalogue, offered)
        wayfinding = texts_per_language(table, "wayfinding", languages)
        position = read_position(table, "position")
        table.finish()
        if desk_id is not None:
            table.report_duplicate("id", desk_id, first_with_id, "desk id")
        if number is not None:
            table.report_duplicate("number", number, first_with_number, "desk number")
        if (
            desk_id is None
            or number is None
            or floor is None
            or services is None
            or wayfinding is None
            or position is None
        ):
            continue
        desks.append(Desk(desk_id, number, services, floor, wayfinding, position))
    return tuple(desks)


def read_landmarks(root: Table, languages: Sequence[str], desk_ids: Sequence[str]) -> tuple[Landmark, ...]:
    """The ``[[landmarks]]`` (toilets, exit, waiting area, lift); ids differ from each other and desks."""
    landmarks: list[Landmark] = []
    first_with_id: dict[str, str] = {}
    for table in root.tables("landmarks", required=False):
        landmark_id = table.identifier("id")
        names = texts_per_language(table, "names", languages)
        wayfinding = texts_per_language(table, "wayfinding", languages)
        position = read_position(table, "position")
        floor = table.integer("floor", required=False)
        table.finish()
        if landmark_id is not None:
            if landmark_id in desk_ids:
                table.problem(
                    "id", f"{landmark_id!r} is already a desk id; the robot needs one name per place"
                )
            table.report_duplicate("id", landmark_id, first_with_id, "landmark id")
        if landmark_id is None or names is None or wayfinding is None or position is None:
            continue
        landmarks.append(Landmark(landmark_id, names, wayfinding, position, floor or 0))
    return tuple(landmarks)


def read_position(owner: Table, key: str) -> Position | None:
    """``{ x = 4.5, y = 2.0 }``: metres from the location's reference point."""
    table = owner.table(key)
    if table is None:
        return None
    x = table.number("x")
    y = table.number("y")
    table.finish()
    return None if x is None or y is None else Position(x, y)


def _read_desk_services(
    table: Table, desk_id: str | None, catalogue: Mapping[str, Service], offered: Sequence[str]
) -> tuple[str, ...] | None:
    services = table.text_list("services")
    if services is None:
        return None
    if not services:
        table.problem("services", "a desk must serve at least one service")
        return None
    desk = f"desk {desk_id!r}" if desk_id else "this desk"
    seen: set[str] = set()
    ok = True
    for index, service_id in enumerate(services):
        path = child_path(table.at("services"), index)
        if service_id not in catalogue:
            hint = suggestion(service_id, catalogue)
            table.log.add(path, f"unknown service {service_id!r} on {desk}; not in the catalogue{hint}")
            ok = False
        elif service_id not in offered:
            table.log.add(
                path,
                f"service {service_id!r} on {desk} is not offered at this location; "
                "add it to the top-level services list or remove it here",
            )
            ok = False
        elif service_id in seen:
            table.log.add(path, f"service {service_id!r} is listed twice on {desk}")
            ok = False
        seen.add(service_id)
    return tuple(services) if ok else None
