"""The Zaken API subset (ZGW Zaken 1.5.1): shapes, case numbers, filters, pagination, status rules."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.cases import NewZaak, create_zaak
from queue_ticketing.store.database import Database
from queue_ticketing.store.schema import zaak_rollen
from queue_ticketing.store.write_batch import write_alone
from tests.cases.conftest import RSIN, ClientMaker, Zgw, make_jwt

ZAAK_FIELDS = {"url", "uuid", "identificatie", "bronorganisatie", "omschrijving", "toelichting", "zaaktype",
               "registratiedatum", "verantwoordelijkeOrganisatie", "startdatum", "einddatum", "einddatumGepland",
               "uiterlijkeEinddatumAfdoening", "status", "resultaat"}


def _problem(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    return body  # type: ignore[no-any-return]


def test_a_new_case_has_the_zgw_fields_and_the_urls_of_its_zaaktype(zgw: Zgw) -> None:
    response = zgw.create_zaak()
    assert response.status_code == 201, response.text
    zaak = response.json()
    assert set(zaak) == ZAAK_FIELDS
    assert zaak["url"].endswith(f"/zaken/api/v1/zaken/{zaak['uuid']}")
    assert zaak["zaaktype"] == zgw.zaaktype_url("achterstallig_woningonderhoud")
    assert zaak["registratiedatum"] == "2026-11-30"
    assert zaak["uiterlijkeEinddatumAfdoening"] == "2027-01-25"  # startdatum + doorlooptijd P8W
    assert zaak["status"] is None and zaak["einddatum"] is None
    assert zgw.get(f"/zaken/{zaak['uuid']}").json() == zaak


def test_case_numbers_are_generated_per_year_in_order(zgw: Zgw, clock: FixedClock) -> None:
    numbers = [zgw.create_zaak().json()["identificatie"] for _ in range(3)]
    assert numbers == ["ZAAK-2026-0000000001", "ZAAK-2026-0000000002", "ZAAK-2026-0000000003"]
    clock.now = clock.now.replace(year=2027, month=1, day=4)
    assert zgw.create_zaak().json()["identificatie"] == "ZAAK-2027-0000000001"


def test_case_numbers_stay_gapless_and_unique_when_cases_are_opened_at_once(db: Database, clock: FixedClock,
                                                                            catalogue) -> None:  # type: ignore[no-untyped-def]
    made: list[str] = []
    errors: list[BaseException] = []

    def open_cases() -> None:
        try:
            for _ in range(10):
                zaak = write_alone(db, clock, lambda uow: create_zaak(
                    uow, catalogue, NewZaak(RSIN, "publieksreactie", RSIN, date(2026, 11, 30))))
                made.append(zaak.identificatie)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=open_cases) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(made) == [f"ZAAK-2026-{n:010d}" for n in range(1, 61)]


def test_a_client_may_bring_its_own_case_number_but_not_one_of_the_generated_form(zgw: Zgw) -> None:
    assert zgw.create_zaak(identificatie="BWT-2026-17").json()["identificatie"] == "BWT-2026-17"
    body = _problem(zgw.create_zaak(identificatie="BWT-2026-17"), 400, "invalid")
    assert body["invalid_params"][0]["code"] == "identificatie-niet-uniek"
    body = _problem(zgw.create_zaak(identificatie="ZAAK-2026-0000000099"), 400, "invalid")
    assert body["invalid_params"][0] == {"name": "identificatie", "code": "identificatie-gereserveerd",
                                         "reason": body["invalid_params"][0]["reason"]}


def test_validation_errors_are_problems_with_invalid_params_per_field(zgw: Zgw) -> None:
    body = _problem(zgw.post("/zaken", {"bronorganisatie": RSIN, "zaaktype": zgw.zaaktype_url("publieksreactie")}),
                    400, "invalid")
    assert {p["name"] for p in body["invalid_params"]} == {"verantwoordelijkeOrganisatie", "startdatum"}
    body = _problem(zgw.create_zaak(bronorganisatie="123456789"), 400, "invalid")
    assert body["invalid_params"][0]["name"] == "bronorganisatie"
    elsewhere = {"bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN, "startdatum": "2026-11-30",
                 "zaaktype": "https://elders.example/catalogi/api/v1/zaaktypen/4c1ed7d3-0000-4000-8000-000000000000"}
    body = _problem(zgw.post("/zaken", elsewhere), 400, "invalid")
    assert body["invalid_params"][0]["name"] == "zaaktype"


def test_the_list_filters_on_identificatie_bronorganisatie_and_zaaktype(zgw: Zgw) -> None:
    first = zgw.create_zaak().json()
    second = zgw.create_zaak("publieksreactie").json()
    # Another organisation counts its own numbers: its first case is ZAAK-2026-0000000001 too.
    elsewhere = zgw.create_zaak(bronorganisatie="002564440", verantwoordelijkeOrganisatie="002564440").json()
    everything = zgw.get("/zaken").json()
    assert set(everything) == {"count", "next", "previous", "results"} and everything["count"] == 3
    by_number = zgw.get("/zaken", identificatie=second["identificatie"]).json()
    assert by_number["count"] == 1 and by_number["results"][0]["uuid"] == second["uuid"]
    assert zgw.get("/zaken", identificatie=first["identificatie"]).json()["count"] == 2
    assert [z["uuid"] for z in zgw.get("/zaken", identificatie=first["identificatie"],
                                       bronorganisatie="002564440").json()["results"]] == [elsewhere["uuid"]]
    reactions = zgw.get("/zaken", zaaktype=zgw.zaaktype_url("publieksreactie")).json()
    assert [z["zaaktype"] for z in reactions["results"]] == [zgw.zaaktype_url("publieksreactie")]


def test_the_list_comes_in_pages_of_a_hundred_with_next_and_previous_links(zgw: Zgw, db: Database,
                                                                          clock: FixedClock, catalogue) -> None:  # type: ignore[no-untyped-def]
    write_alone(db, clock, lambda uow: [create_zaak(uow, catalogue, NewZaak(RSIN, "publieksreactie", RSIN,
                                                                             date(2026, 11, 30)))
                                         for _ in range(101)])
    first = zgw.get("/zaken").json()
    assert first["count"] == 101 and len(first["results"]) == 100 and first["previous"] is None
    assert first["next"] == "https://gastvrij.test/zaken/api/v1/zaken?page=2"  # on the public address
    second = zgw.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None and second["previous"].endswith("page=1")
    assert second["results"][0]["identificatie"] == "ZAAK-2026-0000000101"
    _problem(zgw.get("/zaken", page=3), 404, "not_found")


def test_a_status_must_be_a_statustype_of_the_cases_own_zaaktype(zgw: Zgw) -> None:
    zaak = zgw.create_zaak().json()
    body = _problem(zgw.set_status(zaak["url"], zgw.statustype_url("publieksreactie", 1)), 400, "invalid")
    assert body["invalid_params"][0]["name"] == "statustype"
    assert body["invalid_params"][0]["code"] == "zaaktype-mismatch"


def test_statuses_are_listed_by_case_and_the_case_points_at_its_latest(zgw: Zgw, clock: FixedClock) -> None:
    zaak = zgw.create_zaak().json()
    other = zgw.create_zaak().json()
    first = zgw.set_status(zaak["url"], zgw.statustype_url("achterstallig_woningonderhoud", 1)).json()
    clock.advance(hours=2)
    second = zgw.set_status(zaak["url"], zgw.statustype_url("achterstallig_woningonderhoud", 2),
                            statustoelichting="Inspectie op 3 december").json()
    zgw.set_status(other["url"], zgw.statustype_url("achterstallig_woningonderhoud", 1))
    assert set(second) == {"url", "uuid", "zaak", "statustype", "datumStatusGezet", "statustoelichting",
                           "indicatieLaatstGezetteStatus"}
    listed = zgw.get("/statussen", zaak=zaak["url"]).json()
    assert [s["uuid"] for s in listed["results"]] == [first["uuid"], second["uuid"]]
    assert [s["indicatieLaatstGezetteStatus"] for s in listed["results"]] == [False, True]
    assert zgw.get(f"/zaken/{zaak['uuid']}").json()["status"] == second["url"]


def test_the_end_status_needs_a_resultaat_and_then_closes_the_case(zgw: Zgw) -> None:
    zaak = zgw.create_zaak().json()
    zgw.set_status(zaak["url"], zgw.statustype_url("achterstallig_woningonderhoud", 1))
    end = zgw.end_statustype_url("achterstallig_woningonderhoud")
    body = _problem(zgw.set_status(zaak["url"], end), 400, "invalid")
    assert body["invalid_params"][0]["code"] == "resultaat-does-not-exist"
    resultaat = zgw.post("/resultaten", {"zaak": zaak["url"],
                                         "resultaattype": zgw.resultaattype_url("achterstallig_woningonderhoud")})
    assert resultaat.status_code == 201, resultaat.text
    assert zgw.set_status(zaak["url"], end).status_code == 201
    closed = zgw.get(f"/zaken/{zaak['uuid']}").json()
    assert closed["einddatum"] == "2026-11-30"
    assert closed["resultaat"] == resultaat.json()["url"]


def _closed_case(zgw: Zgw) -> dict:  # type: ignore[type-arg]
    zaak = zgw.create_zaak().json()
    zgw.post("/resultaten", {"zaak": zaak["url"],
                             "resultaattype": zgw.resultaattype_url("achterstallig_woningonderhoud")})
    assert zgw.set_status(zaak["url"], zgw.end_statustype_url("achterstallig_woningonderhoud")).status_code == 201
    return zaak  # type: ignore[no-any-return]


def test_a_closed_case_changes_only_with_geforceerd_bijwerken(zgw: Zgw, zgw_client: ClientMaker) -> None:
    zaak = _closed_case(zgw)
    clerk = zgw_client("clerk", ["zaken.lezen", "zaken.bijwerken", "zaken.statussen.toevoegen"])
    _problem(clerk.set_status(zaak["url"], zgw.statustype_url("achterstallig_woningonderhoud", 2)), 403,
             "permission_denied")
    _problem(clerk.patch(zaak["url"], {"omschrijving": "Nieuw"}), 403, "permission_denied")
    _problem(clerk.add_initiator(zaak["url"], "achterstallig_woningonderhoud"), 403, "permission_denied")
    forced = zgw_client("beheer", ["zaken.lezen", "zaken.geforceerd-bijwerken"])
    reopened = forced.set_status(zaak["url"], zgw.statustype_url("achterstallig_woningonderhoud", 2))
    assert reopened.status_code == 201, reopened.text
    assert forced.get(f"/zaken/{zaak['uuid']}").json()["einddatum"] is None  # a later non-end status reopens it


def test_an_open_case_can_be_changed_with_zaken_bijwerken(zgw_client: ClientMaker) -> None:
    clerk = zgw_client("clerk", ["zaken.lezen", "zaken.aanmaken", "zaken.bijwerken"])
    zaak = clerk.create_zaak().json()
    changed = clerk.patch(zaak["url"], {"einddatumGepland": "2026-12-20", "omschrijving": "Schimmel"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["einddatumGepland"] == "2026-12-20" and changed.json()["omschrijving"] == "Schimmel"


def test_zaken_aanmaken_sets_the_first_status_only(zgw_client: ClientMaker) -> None:
    intake = zgw_client("intake", ["zaken.aanmaken"])
    zaak = intake.create_zaak().json()
    assert intake.set_status(zaak["url"], intake.statustype_url("achterstallig_woningonderhoud", 1)).status_code == 201
    _problem(intake.set_status(zaak["url"], intake.statustype_url("achterstallig_woningonderhoud", 2)), 403,
             "permission_denied")


def test_scopes_hold_per_zaaktype(zgw: Zgw, zgw_client: ClientMaker) -> None:
    housing = zgw.create_zaak().json()
    reaction = zgw.create_zaak("publieksreactie").json()
    reader = zgw_client("klachten", ["zaken.lezen", "zaken.aanmaken"], ["publieksreactie"])
    assert [z["uuid"] for z in reader.get("/zaken").json()["results"]] == [reaction["uuid"]]
    assert reader.get(f"/zaken/{reaction['uuid']}").status_code == 200
    _problem(reader.get(f"/zaken/{housing['uuid']}"), 403, "permission_denied")
    _problem(reader.create_zaak(), 403, "permission_denied")
    assert reader.create_zaak("publieksreactie").status_code == 201


def test_without_a_valid_jwt_nothing_is_shown(zgw: Zgw, clock: FixedClock) -> None:
    base = f"{zgw.api.base}/zaken/api/v1/zaken"
    _problem(zgw.api.session.get(base, timeout=10), 401, "not_authenticated")
    _problem(zgw.api.session.get(base, headers={"Authorization": "Bearer not-a-jwt"}, timeout=10), 401,
             "not_authenticated")
    forged = Zgw(zgw.api, zgw.client_id, clock, zgw.catalogue, secret="someone-elses-secret-of-32-characters")
    _problem(forged.get("/zaken"), 401, "not_authenticated")
    stranger = Zgw(zgw.api, "stranger", clock, zgw.catalogue)
    _problem(stranger.get("/zaken"), 401, "not_authenticated")
    an_hour_old = make_jwt(zgw.client_id, zgw.secret, clock().timestamp() - 3601)
    old = zgw.api.session.get(base, timeout=10, headers={"Authorization": f"Bearer {an_hour_old}"})
    _problem(old, 401, "not_authenticated")


def test_an_initiators_postcode_and_house_number_are_kept_hashed_and_shown_masked(zgw: Zgw, db: Database) -> None:
    zaak = zgw.create_zaak().json()
    created = zgw.add_initiator(zaak["url"], "achterstallig_woningonderhoud")
    assert created.status_code == 201, created.text
    text = created.text
    for secret in ("999993653", "Jansen", "Anna", "Herenwaard", "AK", '"aoaHuisnummer":16'):
        assert secret not in text
    assert created.json()["betrokkeneIdentificatie"] == {"verblijfsadres": {"aoaPostcode": "3078**",
                                                                            "aoaHuisnummer": None}}
    listed = zgw.get("/rollen", zaak=zaak["url"]).json()
    assert listed["count"] == 1 and listed["results"][0] == created.json()
    with db.read() as conn:
        row = conn.execute(zaak_rollen.select()).one()
    stored = " ".join(str(v) for v in row)
    assert "999993653" not in stored and "Jansen" not in stored and "3078AK" not in stored


@pytest.mark.parametrize("betrokkene", ["niet_natuurlijk_persoon", "vestiging"])
def test_this_subset_keeps_only_initiators_who_are_people(zgw: Zgw, betrokkene: str) -> None:
    zaak = zgw.create_zaak().json()
    response = zgw.post("/rollen", {"zaak": zaak["url"], "betrokkeneType": betrokkene, "roltoelichting": "x",
                                    "roltype": zgw.initiator_url("achterstallig_woningonderhoud")})
    assert _problem(response, 400, "invalid")["invalid_params"][0]["code"] == "not-supported"


def test_the_zaken_api_has_its_own_openapi_document(zgw: Zgw) -> None:
    document = zgw.api.session.get(f"{zgw.api.base}/zaken/api/v1/schema/openapi.json", timeout=10).json()
    assert {"/zaken", "/zaken/{zaak_uuid}", "/statussen", "/rollen", "/resultaten"} <= set(document["paths"])
