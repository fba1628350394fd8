"""Request and response bodies of the Zaken API subset, with ZGW Zaken 1.5.1's field names.

Fields a ZGW client may send that this subset does not keep are ignored, as ZGW ignores read-only
fields; each model's docstring says what is kept."""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..dates import ServiceDate, ServiceDatetime

T = TypeVar("T")


class ZgwIn(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ZaakIn(ZgwIn):
    """Kept: identificatie (generated when left out), bronorganisatie, zaaktype, omschrijving, toelichting,
    registratiedatum (default today), verantwoordelijkeOrganisatie, startdatum, einddatumGepland,
    uiterlijkeEinddatumAfdoening (default startdatum + the zaaktype's doorlooptijd)."""

    identificatie: str | None = Field(default=None, max_length=40, pattern=r"^[A-Za-z0-9_\-.]+$")
    bronorganisatie: str = Field(min_length=9, max_length=9)
    zaaktype: str = Field(min_length=1, max_length=1000)
    omschrijving: str = Field(default="", max_length=80)
    toelichting: str = Field(default="", max_length=1000)
    registratiedatum: ServiceDate | None = None
    verantwoordelijkeOrganisatie: str = Field(min_length=9, max_length=9)
    startdatum: ServiceDate
    einddatumGepland: ServiceDate | None = None
    uiterlijkeEinddatumAfdoening: ServiceDate | None = None


class ZaakPatch(ZgwIn):
    omschrijving: str | None = Field(default=None, max_length=80)
    toelichting: str | None = Field(default=None, max_length=1000)
    einddatumGepland: ServiceDate | None = None
    uiterlijkeEinddatumAfdoening: ServiceDate | None = None


class ZaakOut(BaseModel):
    url: str
    uuid: str
    identificatie: str
    bronorganisatie: str
    omschrijving: str
    toelichting: str
    zaaktype: str
    registratiedatum: date
    verantwoordelijkeOrganisatie: str
    startdatum: date
    einddatum: date | None
    einddatumGepland: date | None
    uiterlijkeEinddatumAfdoening: date | None
    status: str | None
    resultaat: str | None


class StatusIn(ZgwIn):
    zaak: str = Field(min_length=1, max_length=1000)
    statustype: str = Field(min_length=1, max_length=1000)
    datumStatusGezet: ServiceDatetime = Field(description="Without a zone offset: Europe/Amsterdam time")
    statustoelichting: str = Field(default="", max_length=1000)


class StatusOut(BaseModel):
    url: str
    uuid: str
    zaak: str
    statustype: str
    datumStatusGezet: datetime
    statustoelichting: str
    indicatieLaatstGezetteStatus: bool


class ResultaatIn(ZgwIn):
    zaak: str = Field(min_length=1, max_length=1000)
    resultaattype: str = Field(min_length=1, max_length=1000)
    toelichting: str = Field(default="", max_length=1000)


class ResultaatOut(BaseModel):
    url: str
    uuid: str
    zaak: str
    resultaattype: str
    toelichting: str


class VerblijfsadresIn(ZgwIn):
    aoaPostcode: str | None = Field(default=None, max_length=7)
    aoaHuisnummer: int | None = Field(default=None, ge=0, le=99999)


class NatuurlijkPersoonIn(ZgwIn):
    """Only the address's postcode and house number are used (hashed, for the kiosk look-up); a BSN,
    names or the rest of an address are not stored."""

    verblijfsadres: VerblijfsadresIn | None = None


class ContactpersoonIn(ZgwIn):
    emailadres: str | None = Field(default=None, max_length=254)


class RolIn(ZgwIn):
    zaak: str = Field(min_length=1, max_length=1000)
    betrokkeneType: str = Field(min_length=1, max_length=32)
    roltype: str = Field(min_length=1, max_length=1000)
    roltoelichting: str = Field(default="", max_length=1000)
    betrokkeneIdentificatie: NatuurlijkPersoonIn | None = None
    contactpersoonRol: ContactpersoonIn | None = None


class VerblijfsadresOut(BaseModel):
    aoaPostcode: str | None = Field(description="Masked: the four digits only, e.g. 3078**")
    aoaHuisnummer: int | None = Field(description="Never shown: null")


class RolOut(BaseModel):
    url: str
    uuid: str
    zaak: str
    betrokkeneType: str
    roltype: str
    omschrijving: str
    omschrijvingGeneriek: str
    roltoelichting: str
    registratiedatum: datetime
    betrokkeneIdentificatie: dict[str, VerblijfsadresOut | None]
    contactpersoonRol: dict[str, str | None] | None


class Paginated(BaseModel, Generic[T]):
    count: int
    next: str | None
    previous: str | None
    results: list[T]
