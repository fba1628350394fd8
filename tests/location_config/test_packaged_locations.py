"""The configuration shipped in location_config/data loads and says what the sites need."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from location_config import (
    LANGUAGES,
    ConfigError,
    Desk,
    Landmark,
    default_config_dir,
    load_all,
    load_catalogue,
    load_location,
)

EXPECTED_SIZES = {"ijsselmonde": (6, 9), "hoogvliet": (4, 8), "centrum": (10, 10)}


def test_the_packaged_catalogue_has_every_service_with_its_ticket_letter() -> None:
    letters = {service_id: service.letter for service_id, service in load_catalogue().items()}

    assert letters == {
        "paspoort": "P",
        "identiteitskaart": "I",
        "rijbewijs": "R",
        "uittreksel_brp": "U",
        "verhuizing": "V",
        "geboorteaangifte": "G",
        "afhalen_reisdocument": "A",
        "melding_klacht": "M",
        "informatie": "N",
        "huwelijk": "H",
    }


def test_every_catalogue_service_is_named_in_all_five_languages() -> None:
    for service in load_catalogue().values():
        assert set(service.names) == set(LANGUAGES), service.id


def test_marriage_is_by_appointment_only() -> None:
    huwelijk = load_catalogue()["huwelijk"]

    assert (huwelijk.walk_in, huwelijk.appointment) == (False, True)


def test_what_to_bring_for_a_passport_is_listed_in_every_language() -> None:
    bring = load_catalogue()["paspoort"].bring

    assert set(bring) == set(LANGUAGES)
    assert any("pasfoto" in item for item in bring["nl"])


@pytest.mark.parametrize(("location_id", "sizes"), EXPECTED_SIZES.items())
def test_each_packaged_location_loads_with_its_desks_and_services(
    location_id: str, sizes: tuple[int, int]
) -> None:
    location = load_location(location_id)

    assert location.id == location_id
    assert (len(location.desks), len(location.services)) == sizes
    assert location.timezone == "Europe/Amsterdam"
    assert location.languages == LANGUAGES


def test_load_all_returns_every_packaged_location_by_id() -> None:
    assert sorted(load_all()) == sorted(EXPECTED_SIZES)


def test_a_locations_services_are_catalogue_services_in_the_locations_order() -> None:
    catalogue = load_catalogue()
    location = load_location("hoogvliet", catalogue=catalogue)

    assert [service.id for service in location.services][:3] == [
        "paspoort",
        "identiteitskaart",
        "afhalen_reisdocument",
    ]
    assert location.service("paspoort") == catalogue["paspoort"]


def test_only_ijsselmonde_has_the_pepper_robot() -> None:
    robots = {
        location.id: [device.id for device in location.devices if device.kind == "robot"]
        for location in load_all().values()
    }

    assert robots == {"centrum": [], "hoogvliet": [], "ijsselmonde": ["pepper-1"]}


def test_the_robot_knows_where_to_reach_naoqi() -> None:
    robot = next(device for device in load_location("ijsselmonde").devices if device.id == "pepper-1")

    assert robot.settings["qi_url"] == "tcp://127.0.0.1:9559"


def test_every_desk_and_landmark_gives_directions_in_all_five_languages() -> None:
    for location in load_all().values():
        places: list[Desk | Landmark] = [*location.desks, *location.landmarks]
        for place in places:
            assert set(place.wayfinding) == set(LANGUAGES), f"{location.id}: {place.id}"


def test_desk_numbers_follow_the_desk_ids() -> None:
    desk = load_location("centrum").desk("balie-10")

    assert desk is not None
    assert (desk.number, desk.floor) == (10, 1)


def test_the_packaged_config_dir_is_the_data_folder_of_the_package() -> None:
    assert default_config_dir() == Path(__file__).resolve().parents[2] / "location_config" / "data"


def test_gastvrij_config_dir_replaces_the_packaged_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(default_config_dir(), tmp_path / "config")
    (tmp_path / "config" / "locations" / "centrum.toml").unlink()
    monkeypatch.setenv("GASTVRIJ_CONFIG_DIR", str(tmp_path / "config"))

    assert default_config_dir() == tmp_path / "config"
    assert sorted(load_all()) == ["hoogvliet", "ijsselmonde"]


def test_a_location_can_be_loaded_by_file_path() -> None:
    location = load_location(default_config_dir() / "locations" / "hoogvliet.toml")

    assert location.name == "Rotterdam Hoogvliet"


def test_an_unknown_location_id_is_an_error_that_names_the_known_ones() -> None:
    with pytest.raises(ConfigError) as raised:
        load_location("delfshaven")

    assert "no location 'delfshaven'; known: centrum, hoogvliet, ijsselmonde" in str(raised.value)
