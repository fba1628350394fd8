"""Cases (zaken) in the shape of the VNG ZGW Zaken API 1.5.1, and their rules.

Pure: the status rules (a statustype of the case's own zaaktype; the end status needs a resultaat
and closes the case), generated case numbers, and what a visitor may see of a case (the status
timeline in the words of the configuration, never a name, address or BSN).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from location_config.zaaktypes import VERTROUWELIJKHEIDAANDUIDINGEN, Resultaattype, Statustype, Zaaktype

from .errors import DomainError
from .numbering import business_day

IDENTIFICATIE_PREFIX = "ZAAK"
GENERATED_IDENTIFICATIE = re.compile(r"^ZAAK-\d{4}-\d{10}$")
_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")


class InvalidCase(DomainError):
    """A ZGW validation error: 400 with ``invalid_params`` naming the field, a code and a reason."""

    code = "invalid"
    status = 400

    def __init__(self, name: str, code: str, reason: str) -> None:
        super().__init__("The request does not follow the rules for cases.",
                         invalid_params=[{"name": name, "code": code, "reason": reason}])


BETROKKENE_TYPES = ("natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging", "organisatorische_eenheid",
                    "medewerker")
"""ZGW's kinds of party to a case (a rol's ``betrokkeneType``)."""

ARCHIEFSTATUSSEN = ("nog_te_archiveren", "gearchiveerd", "gearchiveerd_procestermijn_onbekend", "overgedragen")
ARCHIEFNOMINATIES = ("blijvend_bewaren", "vernietigen")


def vertrouwelijkheid_rank(level: str) -> int:
    """0 for ``openbaar`` up to 7 for ``zeer_geheim``; an unknown level counts as the most secret."""
    return VERTROUWELIJKHEIDAANDUIDINGEN.index(level) if level in VERTROUWELIJKHEIDAANDUIDINGEN else 7


def levels_up_to(maximum: str) -> tuple[str, ...]:
    """Every level of confidentiality at or below ``maximum``."""
    return VERTROUWELIJKHEIDAANDUIDINGEN[:vertrouwelijkheid_rank(maximum) + 1]


@dataclass(frozen=True)
class Zaak:
    uuid: str
    identificatie: str
    bronorganisatie: str
    zaaktype: str
    """Our id of the zaaktype (``publieksreactie``); its URL is made from the catalogue."""
    verantwoordelijke_organisatie: str
    registratiedatum: date
    startdatum: date
    omschrijving: str = ""
    toelichting: str = ""
    einddatum: date | None = None
    einddatum_gepland: date | None = None
    uiterlijke_einddatum_afdoening: date | None = None
    status: str | None = None
    """uuid of the status set last, if any."""
    resultaat: str | None = None
    """uuid of its resultaat, if any."""
    vertrouwelijkheidaanduiding: str = "openbaar"
    archiefnominatie: str | None = None
    archiefstatus: str = "nog_te_archiveren"
    archiefactiedatum: date | None = None
    hoofdzaak: str | None = None
    """uuid of the case this one is a part (deelzaak) of."""
    attributes: Mapping[str, Any] = field(default_factory=dict)
    """The other ZGW fields as the client gave them (publicatiedatum, communicatiekanaal,
    productenOfDiensten, betalingsindicatie, laatsteBetaaldatum, zaakgeometrie, verlenging,
    opschorting, selectielijstklasse, relevanteAndereZaken, kenmerken, opdrachtgevendeOrganisatie,
    processobjectaard, startdatumBewaartermijn, processobject), in their JSON form."""

    @property
    def is_closed(self) -> bool:
        return self.einddatum is not None


@dataclass(frozen=True)
class Status:
    uuid: str
    zaak: str
    statustype: str
    datum_status_gezet: datetime
    statustoelichting: str = ""
    gezetdoor: str = ""


@dataclass(frozen=True)
class Resultaat:
    uuid: str
    zaak: str
    resultaattype: str
    toelichting: str = ""


@dataclass(frozen=True)
class Rol:
    """A party to the case. Of a person only what the look-up needs is kept: a salted, slow hash
    of postcode + house number, the postcode's four digits (to show it masked), and an e-mail
    address given for the answer. A BSN or name sent by a client is not stored."""

    uuid: str
    zaak: str
    roltype: str
    betrokkene_type: str
    roltoelichting: str
    registratiedatum: datetime
    address_hash: str | None = None
    postcode_digits: str | None = None
    emailadres: str | None = None
    betrokkene: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict)
    """What the client gave about the party (``betrokkeneIdentificatie``, ``afwijkendeNaamBetrokkene``,
    ``indicatieMachtiging``, ``contactpersoonRol``): personal data, shown only to clients that may read
    the case, never logged, never sent to the kiosk."""


def identificatie(year: int, sequence: int) -> str:
    """``ZAAK-2026-0000000001``: per year, from a gapless counter."""
    return f"{IDENTIFICATIE_PREFIX}-{year:04d}-{sequence:010d}"


def check_given_identificatie(value: str) -> None:
    """A client may bring its own number, but not one of the form we generate (it could collide
    with a number we hand out later and leave a gap)."""
    if GENERATED_IDENTIFICATIE.match(value):
        raise InvalidCase("identificatie", "identificatie-gereserveerd",
                          "Numbers of the form ZAAK-YYYY-NNNNNNNNNN are generated; leave identificatie out.")


class InvalidCaseReference(DomainError):
    code = "invalid_case_reference"
    status = 422


def case_reference(text: str) -> str:
    """The case number a ticket refers to (``zaak-2026-0000000001 `` → ``ZAAK-2026-0000000001``).

    Only the form this service generates: short and fixed, so a ticket can never carry a name, a
    BSN or any other free text. Whether the case exists is not checked: a kiosk must not learn
    which case numbers exist (look-ups answer every miss alike), and the clerk checks it anyway.
    Raises ``InvalidCaseReference`` (whose detail never repeats the value)."""
    value = normalise_identificatie(text)
    if not (value.isascii() and GENERATED_IDENTIFICATIE.fullmatch(value)):
        raise InvalidCaseReference("A case reference is a case number such as ZAAK-2026-0000000001 (ZAAK, the "
                                   "year and ten digits), nothing else; leave it out when there is none.")
    return value


def normalise_postcode(text: str) -> str | None:
    """``3078 ak`` → ``3078AK``; None when it is not a Dutch postcode."""
    match = _POSTCODE.match(text.strip().upper())
    return f"{match[1]}{match[2]}" if match else None


def normalise_identificatie(text: str) -> str:
    return text.strip().upper()


# scrypt: a leaked database must not give away addresses by trying every postcode + number.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def _scrypt(postcode: str, huisnummer: int, salt: bytes) -> bytes:
    return hashlib.scrypt(f"{postcode}|{huisnummer}".encode(), salt=salt, dklen=32, maxmem=64 * 1024 * 1024,
                          **_SCRYPT)


def address_hash(postcode: str, huisnummer: int) -> str:
    """A salted scrypt of the normalised postcode and house number: ``salt$hash`` in hex."""
    salt = secrets.token_bytes(16)
    return f"{salt.hex()}${_scrypt(postcode, huisnummer, salt).hex()}"


def address_matches(stored: str | None, postcode: str, huisnummer: int) -> bool:
    """Whether postcode + house number match ``stored``. Costs one scrypt even when nothing is
    stored, so "no such case" and "wrong postcode" take the same time."""
    salt_hex, _, digest_hex = (stored or f"{'00' * 16}$").partition("$")
    computed = _scrypt(postcode, huisnummer, bytes.fromhex(salt_hex))
    return stored is not None and hmac.compare_digest(computed.hex(), digest_hex)


# --------------------------------------------------------------------------- status rules


def statustype_of(zaaktype: Zaaktype, statustype_uuid: str) -> Statustype:
    found = next((s for s in zaaktype.statustypen if s.uuid == statustype_uuid), None)
    if found is None:
        raise InvalidCase("nonFieldErrors", "zaaktype-mismatch",
                          f"This statustype does not belong to the case's zaaktype ({zaaktype.omschrijving}).")
    return found


def after_status(zaak: Zaak, zaaktype: Zaaktype, status: Status, latest: bool,
                 resultaattype: Resultaattype | None = None) -> Zaak:
    """The case once ``status`` is set. The end status needs a resultaat first and closes the case
    (einddatum = the day the status was set, in Rotterdam; the archive nomination follows from the
    result's type); another status set last on a closed case opens it again (``reopened``).
    ``latest``: whether this status is now the case's most recent one."""
    statustype = statustype_of(zaaktype, status.statustype)
    if statustype.is_eindstatus and zaak.resultaat is None:
        raise InvalidCase("statustype", "resultaat-does-not-exist",
                          "Give the case its resultaat before setting the end status.")
    if not latest:
        return zaak
    if statustype.is_eindstatus:
        closed = replace(zaak, status=status.uuid, einddatum=business_day(status.datum_status_gezet))
        return archived_on_close(closed, resultaattype)
    return replace(reopened(zaak) if zaak.is_closed else zaak, status=status.uuid)


def reopens(zaak: Zaak, zaaktype: Zaaktype, statustype_uuid: str) -> bool:
    """Whether setting this status would open a closed case again (ZGW's ``zaken.heropenen``)."""
    return zaak.is_closed and not statustype_of(zaaktype, statustype_uuid).is_eindstatus


def reopened(zaak: Zaak) -> Zaak:
    """A closed case opened again: no end date, and nothing decided yet about its archive."""
    return replace(zaak, einddatum=None, archiefnominatie=None, archiefactiedatum=None)


def archived_on_close(zaak: Zaak, resultaattype: Resultaattype | None) -> Zaak:
    """When a case closes without an archiefnominatie, the resultaattype's nomination applies and the
    archive action falls due ``archiefactietermijn`` after the end date (ZGW's afleidingswijze
    ``afgehandeld``)."""
    if resultaattype is None or zaak.einddatum is None:
        return zaak
    nominatie = zaak.archiefnominatie or resultaattype.archiefnominatie
    actiedatum = zaak.archiefactiedatum
    if actiedatum is None and resultaattype.archiefactietermijn_days is not None:
        actiedatum = zaak.einddatum + timedelta(days=resultaattype.archiefactietermijn_days)
    return replace(zaak, archiefnominatie=nominatie, archiefactiedatum=actiedatum)


def check_zaak_rules(zaak: Zaak, zaaktype: Zaaktype) -> None:
    """The rules on a case's own fields, checked on every create and change (ZGW's codes)."""
    attributes = zaak.attributes
    if attributes.get("betalingsindicatie") == "nvt" and attributes.get("laatsteBetaaldatum"):
        raise InvalidCase("laatsteBetaaldatum", "betaling-nvt",
                          "A case with betalingsindicatie 'nvt' has no laatsteBetaaldatum.")
    products = attributes.get("productenOfDiensten") or []
    if zaaktype.catalogus_url is not None or zaaktype.producten_of_diensten:
        unknown = [p for p in products if p not in zaaktype.producten_of_diensten]
        if unknown:
            raise InvalidCase("productenOfDiensten", "invalid-products-services",
                              "Every product or service must be one of the zaaktype's productenOfDiensten.")
    if zaak.archiefstatus != "nog_te_archiveren":
        if not zaak.archiefnominatie:
            raise InvalidCase("archiefnominatie", "archiefnominatie-not-set",
                              "Set archiefnominatie before the archiefstatus moves on from nog_te_archiveren.")
        if zaak.archiefactiedatum is None:
            raise InvalidCase("archiefactiedatum", "archiefactiedatum-not-set",
                              "Set archiefactiedatum before the archiefstatus moves on from nog_te_archiveren.")
    if zaak.hoofdzaak is not None and zaak.hoofdzaak == zaak.uuid:
        raise InvalidCase("hoofdzaak", "self-forbidden", "A case cannot be a part of itself.")


def latest_status(statussen: Sequence[Status]) -> Status | None:
    return max(statussen, key=lambda s: s.datum_status_gezet, default=None)


# --------------------------------------------------------------------------- what a visitor sees


@dataclass(frozen=True)
class TimelineStep:
    statustekst: str
    datum: date


@dataclass(frozen=True)
class CaseForVisitor:
    """The only things the kiosk shows of a case."""

    identificatie: str
    zaaktype_name: str
    timeline: tuple[TimelineStep, ...]
    expected_end: date | None
    einddatum: date | None


def case_for_visitor(zaak: Zaak, zaaktype: Zaaktype, statussen: Sequence[Status], language: str) -> CaseForVisitor:
    """The status timeline in the configuration's words (never a clerk's statustoelichting, which may
    hold anything), and the expected end date: einddatumGepland, else startdatum + the service norm."""
    steps = []
    for status in sorted(statussen, key=lambda s: s.datum_status_gezet):
        statustype = next((s for s in zaaktype.statustypen if s.uuid == status.statustype), None)
        if statustype is not None:
            steps.append(TimelineStep(statustype.tekst(language), business_day(status.datum_status_gezet)))
    expected = None if zaak.is_closed else (zaak.einddatum_gepland or zaaktype.expected_end(zaak.startdatum))
    return CaseForVisitor(zaak.identificatie, zaaktype.name(language), tuple(steps), expected, zaak.einddatum)
