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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from location_config.zaaktypes import Statustype, Zaaktype

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
        raise InvalidCase("statustype", "zaaktype-mismatch",
                          f"This statustype does not belong to the case's zaaktype ({zaaktype.omschrijving}).")
    return found


def after_status(zaak: Zaak, zaaktype: Zaaktype, status: Status, latest: bool) -> Zaak:
    """The case once ``status`` is set. The end status needs a resultaat first and closes the case
    (einddatum = the day the status was set, in Rotterdam); another status set last on a closed
    case opens it again. ``latest``: whether this status is now the case's most recent one."""
    statustype = statustype_of(zaaktype, status.statustype)
    if statustype.is_eindstatus and zaak.resultaat is None:
        raise InvalidCase("statustype", "resultaat-does-not-exist",
                          "Give the case its resultaat before setting the end status.")
    if not latest:
        return zaak
    einddatum = business_day(status.datum_status_gezet) if statustype.is_eindstatus else None
    return replace(zaak, status=status.uuid, einddatum=einddatum)


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
