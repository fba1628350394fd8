"""Fixtures for the location_config tests: a small valid config dir to break one thing at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from location_config import ConfigError, Location, Problem, Service, load_catalogue, load_location

VALID_CATALOGUE = """\
[services.paspoort]
letter = "P"
norm_minutes = 10
norm_share = 0.8
typical_service_minutes = 10
walk_in = true
appointment = true
names = { nl = "Paspoort", en = "Passport", tr = "Pasaport", pl = "Paszport", ar = "جواز السفر" }

[services.paspoort.bring]
nl = ["Uw oude paspoort", "Een pasfoto"]
en = ["Your old passport", "A passport photo"]
tr = ["Eski pasaportunuz", "Bir vesikalık fotoğraf"]
pl = ["Stary paszport", "Zdjęcie paszportowe"]
ar = ["جواز سفرك القديم", "صورة شخصية"]

[services.informatie]
letter = "N"
norm_minutes = 5
norm_share = 0.9
typical_service_minutes = 5
walk_in = true
appointment = false
names = { nl = "Informatie", en = "Information", tr = "Bilgi", pl = "Informacja", ar = "معلومات" }

[services.huwelijk]
letter = "H"
norm_minutes = 10
norm_share = 0.8
typical_service_minutes = 30
walk_in = false
appointment = true
names = { nl = "Huwelijk", en = "Marriage", tr = "Evlilik", pl = "Małżeństwo", ar = "الزواج" }
"""

VALID_LOCATION = """\
id = "testlocatie"
name = "Rotterdam Testlocatie"
address = "Teststraat 1, 3000 AA Rotterdam"
timezone = "Europe/Amsterdam"
languages = ["nl", "en"]
services = ["paspoort", "informatie"]

[opening_hours]
monday = ["08:30-12:30", "13:00-17:00"]
thursday = ["08:30-20:00"]

[opening_hours.exceptions]
"2026-12-24" = ["08:30-15:00"]
"2026-12-25" = []

[call_policy]
order = ["appointment_due", "priority", "service_order", "longest_wait"]
appointment_due_before_minutes = 5

[check_in]
early_minutes = 30
late_minutes = 15

[[desks]]
id = "balie-1"
number = 1
floor = 0
services = ["paspoort"]
position = { x = -2.0, y = 3.0 }
wayfinding = { nl = "Links in de hal.", en = "On the left of the hall." }

[[desks]]
id = "balie-2"
number = 2
floor = 0
services = ["informatie", "paspoort"]
position = { x = 2.0, y = 3.0 }
wayfinding = { nl = "Rechts in de hal.", en = "On the right of the hall." }

[[landmarks]]
id = "toilets"
position = { x = 0.0, y = 8.0 }
names = { nl = "Toiletten", en = "Toilets" }
wayfinding = { nl = "Achter in de hal.", en = "At the back of the hall." }

[[devices]]
id = "kiosk-1"
kind = "kiosk"
settings = { printer = "tcp://127.0.0.1:9100", paper_width_mm = 80 }
"""


def edited(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced, so a test cannot edit nothing by mistake."""
    assert text.count(old) == 1, f"expected exactly one {old!r} in the test configuration"
    return text.replace(old, new)


class ConfigFiles:
    """A config dir in a temporary directory: ``services.toml`` and ``locations/testlocatie.toml``."""

    catalogue_text = VALID_CATALOGUE
    location_text = VALID_LOCATION
    edited = staticmethod(edited)

    def __init__(self, root: Path) -> None:
        self.root = root
        self.catalogue_file = root / "services.toml"
        self.location_file = root / "locations" / "testlocatie.toml"
        self.location_file.parent.mkdir(parents=True)
        self.write_catalogue(VALID_CATALOGUE)
        self.write_location(VALID_LOCATION)

    def write_catalogue(self, text: str) -> Path:
        self.catalogue_file.write_text(text, encoding="utf-8")
        return self.catalogue_file

    def write_location(self, text: str, location_id: str = "testlocatie") -> Path:
        file = self.root / "locations" / f"{location_id}.toml"
        file.write_text(text, encoding="utf-8")
        return file

    def edited_catalogue(self, old: str, new: str) -> str:
        return edited(VALID_CATALOGUE, old, new)

    def edited_location(self, old: str, new: str) -> str:
        return edited(VALID_LOCATION, old, new)

    def catalogue(self) -> dict[str, Service]:
        return load_catalogue(self.catalogue_file)

    def location(self, text: str = VALID_LOCATION) -> Location:
        return load_location(self.write_location(text), config_dir=self.root)

    def catalogue_problems(self, text: str) -> list[Problem]:
        """The problems of a catalogue with this text; fails the test if it loads."""
        self.write_catalogue(text)
        with pytest.raises(ConfigError) as raised:
            load_catalogue(self.catalogue_file)
        return list(raised.value.problems)

    def location_problems(self, text: str) -> list[Problem]:
        """The problems of a location with this text; fails the test if it loads."""
        with pytest.raises(ConfigError) as raised:
            self.location(text)
        return list(raised.value.problems)


@pytest.fixture(autouse=True)
def _no_config_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own GASTVRIJ_CONFIG_DIR must not change what these tests load."""
    monkeypatch.delenv("GASTVRIJ_CONFIG_DIR", raising=False)


@pytest.fixture
def config(tmp_path: Path) -> Iterator[ConfigFiles]:
    yield ConfigFiles(tmp_path / "config")
