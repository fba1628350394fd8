"""A broken service catalogue is refused with every problem named by file and key path."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from location_config import ConfigError, Problem, load_catalogue

if TYPE_CHECKING:
    from conftest import ConfigFiles


def messages(problems: list[Problem]) -> list[str]:
    return [f"{problem.key_path}: {problem.message}" for problem in problems]


def test_the_test_catalogue_is_valid(config: ConfigFiles) -> None:
    assert list(config.catalogue()) == ["paspoort", "informatie", "huwelijk"]


def test_a_duplicate_ticket_letter_names_the_service_that_has_it_first(config: ConfigFiles) -> None:
    problems = config.catalogue_problems(config.edited_catalogue('letter = "H"', 'letter = "P"'))

    assert messages(problems) == [
        "services.huwelijk.letter: ticket letter 'P' is already used by 'paspoort'; "
        "every service needs its own letter"
    ]
    assert problems[0].file == str(config.catalogue_file)


@pytest.mark.parametrize("letter", ["p", "PA", "1", "Ä", ""])
def test_a_ticket_letter_must_be_one_upper_case_letter_a_to_z(config: ConfigFiles, letter: str) -> None:
    problems = config.catalogue_problems(config.edited_catalogue('letter = "N"', f'letter = "{letter}"'))

    assert [problem.key_path for problem in problems] == ["services.informatie.letter"]


def test_a_service_name_missing_a_language_is_reported(config: ConfigFiles) -> None:
    text = config.edited_catalogue('tr = "Bilgi", ', "")

    assert messages(config.catalogue_problems(text)) == [
        "services.informatie.names: missing translation for tr (required: nl, en, tr, pl, ar)"
    ]


def test_an_unknown_language_code_is_reported_with_a_suggestion(config: ConfigFiles) -> None:
    text = config.edited_catalogue('ar = "الزواج"', 'ar = "الزواج", NL = "Huwelijk"')

    assert messages(config.catalogue_problems(text)) == [
        "services.huwelijk.names.NL: unknown language code 'NL' (known: nl, en, tr, pl, ar); "
        "did you mean 'nl'?"
    ]


def test_what_to_bring_must_list_as_many_things_in_every_language(config: ConfigFiles) -> None:
    text = config.edited_catalogue(
        'pl = ["Stary paszport", "Zdjęcie paszportowe"]', 'pl = ["Stary paszport"]'
    )

    [problem] = config.catalogue_problems(text)

    assert problem.key_path == "services.paspoort.bring"
    assert "counts differ (nl 2, en 2, tr 2, pl 1, ar 2)" in problem.message


def test_what_to_bring_may_be_left_out(config: ConfigFiles) -> None:
    assert config.catalogue()["informatie"].bring == {}


def test_a_misspelled_key_is_an_error_with_a_suggestion(config: ConfigFiles) -> None:
    text = config.edited_catalogue("norm_minutes = 5", "norm_minutes = 5\nnorm_minuts = 5")

    assert messages(config.catalogue_problems(text)) == [
        "services.informatie.norm_minuts: unknown key; did you mean 'norm_minutes'?"
    ]


def test_a_missing_field_is_reported(config: ConfigFiles) -> None:
    text = config.edited_catalogue("typical_service_minutes = 30\n", "")

    assert messages(config.catalogue_problems(text)) == [
        "services.huwelijk.typical_service_minutes: missing required key"
    ]


def test_a_number_written_as_text_is_a_type_error(config: ConfigFiles) -> None:
    text = config.edited_catalogue("norm_minutes = 5", 'norm_minutes = "5"')

    assert messages(config.catalogue_problems(text)) == [
        "services.informatie.norm_minutes: expected a whole number, got text ('5')"
    ]


def test_true_is_not_a_number(config: ConfigFiles) -> None:
    text = config.edited_catalogue("typical_service_minutes = 5", "typical_service_minutes = true")

    assert messages(config.catalogue_problems(text)) == [
        "services.informatie.typical_service_minutes: expected a number, got true/false (true)"
    ]


def test_the_norm_share_must_be_a_fraction_not_a_percentage(config: ConfigFiles) -> None:
    text = config.edited_catalogue("norm_share = 0.9", "norm_share = 90")

    [problem] = config.catalogue_problems(text)

    assert problem.key_path == "services.informatie.norm_share"
    assert "between 0 and 1" in problem.message


def test_a_service_neither_walk_in_nor_by_appointment_is_refused(config: ConfigFiles) -> None:
    text = config.edited_catalogue(
        "walk_in = false\nappointment = true", "walk_in = false\nappointment = false"
    )

    assert messages(config.catalogue_problems(text)) == [
        "services.huwelijk: walk_in and appointment are both false; visitors could never be served"
    ]


def test_a_service_id_must_be_a_lower_case_identifier(config: ConfigFiles) -> None:
    text = config.edited_catalogue("[services.huwelijk]", '[services."Huwelijk en partnerschap"]')

    [problem] = config.catalogue_problems(text)

    assert problem.key_path == 'services."Huwelijk en partnerschap"'


def test_an_empty_catalogue_is_refused(config: ConfigFiles) -> None:
    assert messages(config.catalogue_problems("[services]\n")) == [
        "services: the catalogue lists no services; add [services.<id>] tables"
    ]


def test_invalid_toml_is_reported_with_its_line(config: ConfigFiles) -> None:
    [problem] = config.catalogue_problems(config.edited_catalogue('letter = "N"', "letter = N"))

    assert problem.message.startswith("not valid TOML:")
    assert "line 18" in problem.message


def test_a_missing_catalogue_file_is_a_config_error(config: ConfigFiles) -> None:
    config.catalogue_file.unlink()

    with pytest.raises(ConfigError, match=r"services\.toml: file not found"):
        load_catalogue(config.catalogue_file)
