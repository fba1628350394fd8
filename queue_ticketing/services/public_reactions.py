"""Public reactions (publieksreacties) from the kiosk: a complaint, report or question becomes a
case of zaaktype ``publieksreactie``, received at once; its number is shown and printed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from location_config import Location
from location_config.zaaktypes import Zaaktype

from ..domain.cases import Zaak
from ..domain.errors import DomainError
from ..domain.numbering import business_day
from ..store.unit_of_work import UnitOfWork
from .cases import NewRol, NewZaak, add_rol, create_zaak, set_status
from .catalogi import CaseTypes
from .zaaksysteem import Zaaksysteem

ZAAKTYPE = "publieksreactie"
KINDS = {"complaint": "Klacht", "report": "Melding", "question": "Vraag"}
"""Kind → the case's omschrijving (Dutch, as the case workers read it)."""


class NotConfigured(DomainError):
    code = "zaaktype_not_configured"
    status = 503


class AlreadyReceived(DomainError):
    """The same Idempotency-Key again; the stored answer is sent (``api.idempotency.run_once``)."""

    code = "already_received"
    status = 409


@dataclass(frozen=True)
class ReceivedReaction:
    zaak: Zaak
    zaaktype: Zaaktype
    kind: str


def _zaaktype(catalogue: CaseTypes) -> Zaaktype:
    zaaktype = catalogue.zaaktype(ZAAKTYPE)
    if zaaktype is None:
        raise NotConfigured(f"Public reactions need the zaaktype '{ZAAKTYPE}' in zaaktypes.toml.")
    return zaaktype


def _omschrijving(kind: str, location: Location) -> str:
    return f"{KINDS[kind]} via de kiosk, {location.name}"[:80]


def open_at_zaaksysteem(zaaksysteem: Zaaksysteem, catalogue: CaseTypes, location: Location, kind: str, text: str,
                        email: str | None, now: datetime) -> ReceivedReaction:
    """The case opened at the city's zaaksysteem (HTTP: call it outside the write transaction; then
    ``receive_public_reaction(..., opened=...)`` records it)."""
    zaaktype = _zaaktype(catalogue)
    zaak = zaaksysteem.open_case(zaaktype, catalogue.local.bronorganisatie, business_day(now), now,
                                 _omschrijving(kind, location), text, "Ontvangen via de kiosk", email)
    return ReceivedReaction(zaak, zaaktype, kind)


def receive_public_reaction(uow: UnitOfWork, catalogue: CaseTypes, location: Location, kind: str, text: str,
                            email: str | None, device_id: str | None,
                            opened: ReceivedReaction | None = None) -> ReceivedReaction:
    """The text is stored exactly as typed (it is data, never markup: nothing renders it as HTML).
    ``opened``: the case the city's zaaksysteem opened for it (``open_at_zaaksysteem``); only the note
    of where it came from is kept here then."""
    if opened is not None:
        uow.cases.add_public_reaction(opened.zaak.uuid, location.id, kind, device_id, uow.now)
        return opened
    zaaktype = _zaaktype(catalogue)
    today = business_day(uow.now)
    zaak = create_zaak(uow, catalogue, NewZaak(
        bronorganisatie=catalogue.local.bronorganisatie, zaaktype=ZAAKTYPE,
        verantwoordelijke_organisatie=catalogue.local.bronorganisatie, startdatum=today,
        omschrijving=_omschrijving(kind, location), toelichting=text))
    _, zaak = set_status(uow, catalogue, zaak, zaaktype.first_status.uuid, uow.now, "Ontvangen via de kiosk")
    if email:
        add_rol(uow, catalogue, zaak, NewRol(roltype=zaaktype.initiator.uuid, betrokkene_type="natuurlijk_persoon",
                                             roltoelichting="Indiener (kiosk)", emailadres=email,
                                             attributes={"contactpersoonRol": {
                                                 "emailadres": email, "functie": "", "telefoonnummer": "",
                                                 "naam": ""}}))
    uow.cases.add_public_reaction(zaak.uuid, location.id, kind, device_id, uow.now)
    return ReceivedReaction(zaak, zaaktype, kind)
