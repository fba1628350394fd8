"""zaaktypes.toml: the packaged case types load, and mistakes are named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from location_config import ConfigError
from location_config.zaaktypes import PACKAGED_ZAAKTYPES, duration_days, is_rsin, load_zaaktypes


def test_the_packaged_case_types_load_with_the_end_status_last() -> None:
    catalogue = load_zaaktypes()
    assert set(catalogue.zaaktypes) == {"achterstallig_woningonderhoud", "aanvraag_akte_uittreksel_verklaring",
                                        "publieksreactie"}
    for zaaktype in catalogue.zaaktypes.values():
        assert [s.is_eindstatus for s in zaaktype.statustypen] == [False] * (len(zaaktype.statustypen) - 1) + [True]
        assert zaaktype.initiator.omschrijving_generiek == "initiator"
        assert all(set(s.statustekst) == {"nl", "en", "tr", "pl", "ar"} for s in zaaktype.statustypen)


def test_durations_are_days_or_weeks() -> None:
    assert (duration_days("P42D"), duration_days("P6W"), duration_days("P1M"), duration_days("42")) == (
        42, 42, None, None)


def test_rsins_pass_the_elfproef() -> None:
    assert is_rsin("002220647") and not is_rsin("002220648") and not is_rsin("12345678")


def _broken(tmp_path: Path, old: str, new: str) -> list[str]:
    text = PACKAGED_ZAAKTYPES.read_text(encoding="utf-8")
    assert old in text
    file = tmp_path / "zaaktypes.toml"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_zaaktypes(file)
    return [str(p) for p in raised.value.problems]


def test_a_bad_duration_is_named_with_its_key_path(tmp_path: Path) -> None:
    problems = _broken(tmp_path, 'doorlooptijd = "P8W"', 'doorlooptijd = "8 weken"')
    assert problems == [f"{tmp_path / 'zaaktypes.toml'}: zaaktypes.achterstallig_woningonderhoud.doorlooptijd: "
                        "expected a duration in days or weeks such as 'P42D' or 'P6W', got '8 weken'"]


def test_a_typo_in_a_key_is_an_unknown_key_with_a_suggestion(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "volgnummer = 2", "volgnumer = 2")
    assert any("statustypen[1].volgnumer: unknown key; did you mean 'volgnummer'?" in p for p in problems)


def test_a_second_initiator_is_refused(tmp_path: Path) -> None:
    problems = _broken(tmp_path, 'omschrijvingGeneriek = "initiator"\n\n# --- Burgerzaken',
                       'omschrijvingGeneriek = "initiator"\n\n[[zaaktypes.achterstallig_woningonderhoud.roltypen]]\n'
                       'uuid = "5f653e34-be1d-4e55-b9db-bcb4a7c9c40a"\nomschrijving = "Tweede"\n'
                       'omschrijvingGeneriek = "initiator"\n\n# --- Burgerzaken')
    assert any("roltypen: exactly one roltype with omschrijvingGeneriek = 'initiator', found 2" in p for p in problems)


def test_a_missing_statustekst_language_and_a_bad_rsin_are_both_reported(tmp_path: Path) -> None:
    file = tmp_path / "zaaktypes.toml"
    text = PACKAGED_ZAAKTYPES.read_text(encoding="utf-8").replace('bronorganisatie = "002220647"',
                                                                   'bronorganisatie = "002220648"')
    file.write_text(text.replace(', ar = "لقد استلمنا بلاغك." }', " }", 1), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_zaaktypes(file)
    text_problems = [str(p) for p in raised.value.problems]
    assert any("bronorganisatie: '002220648' is not an RSIN" in p for p in text_problems)
    assert any("statustypen[0].statustekst" in p and "ar" in p for p in text_problems)
