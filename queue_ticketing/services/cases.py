"""Use cases of cases (zaken): open one, set its status, give it a resultaat, add a role, change it.

These functions apply the rules of a case; who may call them (the Zaken API's scopes) is decided
in ``services.zgw_auth`` before they are called."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime

from location_config.zaaktypes import ZaakCatalogue, Zaaktype, is_rsin

from ..domain.cases import (
    InvalidCase,
    Resultaat,
    Rol,
    Status,
    Zaak,
    address_hash,
    after_status,
    check_given_identificatie,
    identificatie,
    latest_status,
    normalise_postcode,
)
from ..domain.errors import NotFound
from ..domain.numbering import business_day
from ..store.cases import CaseStore as CaseStore  # the Zaken API's routes name these from here
from ..store.cases import Page as Page
from ..store.cases import ZaakFilter as ZaakFilter
from ..store.unit_of_work import UnitOfWork


def new_uuid() -> str:
    return str(uuid.uuid4())


def zaaktype_of(catalogue: ZaakCatalogue, zaak: Zaak) -> Zaaktype:
    zaaktype = catalogue.zaaktype(zaak.zaaktype)
    if zaaktype is None:  # a type taken out of the configuration while cases of it exist
        raise NotFound(f"The zaaktype '{zaak.zaaktype}' of this case is no longer configured.")
    return zaaktype


def get_zaak(store: CaseStore, zaak_uuid: str) -> Zaak:
    zaak = store.get(zaak_uuid)
    if zaak is None:
        raise NotFound("There is no such case.")
    return zaak


@dataclass(frozen=True)
class NewZaak:
    bronorganisatie: str
    zaaktype: str
    verantwoordelijke_organisatie: str
    startdatum: date
    identificatie: str | None = None
    registratiedatum: date | None = None
    omschrijving: str = ""
    toelichting: str = ""
    einddatum_gepland: date | None = None
    uiterlijke_einddatum_afdoening: date | None = None


def _check_rsin(name: str, value: str) -> None:
    if not is_rsin(value):
        raise InvalidCase(name, "invalid-rsin", "An RSIN has 9 digits and passes the elfproef.")


def create_zaak(uow: UnitOfWork, catalogue: ZaakCatalogue, new: NewZaak) -> Zaak:
    """A new case. Without an identificatie it gets the next number of this year
    (``ZAAK-2026-0000000001``), from a counter row locked until the commit: gapless and unique."""
    zaaktype = catalogue.zaaktype(new.zaaktype)
    if zaaktype is None:
        raise InvalidCase("zaaktype", "bad-url", "Unknown zaaktype.")
    _check_rsin("bronorganisatie", new.bronorganisatie)
    _check_rsin("verantwoordelijkeOrganisatie", new.verantwoordelijke_organisatie)
    store = uow.cases
    if new.identificatie:
        check_given_identificatie(new.identificatie)
        if any(z.bronorganisatie == new.bronorganisatie for z in store.by_identificatie(new.identificatie)):
            raise InvalidCase("identificatie", "identificatie-niet-uniek",
                              "This bronorganisatie already has a case with this identificatie.")
        number = new.identificatie
    else:
        year = business_day(uow.now).year
        number = identificatie(year, store.next_sequence(new.bronorganisatie, year))
    zaak = Zaak(
        uuid=new_uuid(), identificatie=number, bronorganisatie=new.bronorganisatie, zaaktype=zaaktype.id,
        verantwoordelijke_organisatie=new.verantwoordelijke_organisatie,
        registratiedatum=new.registratiedatum or business_day(uow.now), startdatum=new.startdatum,
        omschrijving=new.omschrijving, toelichting=new.toelichting, einddatum_gepland=new.einddatum_gepland,
        uiterlijke_einddatum_afdoening=new.uiterlijke_einddatum_afdoening
        or zaaktype.uiterlijke_einddatum(new.startdatum),
    )
    store.add(zaak, uow.now)
    return zaak


def set_status(uow: UnitOfWork, catalogue: ZaakCatalogue, zaak: Zaak, statustype_uuid: str,
               datum_status_gezet: datetime, statustoelichting: str = "") -> tuple[Status, Zaak]:
    """Record a status. The case's ``status`` follows the most recent one; the end status needs a
    resultaat and sets einddatum; a later non-end status on a closed case reopens it."""
    store = uow.cases
    status = Status(new_uuid(), zaak.uuid, statustype_uuid, datum_status_gezet, statustoelichting)
    latest = latest_status(store.statussen_of(zaak.uuid))
    is_latest = latest is None or datum_status_gezet >= latest.datum_status_gezet
    changed = after_status(zaak, zaaktype_of(catalogue, zaak), status, is_latest)
    store.add_status(status, uow.now)
    if changed != zaak:
        store.save(changed)
    return status, changed


def set_resultaat(uow: UnitOfWork, catalogue: ZaakCatalogue, zaak: Zaak, resultaattype_uuid: str,
                  toelichting: str = "") -> Resultaat:
    zaaktype = zaaktype_of(catalogue, zaak)
    if all(r.uuid != resultaattype_uuid for r in zaaktype.resultaattypen):
        raise InvalidCase("resultaattype", "zaaktype-mismatch",
                          "This resultaattype does not belong to the case's zaaktype.")
    if zaak.resultaat is not None:
        raise InvalidCase("zaak", "unique", "This case already has a resultaat.")
    resultaat = Resultaat(new_uuid(), zaak.uuid, resultaattype_uuid, toelichting)
    store = uow.cases
    store.add_resultaat(resultaat, uow.now)
    store.save(replace(zaak, resultaat=resultaat.uuid))
    return resultaat


@dataclass(frozen=True)
class NewRol:
    roltype: str
    betrokkene_type: str
    roltoelichting: str = ""
    postcode: str | None = None
    huisnummer: int | None = None
    emailadres: str | None = None


def add_rol(uow: UnitOfWork, catalogue: ZaakCatalogue, zaak: Zaak, new: NewRol) -> Rol:
    """A role on the case. This subset knows initiators who are people (natuurlijk_persoon); of them
    it keeps a hash of postcode + house number for the kiosk look-up and an e-mail address for
    the answer, and nothing else (a BSN or name in the request is not stored)."""
    zaaktype = zaaktype_of(catalogue, zaak)
    if all(r.uuid != new.roltype for r in zaaktype.roltypen):
        raise InvalidCase("roltype", "zaaktype-mismatch", "This roltype does not belong to the case's zaaktype.")
    if new.roltype != zaaktype.initiator.uuid or new.betrokkene_type != "natuurlijk_persoon":
        raise InvalidCase("roltype", "not-supported",
                          "This service keeps initiators who are people (natuurlijk_persoon) only.")
    hashed = digits = None
    if new.postcode is not None or new.huisnummer is not None:
        postcode = normalise_postcode(new.postcode or "")
        if postcode is None or new.huisnummer is None:
            raise InvalidCase("betrokkeneIdentificatie.verblijfsadres", "invalid",
                              "Give a Dutch postcode (1234 AB) and a house number together.")
        hashed, digits = address_hash(postcode, new.huisnummer), postcode[:4]
    rol = Rol(uuid=new_uuid(), zaak=zaak.uuid, roltype=new.roltype, betrokkene_type=new.betrokkene_type,
              roltoelichting=new.roltoelichting, registratiedatum=uow.now, address_hash=hashed,
              postcode_digits=digits, emailadres=new.emailadres)
    uow.cases.add_rol(rol)
    return rol


PATCHABLE = ("omschrijving", "toelichting", "einddatum_gepland", "uiterlijke_einddatum_afdoening")


def update_zaak(uow: UnitOfWork, zaak: Zaak, changes: dict[str, object]) -> Zaak:
    """Change the case's descriptive fields and planned dates (PATCH)."""
    unknown = set(changes) - set(PATCHABLE)
    if unknown:
        raise InvalidCase(sorted(unknown)[0], "read-only", "This field cannot be changed here.")
    changed = replace(zaak, **changes)  # type: ignore[arg-type]
    if changed != zaak:
        uow.cases.save(changed)
    return changed
