"""Request and response bodies of the Zaken API, with the field names and limits of ZGW Zaken 1.5.1
(``src/openapi.yaml`` of VNG-Realisatie/zaken-api at tag 1.5.1).

Read-only fields a client sends back (``url``, ``uuid``, ``status``, ...) are ignored, as ZGW ignores
them; names that are no field of the resource at all are ignored too (ZGW's own behaviour). Every
writable field of Zaak, Status, Resultaat and Rol is kept."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..dates import ServiceDate, ServiceDatetime

T = TypeVar("T")

Vertrouwelijkheid = Literal["openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk", "vertrouwelijk",
                            "confidentieel", "geheim", "zeer_geheim"]
Betalingsindicatie = Literal["", "nvt", "nog_niet", "gedeeltelijk", "geheel"]
Archiefnominatie = Literal["", "blijvend_bewaren", "vernietigen"]
Archiefstatus = Literal["nog_te_archiveren", "gearchiveerd", "gearchiveerd_procestermijn_onbekend", "overgedragen"]
BetrokkeneType = Literal["natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging", "organisatorische_eenheid",
                         "medewerker"]
Url = str
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                  "GeometryCollection")


class ZgwIn(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Opschorting(ZgwIn):
    indicatie: bool
    reden: str = Field(max_length=200)


class Verlenging(ZgwIn):
    reden: str = Field(max_length=200)
    duur: str = Field(pattern=r"^-?P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$",
                      min_length=2, max_length=40, description="ISO 8601 duration, e.g. P5D")


class ZaakKenmerk(ZgwIn):
    kenmerk: str = Field(max_length=40)
    bron: str = Field(max_length=40)


class RelevanteZaak(ZgwIn):
    url: Url = Field(min_length=1, max_length=1000)
    aardRelatie: Literal["vervolg", "onderwerp", "bijdrage"]


class Processobject(ZgwIn):
    datumkenmerk: str = Field(max_length=250)
    identificatie: str = Field(max_length=250)
    objecttype: str = Field(max_length=250)
    registratie: str = Field(max_length=250)


class Geometry(BaseModel):
    """GeoJSON geometry in EPSG:4326 (WGS84), as ZGW's GeoJSONGeometry."""

    model_config = ConfigDict(extra="allow")
    type: Literal["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                  "GeometryCollection"]
    coordinates: list[Any] | None = None
    geometries: list[dict[str, Any]] | None = None


class ZaakFields(ZgwIn):
    """The writable fields of a Zaak with their defaults."""

    identificatie: str = Field(default="", max_length=40)
    omschrijving: str = Field(default="", max_length=80)
    toelichting: str = Field(default="", max_length=1000)
    registratiedatum: ServiceDate | None = None
    einddatumGepland: ServiceDate | None = None
    uiterlijkeEinddatumAfdoening: ServiceDate | None = None
    publicatiedatum: ServiceDate | None = None
    communicatiekanaal: str = Field(default="", max_length=1000)
    productenOfDiensten: list[Url] = Field(default_factory=list)
    vertrouwelijkheidaanduiding: Vertrouwelijkheid | None = None
    betalingsindicatie: Betalingsindicatie = ""
    laatsteBetaaldatum: ServiceDatetime | None = None
    zaakgeometrie: Geometry | None = None
    verlenging: Verlenging | None = None
    opschorting: Opschorting | None = None
    selectielijstklasse: str = Field(default="", max_length=1000)
    hoofdzaak: Url | None = Field(default=None, max_length=1000)
    relevanteAndereZaken: list[RelevanteZaak] = Field(default_factory=list)
    kenmerken: list[ZaakKenmerk] = Field(default_factory=list)
    archiefnominatie: Archiefnominatie | None = None
    archiefstatus: Archiefstatus = "nog_te_archiveren"
    archiefactiedatum: ServiceDate | None = None
    opdrachtgevendeOrganisatie: str = Field(default="", max_length=9)
    processobjectaard: str | None = Field(default=None, max_length=200)
    startdatumBewaartermijn: ServiceDate | None = None
    processobject: Processobject | None = None


class ZaakIn(ZaakFields):
    """A new case (POST) or all of one (PUT). ``identificatie`` is generated when left empty."""

    bronorganisatie: str = Field(min_length=9, max_length=9)
    zaaktype: Url = Field(min_length=1, max_length=1000)
    verantwoordelijkeOrganisatie: str = Field(min_length=9, max_length=9)
    startdatum: ServiceDate


class ZaakPatch(ZgwIn):
    """Some fields of a case (PATCH): only the ones given change."""

    identificatie: str | None = Field(default=None, max_length=40)
    bronorganisatie: str | None = Field(default=None, min_length=9, max_length=9)
    zaaktype: Url | None = Field(default=None, max_length=1000)
    verantwoordelijkeOrganisatie: str | None = Field(default=None, min_length=9, max_length=9)
    startdatum: date | None = None
    omschrijving: str | None = Field(default=None, max_length=80)
    toelichting: str | None = Field(default=None, max_length=1000)
    registratiedatum: ServiceDate | None = None
    einddatumGepland: ServiceDate | None = None
    uiterlijkeEinddatumAfdoening: ServiceDate | None = None
    publicatiedatum: ServiceDate | None = None
    communicatiekanaal: str | None = Field(default=None, max_length=1000)
    productenOfDiensten: list[Url] | None = None
    vertrouwelijkheidaanduiding: Vertrouwelijkheid | None = None
    betalingsindicatie: Betalingsindicatie | None = None
    laatsteBetaaldatum: ServiceDatetime | None = None
    zaakgeometrie: Geometry | None = None
    verlenging: Verlenging | None = None
    opschorting: Opschorting | None = None
    selectielijstklasse: str | None = Field(default=None, max_length=1000)
    hoofdzaak: Url | None = Field(default=None, max_length=1000)
    relevanteAndereZaken: list[RelevanteZaak] | None = None
    kenmerken: list[ZaakKenmerk] | None = None
    archiefnominatie: Archiefnominatie | None = None
    archiefstatus: Archiefstatus | None = None
    archiefactiedatum: ServiceDate | None = None
    opdrachtgevendeOrganisatie: str | None = Field(default=None, max_length=9)
    processobjectaard: str | None = Field(default=None, max_length=200)
    startdatumBewaartermijn: ServiceDate | None = None
    processobject: Processobject | None = None


class ZaakOut(BaseModel):
    """A Zaak with ZGW's 41 fields; sub-resources this service does not hold are empty lists."""

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
    publicatiedatum: date | None
    communicatiekanaal: str
    productenOfDiensten: list[str]
    vertrouwelijkheidaanduiding: str
    betalingsindicatie: str
    betalingsindicatieWeergave: str
    laatsteBetaaldatum: datetime | None
    zaakgeometrie: dict[str, Any] | None
    verlenging: dict[str, Any] | None
    opschorting: dict[str, Any] | None
    selectielijstklasse: str
    hoofdzaak: str | None
    deelzaken: list[str]
    relevanteAndereZaken: list[dict[str, Any]]
    eigenschappen: list[str]
    rollen: list[str]
    status: str | None
    zaakinformatieobjecten: list[str]
    zaakobjecten: list[str]
    kenmerken: list[dict[str, Any]]
    archiefnominatie: str | None
    archiefstatus: str
    archiefactiedatum: date | None
    resultaat: str | None
    opdrachtgevendeOrganisatie: str
    processobjectaard: str | None
    startdatumBewaartermijn: date | None
    processobject: dict[str, Any] | None
    expand: dict[str, Any] | None = Field(default=None, alias="_expand",
                                          description="Related resources asked for with ?expand=")

    model_config = ConfigDict(populate_by_name=True)


class StatusIn(ZgwIn):
    zaak: Url = Field(min_length=1, max_length=1000)
    statustype: Url = Field(min_length=1, max_length=1000)
    datumStatusGezet: ServiceDatetime = Field(description="Without a zone offset: Europe/Amsterdam time")
    statustoelichting: str = Field(default="", max_length=1000)
    gezetdoor: str = Field(default="", max_length=200)


class StatusOut(BaseModel):
    url: str
    uuid: str
    zaak: str
    statustype: str
    datumStatusGezet: datetime
    statustoelichting: str
    indicatieLaatstGezetteStatus: bool
    gezetdoor: str
    zaakinformatieobjecten: list[str]


class ResultaatIn(ZgwIn):
    zaak: Url = Field(min_length=1, max_length=1000)
    resultaattype: Url = Field(min_length=1, max_length=1000)
    toelichting: str = Field(default="", max_length=1000)


class ResultaatPatch(ZgwIn):
    zaak: Url | None = Field(default=None, max_length=1000)
    resultaattype: Url | None = Field(default=None, max_length=1000)
    toelichting: str | None = Field(default=None, max_length=1000)


class ResultaatOut(BaseModel):
    url: str
    uuid: str
    zaak: str
    resultaattype: str
    toelichting: str


class ContactpersoonRol(ZgwIn):
    emailadres: str = Field(default="", max_length=254)
    functie: str = Field(default="", max_length=50)
    telefoonnummer: str = Field(default="", max_length=20)
    naam: str = Field(max_length=40)

    @field_validator("emailadres")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and ("@" not in value or any(c.isspace() for c in value)):
            raise ValueError("not an e-mail address")
        return value


class RolIn(ZgwIn):
    """A party to a case. ``betrokkeneIdentificatie`` has the fields of its ``betrokkeneType``
    (``natuurlijk_persoon``: inpBsn, geslachtsnaam, verblijfsadres, ...)."""

    zaak: Url = Field(min_length=1, max_length=1000)
    betrokkene: str = Field(default="", max_length=1000)
    betrokkeneType: BetrokkeneType
    afwijkendeNaamBetrokkene: str = Field(default="", max_length=625)
    roltype: Url = Field(min_length=1, max_length=1000)
    roltoelichting: str = Field(default="", max_length=1000)
    indicatieMachtiging: Literal["", "gemachtigde", "machtiginggever"] = ""
    contactpersoonRol: ContactpersoonRol | None = None
    betrokkeneIdentificatie: dict[str, Any] | None = None


class RolOut(BaseModel):
    url: str
    uuid: str
    zaak: str
    betrokkene: str
    betrokkeneType: str
    afwijkendeNaamBetrokkene: str
    roltype: str
    omschrijving: str
    omschrijvingGeneriek: str
    roltoelichting: str
    registratiedatum: datetime
    indicatieMachtiging: str
    contactpersoonRol: dict[str, Any] | None
    statussen: list[str]
    betrokkeneIdentificatie: dict[str, Any] | None


class Paginated(BaseModel, Generic[T]):
    count: int
    next: str | None
    previous: str | None
    results: list[T]


class FieldValidationError(BaseModel):
    name: str
    code: str
    reason: str


class Fout(BaseModel):
    """ZGW's error body (``application/problem+json``)."""

    type: str
    code: str
    title: str
    status: int
    detail: str
    instance: str


class ValidatieFout(Fout):
    invalidParams: list[FieldValidationError]


class Verblijfsadres(ZgwIn):
    aoaIdentificatie: str = Field(default="", max_length=100)
    wplWoonplaatsNaam: str = Field(default="", max_length=80)
    gorOpenbareRuimteNaam: str = Field(default="", max_length=80)
    aoaPostcode: str = Field(default="", max_length=7)
    aoaHuisnummer: int | None = Field(default=None, ge=0, le=99999)
    aoaHuisletter: str = Field(default="", max_length=1)
    aoaHuisnummertoevoeging: str = Field(default="", max_length=4)
    inpLocatiebeschrijving: str = Field(default="", max_length=1000)


class SubVerblijfBuitenland(ZgwIn):
    lndLandcode: str = Field(max_length=4)
    lndLandnaam: str = Field(max_length=40)
    subAdresBuitenland_1: str = Field(default="", max_length=35)
    subAdresBuitenland_2: str = Field(default="", max_length=35)
    subAdresBuitenland_3: str = Field(default="", max_length=35)


class NatuurlijkPersoon(ZgwIn):
    inpBsn: str = Field(default="", max_length=9)
    anpIdentificatie: str = Field(default="", max_length=17)
    inpA_nummer: str = Field(default="", max_length=10)
    geslachtsnaam: str = Field(default="", max_length=200)
    voorvoegselGeslachtsnaam: str = Field(default="", max_length=80)
    voorletters: str = Field(default="", max_length=20)
    voornamen: str = Field(default="", max_length=200)
    geslachtsaanduiding: Literal["", "m", "v", "o"] = ""
    geboortedatum: str = Field(default="", max_length=18)
    verblijfsadres: Verblijfsadres | None = None
    subVerblijfBuitenland: SubVerblijfBuitenland | None = None


class NietNatuurlijkPersoon(ZgwIn):
    innNnpId: str = Field(default="", max_length=9)
    annIdentificatie: str = Field(default="", max_length=17)
    statutaireNaam: str = Field(default="", max_length=500)
    innRechtsvorm: str = Field(default="", max_length=40)
    bezoekadres: str = Field(default="", max_length=1000)
    subVerblijfBuitenland: SubVerblijfBuitenland | None = None


class Vestiging(ZgwIn):
    vestigingsNummer: str = Field(default="", max_length=24)
    handelsnaam: list[str] = Field(default_factory=list)
    verblijfsadres: Verblijfsadres | None = None
    subVerblijfBuitenland: SubVerblijfBuitenland | None = None
    kvkNummer: str = Field(default="", max_length=8)


class OrganisatorischeEenheid(ZgwIn):
    identificatie: str = Field(default="", max_length=24)
    naam: str = Field(default="", max_length=50)
    isGehuisvestIn: str = Field(default="", max_length=24)


class Medewerker(ZgwIn):
    identificatie: str = Field(default="", max_length=24)
    achternaam: str = Field(default="", max_length=200)
    voorletters: str = Field(default="", max_length=20)
    voorvoegselAchternaam: str = Field(default="", max_length=10)


BETROKKENE_MODELS: dict[str, type[ZgwIn]] = {
    "natuurlijk_persoon": NatuurlijkPersoon, "niet_natuurlijk_persoon": NietNatuurlijkPersoon,
    "vestiging": Vestiging, "organisatorische_eenheid": OrganisatorischeEenheid, "medewerker": Medewerker}
"""The fields of ``betrokkeneIdentificatie`` per ``betrokkeneType`` (ZGW's Rol* schemas)."""
