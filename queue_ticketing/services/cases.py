"""Use cases of cases (zaken): open one, change or delete it, set its status, give it a resultaat,
add or remove a role.

These functions apply the rules of a case; who may call them (the Zaken API's scopes) is decided
in ``services.zgw_permissions`` before they are called."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from location_config.zaaktypes import Zaaktype, is_rsin

from ..domain.cases import (
    InvalidCase,
    Resultaat,
    Rol,
    Status,
    Zaak,
    address_hash,
    after_status,
    check_given_identificatie,
    check_zaak_rules,
    identificatie,
    latest_status,
    normalise_postcode,
    statustype_of,
)
from ..domain.errors import NotFound
from ..domain.numbering import business_day
from ..store.cases import CaseStore as CaseStore  # the Zaken API's routes name these from here
from ..store.cases import Condition as Condition
from ..store.cases import Page as Page
from ..store.cases import RolFilter as RolFilter
from ..store.cases import ZaakFilter as ZaakFilter
from ..store.unit_of_work import UnitOfWork
from .catalogi import CaseTypes


def new_uuid() -> str:
    return str(uuid.uuid4())


def zaaktype_of(types: CaseTypes, zaak: Zaak) -> Zaaktype:
    zaaktype = types.zaaktype(zaak.zaaktype)
    if zaaktype is None:  # a type taken out of the configuration while cases of it exist
        raise NotFound(f"The zaaktype '{zaak.zaaktype}' of this case is no longer known.")
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
    """The zaaktype's key (``CaseTypes.key_of``)."""
    verantwoordelijke_organisatie: str
    startdatum: date
    identificatie: str | None = None
    registratiedatum: date | None = None
    omschrijving: str = ""
    toelichting: str = ""
    einddatum_gepland: date | None = None
    uiterlijke_einddatum_afdoening: date | None = None
    vertrouwelijkheidaanduiding: str | None = None
    """None: the zaaktype's."""
    archiefnominatie: str | None = None
    archiefstatus: str = "nog_te_archiveren"
    archiefactiedatum: date | None = None
    hoofdzaak: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)


def _check_rsin(name: str, value: str) -> None:
    if not is_rsin(value):
        raise InvalidCase(name, "invalid-rsin", "An RSIN has 9 digits and passes the elfproef.")


def _check_hoofdzaak(store: CaseStore, zaak_uuid: str, hoofdzaak: str | None) -> None:
    if hoofdzaak is None:
        return
    if hoofdzaak == zaak_uuid:
        raise InvalidCase("hoofdzaak", "self-forbidden", "A case cannot be a part of itself.")
    parent = store.get(hoofdzaak)
    if parent is None:
        raise InvalidCase("hoofdzaak", "does_not_exist", "There is no such case.")
    if parent.hoofdzaak is not None:
        raise InvalidCase("hoofdzaak", "deelzaak-als-hoofdzaak", "A part of a case (deelzaak) cannot have parts.")


def create_zaak(uow: UnitOfWork, types: CaseTypes, new: NewZaak) -> Zaak:
    """A new case. Without an identificatie it gets the next number of this year
    (``ZAAK-2026-0000000001``), from a counter row locked until the commit: gapless and unique."""
    zaaktype = types.zaaktype(new.zaaktype)
    if zaaktype is None:
        raise InvalidCase("zaaktype", "bad-url", "Unknown zaaktype.")
    _check_rsin("bronorganisatie", new.bronorganisatie)
    _check_rsin("verantwoordelijkeOrganisatie", new.verantwoordelijke_organisatie)
    store = uow.cases
    if new.identificatie:
        if any(z.bronorganisatie == new.bronorganisatie for z in store.by_identificatie(new.identificatie)):
            raise InvalidCase("identificatie", "identificatie-niet-uniek",
                              "This bronorganisatie already has a case with this identificatie.")
        check_given_identificatie(new.identificatie)
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
        vertrouwelijkheidaanduiding=new.vertrouwelijkheidaanduiding or zaaktype.vertrouwelijkheidaanduiding,
        archiefnominatie=new.archiefnominatie, archiefstatus=new.archiefstatus,
        archiefactiedatum=new.archiefactiedatum, hoofdzaak=new.hoofdzaak, attributes=dict(new.attributes),
    )
    _check_hoofdzaak(store, zaak.uuid, zaak.hoofdzaak)
    check_zaak_rules(zaak, zaaktype)
    store.add(zaak, uow.now)
    return zaak


CHANGEABLE = ("omschrijving", "toelichting", "einddatum_gepland", "uiterlijke_einddatum_afdoening",
              "registratiedatum", "startdatum", "verantwoordelijke_organisatie", "vertrouwelijkheidaanduiding",
              "archiefnominatie", "archiefstatus", "archiefactiedatum", "hoofdzaak", "bronorganisatie",
              "identificatie", "zaaktype")
"""Fields of a case a PUT or PATCH may name (``attributes`` go as a mapping of their own)."""


def update_zaak(uow: UnitOfWork, types: CaseTypes, zaak: Zaak, changes: Mapping[str, Any],
                attributes: Mapping[str, Any]) -> Zaak:
    """Change a case (PUT: every writable field given; PATCH: some). Its identificatie,
    bronorganisatie and zaaktype stay as they are (``wijzigen-niet-toegelaten``)."""
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise InvalidCase(sorted(unknown)[0], "read-only", "This field cannot be changed here.")
    for name, zgw_name in (("identificatie", "identificatie"), ("bronorganisatie", "bronorganisatie"),
                           ("zaaktype", "zaaktype")):
        if changes.get(name) and changes[name] != getattr(zaak, name):  # left out or empty: kept
            raise InvalidCase(zgw_name, "wijzigen-niet-toegelaten", f"A case's {zgw_name} cannot be changed.")
    kept = {k: v for k, v in changes.items() if k not in ("identificatie", "bronorganisatie", "zaaktype")}
    merged = {**zaak.attributes, **attributes}
    if attributes.get("betalingsindicatie") == "nvt" and "laatsteBetaaldatum" not in attributes:
        merged["laatsteBetaaldatum"] = None  # nothing to pay: no last day to pay either
    if "verantwoordelijke_organisatie" in kept:
        _check_rsin("verantwoordelijkeOrganisatie", kept["verantwoordelijke_organisatie"])
    changed = replace(zaak, attributes=merged, **kept)
    store = uow.cases
    if changed.hoofdzaak != zaak.hoofdzaak:
        _check_hoofdzaak(store, zaak.uuid, changed.hoofdzaak)
    check_zaak_rules(changed, zaaktype_of(types, zaak))
    if changed != zaak:
        store.save(changed)
    return changed


def delete_zaak(uow: UnitOfWork, zaak: Zaak) -> None:
    """The case and its statuses, result and roles; a case with parts (deelzaken) keeps them apart."""
    uow.cases.remove(zaak.uuid)


def set_status(uow: UnitOfWork, types: CaseTypes, zaak: Zaak, statustype_uuid: str,
               datum_status_gezet: datetime, statustoelichting: str = "", gezetdoor: str = "") -> tuple[Status, Zaak]:
    """Record a status. The case's ``status`` follows the most recent one; the end status needs a
    resultaat and sets einddatum; a later non-end status on a closed case reopens it."""
    store = uow.cases
    zaaktype = zaaktype_of(types, zaak)
    status = Status(new_uuid(), zaak.uuid, statustype_uuid, datum_status_gezet, statustoelichting, gezetdoor)
    latest = latest_status(store.statussen_of(zaak.uuid))
    is_latest = latest is None or datum_status_gezet >= latest.datum_status_gezet
    resultaat = store.resultaat(zaak.resultaat) if zaak.resultaat else None
    resultaattype = next((r for r in zaaktype.resultaattypen if resultaat and r.uuid == resultaat.resultaattype), None)
    changed = after_status(zaak, zaaktype, status, is_latest, resultaattype)
    store.add_status(status, uow.now)
    if changed != zaak:
        store.save(changed)
    return status, changed


def check_statustype(types: CaseTypes, zaak: Zaak, statustype_uuid: str) -> bool:
    """Whether the statustype is the case's end status (``zaaktype-mismatch`` when it is not one of its type)."""
    return statustype_of(zaaktype_of(types, zaak), statustype_uuid).is_eindstatus


def _resultaattype_of(types: CaseTypes, zaak: Zaak, resultaattype_uuid: str) -> None:
    if all(r.uuid != resultaattype_uuid for r in zaaktype_of(types, zaak).resultaattypen):
        raise InvalidCase("nonFieldErrors", "zaaktype-mismatch",
                          "This resultaattype does not belong to the case's zaaktype.")


def check_new_resultaat(types: CaseTypes, zaak: Zaak, resultaattype_uuid: str) -> None:
    """ZGW validates a new resultaat before it checks permissions: one per case, of the case's type."""
    if zaak.resultaat is not None:
        raise InvalidCase("zaak", "unique", "This case already has a resultaat.")
    _resultaattype_of(types, zaak, resultaattype_uuid)


def set_resultaat(uow: UnitOfWork, types: CaseTypes, zaak: Zaak, resultaattype_uuid: str,
                  toelichting: str = "") -> Resultaat:
    check_new_resultaat(types, zaak, resultaattype_uuid)
    resultaat = Resultaat(new_uuid(), zaak.uuid, resultaattype_uuid, toelichting)
    store = uow.cases
    store.add_resultaat(resultaat, uow.now)
    store.save(replace(zaak, resultaat=resultaat.uuid))
    return resultaat


def update_resultaat(uow: UnitOfWork, types: CaseTypes, zaak: Zaak, resultaat: Resultaat,
                     resultaattype_uuid: str | None, toelichting: str | None) -> Resultaat:
    if resultaattype_uuid is not None:
        _resultaattype_of(types, zaak, resultaattype_uuid)
    changed = replace(resultaat, resultaattype=resultaattype_uuid or resultaat.resultaattype,
                      toelichting=resultaat.toelichting if toelichting is None else toelichting)
    uow.cases.save_resultaat(changed)
    return changed


def delete_resultaat(uow: UnitOfWork, zaak: Zaak, resultaat: Resultaat) -> None:
    store = uow.cases
    store.remove_resultaat(resultaat.uuid)
    if zaak.resultaat == resultaat.uuid:
        store.save(replace(zaak, resultaat=None))


@dataclass(frozen=True)
class NewRol:
    roltype: str
    betrokkene_type: str
    roltoelichting: str = ""
    postcode: str | None = None
    huisnummer: int | None = None
    emailadres: str | None = None
    betrokkene: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict)


def add_rol(uow: UnitOfWork, types: CaseTypes, zaak: Zaak, new: NewRol) -> Rol:
    """A role on the case, for any betrokkeneType and any roltype of the case's zaaktype. What the
    client gives about the party is kept as given (personal data: shown only to readers of the case);
    of an initiator who is a person it also keeps a hash of postcode + house number for the kiosk's
    look-up."""
    zaaktype = zaaktype_of(types, zaak)
    roltype = next((r for r in zaaktype.roltypen if r.uuid == new.roltype), None)
    if roltype is None:
        raise InvalidCase("nonFieldErrors", "zaaktype-mismatch", "This roltype does not belong to the case's zaaktype.")
    hashed = digits = None
    if new.postcode is not None or new.huisnummer is not None:
        postcode = normalise_postcode(new.postcode or "")
        if postcode is not None and new.huisnummer is not None:
            hashed, digits = address_hash(postcode, new.huisnummer), postcode[:4]
        elif roltype.omschrijving_generiek == "initiator" and new.betrokkene_type == "natuurlijk_persoon" \
                and zaaktype.catalogus_url is None:
            raise InvalidCase("betrokkeneIdentificatie.verblijfsadres", "invalid",
                              "Give a Dutch postcode (1234 AB) and a house number together.")
    rol = Rol(uuid=new_uuid(), zaak=zaak.uuid, roltype=new.roltype, betrokkene_type=new.betrokkene_type,
              roltoelichting=new.roltoelichting, registratiedatum=uow.now, address_hash=hashed,
              postcode_digits=digits, emailadres=new.emailadres, betrokkene=new.betrokkene,
              attributes=dict(new.attributes))
    uow.cases.add_rol(rol)
    return rol


def delete_rol(uow: UnitOfWork, rol: Rol) -> None:
    uow.cases.remove_rol(rol.uuid)

