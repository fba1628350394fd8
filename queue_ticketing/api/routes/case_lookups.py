"""The kiosk's case look-up: the status of my case, by case number, postcode and house number."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, field_validator

from ...domain.permissions import authorize
from ...services import case_lookups as use_cases
from ..dependencies import Caller, Ctx
from ..schemas import Language, Strict

router = APIRouter(tags=["cases"])


class CaseLookupIn(Strict):
    identificatie: str = Field(min_length=1, max_length=40, description="The case number, e.g. ZAAK-2026-0000000001")
    postcode: str = Field(pattern=r"^[1-9][0-9]{3}[A-Z]{2}$", description=(
        "Of the initiator's address, e.g. 3078 AK; spaces of any kind (also a tab, a no-break space or a "
        "line break) are left out and letters read as capitals before the look-up"))
    huisnummer: int = Field(ge=1, le=99999)
    language: Language = "nl"

    @field_validator("postcode", mode="before")
    @classmethod
    def _without_spaces(cls, value: object) -> object:
        # What a keypad, a paste or a screen reader adds: never a failed try of its own.
        return "".join(value.split()).upper() if isinstance(value, str) else value


class CaseStepOut(BaseModel):
    status: str = Field(description="What this status means for the visitor, in their language")
    date: date


class CaseLookupOut(BaseModel):
    identificatie: str
    case_type: str
    timeline: list[CaseStepOut]
    expected_end_date: date | None = Field(description="While the case is open")
    closed_on: date | None


@router.post("/case-lookups", response_model=CaseLookupOut, responses={
    401: {}, 403: {}, 404: {"description": "case_not_found: no such case, or another postcode or house number "
                                           "(one answer for both)"},
    422: {}, 429: {"description": "too_many_attempts: 5 failed tries per case number or per device in an hour"},
    503: {"description": "cases_unavailable: the city's zaaksysteem (the case store) does not answer now"}})
async def look_up_case_route(body: CaseLookupIn, request: Request, ctx: Ctx, caller: Caller) -> CaseLookupOut:
    """The status timeline and expected end date of a case, for the visitor at a kiosk or the robot.
    Never a name, address or BSN; nothing of what was typed is logged."""
    actor = authorize(caller, "case.lookup", None)
    case = await use_cases.look_up_case(ctx, request.app.state.case_types, actor.id, body.identificatie,
                                        body.postcode.replace(" ", "").upper(), body.huisnummer, body.language,
                                        request.app.state.zaaksysteem)
    return CaseLookupOut(identificatie=case.identificatie, case_type=case.zaaktype_name,
                         timeline=[CaseStepOut(status=s.statustekst, date=s.datum) for s in case.timeline],
                         expected_end_date=case.expected_end, closed_on=case.einddatum)
