"""``python -m location_config``: check exits 0 with one ok line per file, 1 with every problem."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from location_config.zaaktypes import PACKAGED_ZAAKTYPES

if TYPE_CHECKING:
    from conftest import ConfigFiles

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "GASTVRIJ_CONFIG_DIR"}
    environment["PYTHONPATH"] = str(PROJECT_ROOT)
    return subprocess.run(
        [sys.executable, "-m", "location_config", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**environment, **(env or {})},
        timeout=60,
        check=False,
    )


def test_check_without_files_passes_the_catalogue_and_every_packaged_location() -> None:
    result = run("check")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ok: services.toml (10 services)",
        "ok: zaaktypes.toml (3 case types)",
        "ok: centrum (10 desks, 10 services)",
        "ok: hoogvliet (4 desks, 8 services)",
        "ok: ijsselmonde (6 desks, 9 services)",
    ]
    assert result.stderr == ""


def test_check_of_a_broken_location_exits_1_and_prints_every_problem(config: ConfigFiles) -> None:
    broken = config.edited_location('"Europe/Amsterdam"', '"Europe/Amsterdm"').replace(
        "number = 2", "number = 1"
    )
    file = config.write_location(broken)

    result = run("check", "--config-dir", str(config.root), str(file))

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{file}: timezone: unknown time zone 'Europe/Amsterdm'; use an IANA name like 'Europe/Amsterdam'",
        f"{file}: desks[1].number: desk number 1 is already used by desks[0]",
        "2 problem(s) found",
    ]


def test_check_reports_good_files_as_ok_next_to_broken_ones(config: ConfigFiles) -> None:
    good = config.write_location(config.location_text)
    broken = config.edited_location('id = "testlocatie"', 'id = "kapot"').replace("number = 2", "number = 1")
    bad = config.write_location(broken, location_id="kapot")

    result = run("check", "--config-dir", str(config.root), str(good), str(bad))

    assert result.returncode == 1
    assert result.stdout.splitlines() == ["ok: testlocatie (2 desks, 2 services)"]
    assert result.stderr.splitlines() == [
        f"{bad}: desks[1].number: desk number 1 is already used by desks[0]",
        "1 problem(s) found",
    ]


def test_a_file_named_services_toml_is_checked_as_a_catalogue(config: ConfigFiles) -> None:
    config.write_catalogue(config.edited_catalogue('letter = "H"', 'letter = "P"'))

    result = run("check", str(config.catalogue_file))

    assert result.returncode == 1
    assert f"{config.catalogue_file}: services.huwelijk.letter: ticket letter 'P'" in result.stderr


def test_broken_case_types_in_the_config_dir_are_named_precisely_and_the_rest_is_still_checked(
        config: ConfigFiles) -> None:
    text = PACKAGED_ZAAKTYPES.read_text(encoding="utf-8")
    broken = config.edited(text, 'doorlooptijd = "P8W"', 'doorlooptijd = "8 weken"')
    broken = config.edited(broken, 'volgnummer = 2\nomschrijving = "Inspectie gepland"',
                           'volgnumer = 2\nomschrijving = "Inspectie gepland"')
    case_types = config.root / "zaaktypes.toml"
    case_types.write_text(broken, encoding="utf-8")

    result = run("check", "--config-dir", str(config.root))

    assert result.returncode == 1
    assert result.stdout.splitlines() == ["ok: services.toml (3 services)", "ok: testlocatie (2 desks, 2 services)"]
    problems = result.stderr.splitlines()
    assert f"{case_types}: zaaktypes.achterstallig_woningonderhoud.doorlooptijd: expected a duration in days or " \
           "weeks such as 'P42D' or 'P6W', got '8 weken'" in problems
    assert f"{case_types}: zaaktypes.achterstallig_woningonderhoud.statustypen[1].volgnumer: unknown key; did you " \
           "mean 'volgnummer'?" in problems
    assert problems[-1] == f"{len(problems) - 1} problem(s) found"


def test_a_file_named_zaaktypes_toml_is_checked_as_case_types(tmp_path: Path) -> None:
    good = tmp_path / "good" / "zaaktypes.toml"
    good.parent.mkdir()
    good.write_text(PACKAGED_ZAAKTYPES.read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "zaaktypes.toml"
    bad.write_text('catalogus = "ftp://catalogi.example"\nbronorganisatie = "002220647"\n[zaaktypes]\n',
                   encoding="utf-8")

    result = run("check", str(good), str(bad))

    assert result.returncode == 1
    assert result.stdout.splitlines() == ["ok: zaaktypes.toml (3 case types)"]
    assert result.stderr.splitlines() == [
        f"{bad}: catalogus: must be the base URL of a Catalogi API (https://...), got 'ftp://catalogi.example'",
        f"{bad}: zaaktypes: no case types; add [zaaktypes.<id>] tables",
        "2 problem(s) found",
    ]


def test_locations_are_not_checked_against_a_broken_catalogue(config: ConfigFiles) -> None:
    config.write_catalogue(config.edited_catalogue('letter = "H"', 'letter = "P"'))

    result = run("check", "--config-dir", str(config.root))

    assert result.returncode == 1
    assert result.stderr.count("ticket letter 'P' is already used") == 1
    assert "fix it first; not checked: testlocatie.toml" in result.stderr


def test_check_reads_the_config_dir_from_gastvrij_config_dir(config: ConfigFiles) -> None:
    result = run("check", env={"GASTVRIJ_CONFIG_DIR": str(config.root)})

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ok: services.toml (3 services)",
        "ok: zaaktypes.toml (3 case types, the packaged ones: the config dir has none)",
        "ok: testlocatie (2 desks, 2 services)",
    ]


def test_help_documents_both_commands_and_the_exit_status() -> None:
    result = run("--help")

    assert result.returncode == 0
    assert "check" in result.stdout
    assert "show" in result.stdout
    assert "1 when problems were found" in result.stdout


def test_check_help_explains_what_is_checked_without_files() -> None:
    result = run("check", "--help")

    assert result.returncode == 0
    assert "Without FILE: the catalogue, the case types (zaaktypes.toml; the packaged ones when the config dir " \
           "has none) and every location" in " ".join(result.stdout.split())


def test_show_prints_a_summary_of_a_location() -> None:
    result = run("show", "centrum")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "centrum: Rotterdam Centrum (Stadhuis)"
    assert "  thursday   08:30-20:00" in result.stdout
    assert "  H huwelijk" in result.stdout


def test_show_of_an_unknown_location_exits_1_and_names_the_known_ones() -> None:
    result = run("show", "delfshaven")

    assert result.returncode == 1
    assert "no location 'delfshaven'; known: centrum, hoogvliet, ijsselmonde" in result.stderr


def test_a_missing_command_is_a_usage_error() -> None:
    result = run()

    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_check_refuses_an_unknown_place_for_a_visit_s_next_service(config: ConfigFiles) -> None:
    file = config.write_location(config.edited_location(
        "appointment_due_before_minutes = 5\n", 'appointment_due_before_minutes = 5\nnext_service_queued_by = 3\n'))

    result = run("check", "--config-dir", str(config.root), str(file))

    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(f"{file}: call_policy.next_service_queued_by: ")
