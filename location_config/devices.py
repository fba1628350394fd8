"""The devices installed at a location (kiosks, robot, displays), each with its own settings."""

from __future__ import annotations

from location_config.model import DEVICE_KINDS, Device
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
        table.finish()
        if device_id is not None:
            table.report_duplicate("id", device_id, first_with_id, "device id")
        if device_id is not None and kind is not None:
            devices.append(Device(device_id, kind, dict(settings.data) if settings else {}))
    return tuple(devices)
