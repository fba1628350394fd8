"""Location configuration for Gastvrij: one loader, read and validated by every part at start.

>>> from location_config import load_location
>>> load_location("ijsselmonde").desk("balie-1").number
1
"""

from location_config.errors import ConfigError, Problem
from location_config.loader import default_config_dir, load_all, load_catalogue, load_location
from location_config.model import (
    CALL_CRITERIA,
    DEVICE_KINDS,
    LANGUAGES,
    CallPolicy,
    CheckInWindow,
    Desk,
    Device,
    Landmark,
    Location,
    OpeningHours,
    Placement,
    Position,
    Service,
    TimeRange,
)

__all__ = [
    "CALL_CRITERIA",
    "DEVICE_KINDS",
    "LANGUAGES",
    "CallPolicy",
    "CheckInWindow",
    "ConfigError",
    "Desk",
    "Device",
    "Landmark",
    "Location",
    "OpeningHours",
    "Placement",
    "Position",
    "Problem",
    "Service",
    "TimeRange",
    "default_config_dir",
    "load_all",
    "load_catalogue",
    "load_location",
]
