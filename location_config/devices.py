"""The devices installed at a location (kiosks, robot, displays), each with its own settings."""

from __future__ import annotations

from location_config.hall import read_position
from location_config.model import DEVICE_KINDS, Device, Placement
from location_config.toml_table import Table, suggestion


def read_devices(root: Table) -> tuple[Device, ...]:
    """The ``[[devices]]``; ``settings`` is free-form and belongs to the software of that kind."""
    devices: list[Device] = []
    first_with_id: dict[str, str] = {}
    for table in root.tables("devices", required=False):
        device_id = table.identifier("id")
        kind = table.text("kind")
        if kind is not None and kind not in DEVICE_KINDS:
            table.problem(
                "kind",
                f"unknown device kind {kind!r} (known: {', '.join(DEVICE_KINDS)})"
                + suggestion(kind, DEVICE_KINDS),
            )
            kind = None
        settings = table.table("settings", required=False)
        placement = _read_placement(table, kind)
        table.finish()
        if device_id is not None:
            table.report_duplicate("id", device_id, first_with_id, "device id")
        if device_id is not None and kind is not None:
            devices.append(Device(device_id, kind, dict(settings.data) if settings else {}, placement))
    return tuple(devices)


def _read_placement(device: Table, kind: str | None) -> Placement | None:
    """``[devices.placement]``: ``position = { x, y }`` (metres, the desks' frame) and ``heading``
    (degrees clockwise from "into the hall", 0 up to 360). A robot points with it; others have none."""
    if kind != "robot":
        if device.has("placement"):
            device.problem("placement", "only a robot has a placement (it points at desks from there)")
        return None
    table = device.table("placement")
    if table is None:
        return None
    position = read_position(table, "position")
    heading = table.number("heading")
    table.finish()
    if heading is not None and not 0 <= heading < 360:
        table.problem("heading", f"degrees clockwise from 'into the hall', from 0 up to 360; got {heading:g}")
        return None
    return None if position is None or heading is None else Placement(position, heading)
