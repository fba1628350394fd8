"""The kiosk's case look-up: only the citizen-facing timeline, one answer for every miss, a rate limit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from queue_ticketing.domain.clock import FixedClock
from tests.cases.both_modes import case_store, settings, zaaksysteem, zgw_client  # noqa: F401 - fixtures
from tests.cases.conftest import Zgw
from tests.conftest import Api

LOOKUPS = "/api/v1/case-lookups"
HOUSING = "achterstallig_woningonderhoud"


@pytest.fixture
def kiosk(make_token: Callable[..., str]) -> str:
    return make_token("kiosk", name="kiosk-1")


def _case(zgw: Zgw, clock: FixedClock, postcode: str = "3078 AK", huisnummer: int = 16) -> dict:  # type: ignore[type-arg]
    """A housing case of a visitor at postcode/huisnummer, received today and inspected tomorrow."""
    zaak = zgw.create_zaak(toelichting="Schimmel bij mevrouw Jansen, BSN 999993653").json()
    assert zgw.add_initiator(zaak["url"], HOUSING, postcode, huisnummer).status_code == 201
    zgw.set_status(zaak["url"], zgw.statustype_url(HOUSING, 1), statustoelichting="Gebeld met mevrouw Jansen")
    clock.advance(days=1)
    zgw.set_status(zaak["url"], zgw.statustype_url(HOUSING, 2))
    return zaak  # type: ignore[no-any-return]


def _look_up(api: Api, token: str, identificatie: str, postcode: str = "3078 AK", huisnummer: int = 16,
             **extra: object) -> requests.Response:
    return api.post(LOOKUPS, token, {"identificatie": identificatie, "postcode": postcode,
                                     "huisnummer": huisnummer, **extra})


def test_a_visitor_sees_the_status_timeline_and_expected_end_date_only(api: Api, zgw: Zgw, clock: FixedClock,
                                                                        kiosk: str) -> None:
    zaak = _case(zgw, clock)
    response = _look_up(api, kiosk, zaak["identificatie"].lower(), postcode="3078ak")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "identificatie": zaak["identificatie"],
        "case_type": "Melding achterstallig onderhoud van een woning",
        "timeline": [{"status": "Wij hebben uw melding ontvangen.", "date": "2026-11-30"},
                     {"status": "Een inspecteur komt de woning bekijken.", "date": "2026-12-01"}],
        "expected_end_date": "2027-01-11",  # startdatum + servicenorm P6W
        "closed_on": None,
    }
    for private in ("Jansen", "999993653", "3078", "Gebeld"):
        assert private not in response.text


def test_the_timeline_speaks_the_visitors_language(api: Api, zgw: Zgw, clock: FixedClock, kiosk: str) -> None:
    zaak = _case(zgw, clock)
    answer = _look_up(api, kiosk, zaak["identificatie"], language="en").json()
    assert answer["case_type"] == "Report of overdue maintenance of a home"
    assert answer["timeline"][0]["status"] == "We have received your report."


def test_no_such_case_and_a_wrong_address_get_the_same_answer(api: Api, zgw: Zgw, clock: FixedClock,
                                                              kiosk: str) -> None:
    zaak = _case(zgw, clock)
    misses = [_look_up(api, kiosk, "ZAAK-2026-0000009999"), _look_up(api, kiosk, zaak["identificatie"], "3011 AA"),
              _look_up(api, kiosk, zaak["identificatie"], huisnummer=18)]
    assert {r.status_code for r in misses} == {404}
    assert len({r.text for r in misses}) == 1
    assert misses[0].json()["code"] == "case_not_found"
    assert "ask a host" in misses[0].json()["detail"]


def test_after_five_wrong_tries_for_a_case_even_the_right_address_is_asked_to_see_a_host(
        api: Api, zgw: Zgw, clock: FixedClock, make_token: Callable[..., str]) -> None:
    zaak = _case(zgw, clock)
    for kiosk_number in range(5):  # from different kiosks: the limit is per case too
        token = make_token("kiosk", name=f"kiosk-{kiosk_number}")
        assert _look_up(api, token, zaak["identificatie"], huisnummer=99).status_code == 404
    refused = _look_up(api, make_token("kiosk", name="kiosk-9"), zaak["identificatie"])
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_attempts"
    assert "host" in refused.json()["detail"]
    clock.advance(hours=1, seconds=1)
    assert _look_up(api, make_token("kiosk", name="kiosk-10"), zaak["identificatie"]).status_code == 200


def test_after_five_wrong_tries_at_one_kiosk_it_asks_for_a_host_for_an_hour(api: Api, zgw: Zgw, clock: FixedClock,
                                                                            kiosk: str,
                                                                            make_token: Callable[..., str]) -> None:
    zaak = _case(zgw, clock)
    for number in range(5):  # five different made-up case numbers
        assert _look_up(api, kiosk, f"ZAAK-2026-00000001{number:02d}").status_code == 404
    assert _look_up(api, kiosk, zaak["identificatie"]).status_code == 429
    assert _look_up(api, make_token("kiosk", name="kiosk-2"), zaak["identificatie"]).status_code == 200
    clock.advance(minutes=61)
    assert _look_up(api, kiosk, zaak["identificatie"]).status_code == 200


def test_successful_look_ups_do_not_count_as_tries(api: Api, zgw: Zgw, clock: FixedClock, kiosk: str) -> None:
    zaak = _case(zgw, clock)
    for _ in range(7):
        assert _look_up(api, kiosk, zaak["identificatie"]).status_code == 200


def test_a_closed_case_shows_its_end_date_and_no_expected_one(api: Api, zgw: Zgw, clock: FixedClock,
                                                             kiosk: str) -> None:
    zaak = _case(zgw, clock)
    zgw.post("/resultaten", {"zaak": zaak["url"], "resultaattype": zgw.resultaattype_url(HOUSING)})
    zgw.set_status(zaak["url"], zgw.end_statustype_url(HOUSING))
    answer = _look_up(api, kiosk, zaak["identificatie"]).json()
    assert answer["closed_on"] == "2026-12-01" and answer["expected_end_date"] is None
    assert answer["timeline"][-1]["status"] == "Uw melding is afgehandeld."


def test_a_malformed_postcode_is_refused_before_it_counts(api: Api, kiosk: str) -> None:
    response = _look_up(api, kiosk, "ZAAK-2026-0000000001", postcode="<script>")
    assert response.status_code == 422
    assert "<script>" not in response.text


@pytest.mark.parametrize("postcode", ["3078\tAK", "3078\u00a0AK", "3078\nak", " 3078  AK\r\n", "3078\u2009AK"])
def test_a_postcode_with_a_tab_no_break_space_or_line_break_is_read_as_the_postcode(
        api: Api, zgw: Zgw, clock: FixedClock, kiosk: str, postcode: str) -> None:
    zaak = _case(zgw, clock)
    for _ in range(6):  # more than the failed tries allowed: none of these counts as one
        assert _look_up(api, kiosk, zaak["identificatie"], postcode=postcode).status_code == 200


def test_a_postcode_that_is_not_one_is_refused_before_it_counts_as_a_try(api: Api, zgw: Zgw, clock: FixedClock,
                                                                         kiosk: str) -> None:
    zaak = _case(zgw, clock)
    for _ in range(6):
        assert _look_up(api, kiosk, zaak["identificatie"], postcode="3078-AK").status_code == 422
    assert _look_up(api, kiosk, zaak["identificatie"]).status_code == 200
