"""The Zaken API subset (ZGW Zaken 1.5.1): shapes, case numbers, filters, pagination, status rules."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.cases import NewZaak, create_zaak
from queue_ticketing.services.catalogi import CaseTypes
from queue_ticketing.store.database import Database
from queue_ticketing.store.schema import zaak_rollen
from queue_ticketing.store.write_batch import write_alone
from tests.cases.conftest import RSIN, ClientMaker, Zgw, make_jwt

ZAAK_FIELDS = {"url", "uuid", "identificatie", "bronorganisatie", "omschrijving", "toelichting", "zaaktype",
               "registratiedatum", "verantwoordelijkeOrganisatie", "startdatum", "einddatum", "einddatumGepland",
               "uiterlijkeEinddatumAfdoening", "publicatiedatum", "communicatiekanaal", "productenOfDiensten",
               "vertrouwelijkheidaanduiding", "betalingsindicatie", "betalingsindicatieWeergave", "laatsteBetaaldatum",
               "zaakgeometrie", "verlenging", "opschorting", "selectielijstklasse", "hoofdzaak", "deelzaken",
               "relevanteAndereZaken", "eigenschappen", "rollen", "status", "zaakinformatieobjecten", "zaakobjecten",
               "kenmerken", "archiefnominatie", "archiefstatus", "archiefactiedatum", "resultaat",
               "opdrachtgevendeOrganisatie", "processobjectaard", "startdatumBewaartermijn", "processobject"}
"""ZGW Zaken 1.5.1's 41 fields of a Zaak."""


def _problem(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    assert body["instance"].startswith("urn:uuid:") and body["title"] and body["detail"]
    return body  # type: ignore[no-any-return]


def test_a_new_case_has_the_zgw_fields_and_the_urls_of_its_zaaktype(zgw: Zgw) -> None:
    response = zgw.create_zaak()
    assert response.status_code == 201, response.text
    zaak = response.json()
    assert set(zaak) == ZAAK_FIELDS
    assert response.headers["Location"] == zaak["url"] and response.headers["API-version"] == "1.5.1"
    assert zaak["url"].endswith(f"/zaken/api/v1/zaken/{zaak['uuid']}")
    assert zaak["vertrouwelijkheidaanduiding"] == "zaakvertrouwelijk"  # the zaaktype's default
    assert zaak["archiefstatus"] == "nog_te_archiveren" and zaak["rollen"] == [] and zaak["deelzaken"] == []
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
                    uow, CaseTypes(catalogue), NewZaak(RSIN, "publieksreactie", RSIN, date(2026, 11, 30))))
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
    assert body["invalidParams"][0]["code"] == "identificatie-niet-uniek"
    body = _problem(zgw.create_zaak(identificatie="ZAAK-2026-0000000099"), 400, "invalid")
    assert body["invalidParams"][0] == {"name": "identificatie", "code": "identificatie-gereserveerd",
                                         "reason": body["invalidParams"][0]["reason"]}


def test_validation_errors_are_problems_with_invalid_params_per_field(zgw: Zgw) -> None:
    body = _problem(zgw.post("/zaken", {"bronorganisatie": RSIN, "zaaktype": zgw.zaaktype_url("publieksreactie")}),
                    400, "invalid")
    assert {(p["name"], p["code"]) for p in body["invalidParams"]} == {("verantwoordelijkeOrganisatie", "required"),
                                                                       ("startdatum", "required")}
    body = _problem(zgw.create_zaak(bronorganisatie="123456789"), 400, "invalid")
    assert body["invalidParams"][0]["name"] == "bronorganisatie"
    elsewhere = {"bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN, "startdatum": "2026-11-30",
                 "zaaktype": "https://elders.example/catalogi/api/v1/zaaktypen/4c1ed7d3-0000-4000-8000-000000000000"}
    body = _problem(zgw.post("/zaken", elsewhere), 400, "invalid")
    assert body["invalidParams"][0]["name"] == "zaaktype"


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
    def open_cases(uow):  # type: ignore[no-untyped-def]
        for _ in range(101):
            create_zaak(uow, CaseTypes(catalogue), NewZaak(RSIN, "publieksreactie", RSIN, date(2026, 11, 30)))

    write_alone(db, clock, open_cases)
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
    assert body["invalidParams"][0]["name"] == "nonFieldErrors"
    assert body["invalidParams"][0]["code"] == "zaaktype-mismatch"


def test_statuses_are_listed_by_case_and_the_case_points_at_its_latest(zgw: Zgw, clock: FixedClock) -> None:
    zaak = zgw.create_zaak().json()
    other = zgw.create_zaak().json()
    first = zgw.set_status(zaak["url"], zgw.statustype_url("achterstallig_woningonderhoud", 1)).json()
    clock.advance(hours=2)
    second = zgw.set_status(zaak["url"], zgw.statustype_url("achterstallig_woningonderhoud", 2),
                            statustoelichting="Inspectie op 3 december").json()
    zgw.set_status(other["url"], zgw.statustype_url("achterstallig_woningonderhoud", 1))
    assert set(second) == {"url", "uuid", "zaak", "statustype", "datumStatusGezet", "statustoelichting",
                           "indicatieLaatstGezetteStatus", "gezetdoor", "zaakinformatieobjecten"}
    listed = zgw.get("/statussen", zaak=zaak["url"]).json()
    assert [s["uuid"] for s in listed["results"]] == [first["uuid"], second["uuid"]]
    assert [s["indicatieLaatstGezetteStatus"] for s in listed["results"]] == [False, True]
    assert zgw.get(f"/zaken/{zaak['uuid']}").json()["status"] == second["url"]


def test_the_end_status_needs_a_resultaat_and_then_closes_the_case(zgw: Zgw) -> None:
    zaak = zgw.create_zaak().json()
    zgw.set_status(zaak["url"], zgw.statustype_url("achterstallig_woningonderhoud", 1))
    end = zgw.end_statustype_url("achterstallig_woningonderhoud")
    body = _problem(zgw.set_status(zaak["url"], end), 400, "invalid")
    assert body["invalidParams"][0]["code"] == "resultaat-does-not-exist"
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
             "permission_denied")  # reopening needs zaken.heropenen
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


def test_a_rol_is_kept_as_given_for_readers_and_its_address_is_also_kept_hashed_for_the_kiosk(
        zgw: Zgw, db: Database) -> None:
    zaak = zgw.create_zaak().json()
    created = zgw.add_initiator(zaak["url"], "achterstallig_woningonderhoud")
    assert created.status_code == 201, created.text
    identificatie = created.json()["betrokkeneIdentificatie"]
    assert identificatie["inpBsn"] == "999993653" and identificatie["verblijfsadres"]["aoaHuisnummer"] == 16
    listed = zgw.get("/rollen", zaak=zaak["url"]).json()
    assert listed["count"] == 1 and listed["results"][0] == created.json()
    with db.read() as conn:
        row = conn.execute(zaak_rollen.select()).one()
    assert row.address_hash and row.postcode_digits == "3078"  # the kiosk's look-up compares the hash


def test_a_client_that_may_not_read_the_case_sees_nothing_of_its_rollen(zgw: Zgw, zgw_client: ClientMaker) -> None:
    zaak = zgw.create_zaak().json()
    rol = zgw.add_initiator(zaak["url"], "achterstallig_woningonderhoud").json()
    other = zgw_client("klachten", ["zaken.lezen"], ["publieksreactie"])
    assert other.get("/rollen", zaak=zaak["url"]).json()["count"] == 0
    body = _problem(other.get(rol["url"]), 403, "permission_denied")
    assert "999993653" not in str(body)


def test_a_client_sees_no_case_above_its_max_vertrouwelijkheidaanduiding(zgw: Zgw, db: Database,
                                                                      clock: FixedClock, catalogue) -> None:  # type: ignore[no-untyped-def]
    from queue_ticketing.services.zgw_auth import put_client

    open_case = zgw.create_zaak(vertrouwelijkheidaanduiding="openbaar").json()
    secret_case = zgw.create_zaak(vertrouwelijkheidaanduiding="geheim").json()
    write_alone(db, clock, lambda uow: put_client(uow, "loket", zgw.secret, ["zaken.lezen", "zaken.aanmaken"], None,
                                                  list(catalogue.zaaktypes), max_vertrouwelijkheid="intern"))
    loket = Zgw(zgw.api, "loket", clock, zgw.catalogue)
    assert [z["uuid"] for z in loket.get("/zaken").json()["results"]] == [open_case["uuid"]]
    _problem(loket.get(f"/zaken/{secret_case['uuid']}"), 403, "permission_denied")
    _problem(loket.create_zaak(vertrouwelijkheidaanduiding="vertrouwelijk"), 403, "permission_denied")


def test_opening_a_closed_case_again_needs_zaken_heropenen(zgw: Zgw, zgw_client: ClientMaker) -> None:
    zaak = _closed_case(zgw)
    reopener = zgw_client("heropener", ["zaken.lezen", "zaken.heropenen"])
    response = reopener.set_status(zaak["url"], zgw.statustype_url("achterstallig_woningonderhoud", 2))
    assert response.status_code == 201, response.text
    reopened = reopener.get(f"/zaken/{zaak['uuid']}").json()
    assert reopened["einddatum"] is None and reopened["archiefnominatie"] is None


@pytest.mark.parametrize("kind,identificatie", [
    ("niet_natuurlijk_persoon", {"innNnpId": "123456789", "statutaireNaam": "Woonstichting"}),
    ("vestiging", {"vestigingsNummer": "000012345678", "handelsnaam": ["De Hoek"]}),
    ("organisatorische_eenheid", {"identificatie": "BWT", "naam": "Bouw- en Woningtoezicht"}),
    ("medewerker", {"identificatie": "m.devries", "achternaam": "De Vries"}),
])
def test_rollen_of_every_betrokkene_type_are_kept(zgw: Zgw, kind: str, identificatie: dict) -> None:  # type: ignore[type-arg]
    zaak = zgw.create_zaak().json()
    response = zgw.post("/rollen", {"zaak": zaak["url"], "betrokkeneType": kind, "roltoelichting": "x",
                                    "roltype": zgw.initiator_url("achterstallig_woningonderhoud"),
                                    "betrokkeneIdentificatie": identificatie})
    assert response.status_code == 201, response.text
    assert response.json()["betrokkeneIdentificatie"] == identificatie
    assert zgw.get("/rollen", betrokkeneType=kind).json()["count"] == 1


def test_a_case_is_deleted_with_its_statuses_result_and_roles(zgw: Zgw) -> None:
    zaak = _closed_case(zgw)
    rol = zgw.add_initiator(zaak["url"], "achterstallig_woningonderhoud").json()
    status_url = zgw.get(f"/zaken/{zaak['uuid']}").json()["status"]
    deleted = zgw.api.session.delete(zgw._url(zaak["url"]), headers=zgw.headers(), timeout=10)
    assert deleted.status_code == 204, deleted.text
    for url in (zaak["url"], status_url, rol["url"]):
        _problem(zgw.get(url), 404, "not_found")


def test_a_read_carries_an_etag_and_if_none_match_answers_304(zgw: Zgw) -> None:
    zaak = zgw.create_zaak().json()
    first = zgw.get(zaak["url"])
    headers = {**zgw.headers(), "If-None-Match": first.headers["ETag"]}
    again = zgw.api.session.get(zgw._url(zaak["url"]), headers=headers, timeout=10)
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]


def test_head_answers_with_the_headers_of_get_and_no_body(zgw: Zgw) -> None:
    zaak = _closed_case(zgw)
    read = zgw.get(zaak["url"]).json()
    rol = zgw.add_initiator(zaak["url"], "achterstallig_woningonderhoud").json()
    for url in (zaak["url"], read["status"], read["resultaat"], rol["url"]):
        got = zgw.get(url)
        head = zgw.api.session.head(zgw._url(url), headers=zgw.headers(), timeout=10)
        assert (head.status_code, head.content) == (200, b""), url
        assert (head.headers["ETag"], head.headers["API-version"]) == (got.headers["ETag"], got.headers["API-version"])
    gone = zgw.api.session.head(zgw._url(zaak["url"].replace(zaak["uuid"], "0" * 8 + zaak["uuid"][8:])),
                                headers=zgw.headers(), timeout=10)
    assert gone.status_code == 404


def test_zaken_without_accept_crs_are_refused_with_412(zgw: Zgw) -> None:
    headers = {k: v for k, v in zgw.headers().items() if k != "Accept-Crs"}
    response = zgw.api.session.get(f"{zgw.api.base}/zaken/api/v1/zaken", headers=headers, timeout=10)
    _problem(response, 412, "missing-crs-header")


def test_the_zaken_api_has_its_own_openapi_document(zgw: Zgw) -> None:
    document = zgw.api.session.get(f"{zgw.api.base}/zaken/api/v1/schema/openapi.json", timeout=10).json()
    assert {"/zaken", "/zaken/{zaak_uuid}", "/statussen", "/rollen", "/resultaten"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["JWT-Claims"]["scheme"] == "bearer"
    assert set(document["paths"]["/zaken/{zaak_uuid}"]) >= {"get", "put", "patch", "delete", "head"}
    assert "ValidatieFout" in document["components"]["schemas"]
    post_errors = document["paths"]["/zaken"]["post"]["responses"]
    assert post_errors["400"]["content"]["application/problem+json"]["schema"]["$ref"].endswith("ValidatieFout")
