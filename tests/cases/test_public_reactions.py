"""Public reactions from the kiosk become cases of zaaktype publieksreactie."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from tests.cases.both_modes import case_store, settings, zaaksysteem, zgw_client  # noqa: F401 - fixtures
from tests.cases.conftest import Zgw
from tests.conftest import Api

REACTIONS = "/api/v1/locations/ijsselmonde/public-reactions"


@pytest.fixture
def kiosk(make_token: Callable[..., str]) -> str:
    return make_token("kiosk", name="kiosk-1")


def test_a_complaint_becomes_a_received_case_with_a_number_to_print(api: Api, kiosk: str, zgw: Zgw) -> None:
    response = api.post(REACTIONS, kiosk, {"type": "complaint", "text": "De lift is al weken kapot."},
                        key=str(uuid.uuid4()))
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["identificatie"] == "ZAAK-2026-0000000001"
    assert answer["case_type"] == "Klacht, melding of vraag" and answer["type"] == "complaint"
    assert answer["expected_end_date"] == "2026-12-21"  # servicenorm P3W
    zaak = zgw.get("/zaken", identificatie=answer["identificatie"]).json()["results"][0]
    assert zaak["zaaktype"] == zgw.zaaktype_url("publieksreactie")
    assert zaak["omschrijving"] == "Klacht via de kiosk, Rotterdam IJsselmonde"
    assert zaak["status"] is not None
    status = zgw.get(zaak["status"]).json()
    assert status["statustype"] == zgw.statustype_url("publieksreactie", 1)


def test_the_text_is_stored_exactly_as_typed(api: Api, kiosk: str, zgw: Zgw) -> None:
    text = "<b>Vraag</b> & \"quotes\" <script>alert(1)</script>\nTweede regel — ü ğ ل"
    answer = api.post(REACTIONS, kiosk, {"type": "question", "text": text}, key=str(uuid.uuid4())).json()
    zaak = zgw.get("/zaken", identificatie=answer["identificatie"]).json()["results"][0]
    assert zaak["toelichting"] == text


def test_the_same_idempotency_key_gives_the_same_case_once(api: Api, kiosk: str, zgw: Zgw) -> None:
    key = str(uuid.uuid4())
    body = {"type": "report", "text": "Losliggende stoeptegel bij de ingang."}
    first = api.post(REACTIONS, kiosk, body, key=key)
    again = api.post(REACTIONS, kiosk, body, key=key)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert zgw.get("/zaken").json()["count"] == 1


def test_an_email_address_is_kept_on_the_initiator_for_the_answer(api: Api, kiosk: str, zgw: Zgw) -> None:
    answer = api.post(REACTIONS, kiosk, {"type": "question", "text": "Wanneer is de markt?",
                                         "email": "bewoner@example.nl"}, key=str(uuid.uuid4())).json()
    zaak = zgw.get("/zaken", identificatie=answer["identificatie"]).json()["results"][0]
    rollen = zgw.get("/rollen", zaak=zaak["url"]).json()["results"]
    assert [r["contactpersoonRol"]["emailadres"] for r in rollen] == ["bewoner@example.nl"]
    assert "bewoner@example.nl" not in str(answer)


@pytest.mark.parametrize("body", [
    {"type": "complaint", "text": "x" * 1001},
    {"type": "complaint", "text": "   "},
    {"type": "compliment", "text": "Fijn geholpen"},
    {"type": "question", "text": "Vraag", "email": "geen-adres"},
], ids=["too long", "empty", "unknown type", "bad e-mail"])
def test_bad_reactions_are_refused_with_the_field_named(api: Api, kiosk: str, body: dict[str, object]) -> None:
    response = api.post(REACTIONS, kiosk, body, key=str(uuid.uuid4()))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert response.json()["invalid_params"][0]["name"] in ("type", "text", "email")


def test_a_thousand_characters_fit(api: Api, kiosk: str) -> None:
    response = api.post(REACTIONS, kiosk, {"type": "complaint", "text": "é" * 1000}, key=str(uuid.uuid4()))
    assert response.status_code == 201, response.text
