"""Dates far outside the service's years (2000 to 2100) are a 400, never a 500 and never stored:
an appointment's start, a case's dates, a status's moment, a report's period, a check-in's time."""

from __future__ import annotations

import pytest

from location_config.zaaktypes import load_zaaktypes
from tests.conftest import Api

FAR = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]

CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
"""The Zaken API's coordinate system headers, which ZGW requires on every zaak request."""


def assert_out_of_range(response, code: str = "date_out_of_range") -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    if "invalidParams" in body:  # the Zaken API: ZGW's own validation code, with the reason
        assert any(p["code"] == "invalid" and "2000 to 2100" in p["reason"] for p in body["invalidParams"]), body
    else:
        assert any(p["code"] == "date_out_of_range" for p in body["invalid_params"]), body


@pytest.mark.parametrize("day", FAR)
def test_an_appointment_far_in_the_past_or_future_is_400(api: Api, make_token, day: str) -> None:
    response = api.post("/api/v1/appointments", make_token("integration"), {
        "location": "ijsselmonde", "service": "paspoort", "starts_at": f"{day}T10:00:00+01:00"}, key=f"a-{day}")
    assert_out_of_range(response)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_check_in_made_at_a_far_time_is_400(api: Api, make_token, day: str) -> None:
    response = api.post("/api/v1/locations/ijsselmonde/check-ins", make_token("kiosk"),
                        {"code": "ABCD12", "made_at": f"{day}T10:00:00+01:00"}, key=f"c-{day}")
    assert_out_of_range(response)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_report_over_far_days_is_400(api: Api, make_token, day: str) -> None:
    response = api.get(f"/api/v1/locations/ijsselmonde/reports/service-norms?from={day}&to={day}",
                       make_token("host"))
    assert_out_of_range(response)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_zaak_starting_on_a_far_day_is_400(api: Api, zgw_token: str, day: str) -> None:
    catalogue = load_zaaktypes()
    zaaktype = catalogue.zaaktypes["achterstallig_woningonderhoud"]
    response = api.post("/zaken/api/v1/zaken", None, {
        "bronorganisatie": "002220647", "zaaktype": catalogue.url("zaaktypen", zaaktype.uuid),
        "verantwoordelijkeOrganisatie": "002220647", "startdatum": day, "omschrijving": "Lekkage"},
        headers={"Authorization": f"Bearer {zgw_token}", **CRS})
    assert_out_of_range(response, code="invalid")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00", "9999-12-31T23:59:59"])
def test_a_status_set_at_a_far_moment_is_400_and_the_latest_status_stays(api: Api, zgw_token: str,
                                                                         moment: str) -> None:
    catalogue = load_zaaktypes()
    zaaktype = catalogue.zaaktypes["achterstallig_woningonderhoud"]
    auth = {"Authorization": f"Bearer {zgw_token}", **CRS}
    zaak = api.post("/zaken/api/v1/zaken", None, {
        "bronorganisatie": "002220647", "zaaktype": catalogue.url("zaaktypen", zaaktype.uuid),
        "verantwoordelijkeOrganisatie": "002220647", "startdatum": "2026-11-30", "omschrijving": "Lekkage"},
        headers=auth)
    assert zaak.status_code == 201, zaak.text
    response = api.post("/zaken/api/v1/statussen", None, {
        "zaak": zaak.json()["url"], "statustype": catalogue.url("statustypen", zaaktype.statustypen[0].uuid),
        "datumStatusGezet": moment}, headers=auth)
    assert_out_of_range(response, code="invalid")
    assert api.get(f"/zaken/api/v1/zaken/{zaak.json()['uuid']}", headers=auth).json()["status"] is None
