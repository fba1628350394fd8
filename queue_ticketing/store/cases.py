"""Cases (zaken), their statuses, results and roles, public reactions and case numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, and_, bindparam, func, insert, select, update

from ..domain.cases import Resultaat, Rol, Status, Zaak
from .schema import public_reactions, zaak_counters, zaak_resultaten, zaak_rollen, zaak_statussen, zaken
from .statements import per_dialect

_next_sequence = per_dialect(lambda insert_: insert_(zaak_counters).values(
    bronorganisatie=bindparam("bronorganisatie"), year=bindparam("year"), last_sequence=1,
).on_conflict_do_update(
    index_elements=["bronorganisatie", "year"],
    set_={"last_sequence": zaak_counters.c.last_sequence + 1},
).returning(zaak_counters.c.last_sequence))
_insert_zaak = insert(zaken)
_update_zaak = update(zaken).where(zaken.c.uuid == bindparam("zaak_uuid")).values(
    omschrijving=bindparam("omschrijving"), toelichting=bindparam("toelichting"),
    einddatum=bindparam("einddatum"), einddatum_gepland=bindparam("einddatum_gepland"),
    uiterlijke_einddatum_afdoening=bindparam("uiterlijke_einddatum_afdoening"),
    status=bindparam("status"), resultaat=bindparam("resultaat"))
_zaak_by_uuid = select(zaken).where(zaken.c.uuid == bindparam("zaak_uuid"))
_zaken_by_identificatie = select(zaken).where(zaken.c.identificatie == bindparam("identificatie"))
_insert_status = insert(zaak_statussen)
_status_by_uuid = select(zaak_statussen).where(zaak_statussen.c.uuid == bindparam("status_uuid"))
_statussen_of = (select(zaak_statussen).where(zaak_statussen.c.zaak == bindparam("zaak_uuid"))
                 .order_by(zaak_statussen.c.datum_status_gezet, zaak_statussen.c.created_at))
_insert_resultaat = insert(zaak_resultaten)
_resultaat_by_uuid = select(zaak_resultaten).where(zaak_resultaten.c.uuid == bindparam("resultaat_uuid"))
_insert_rol = insert(zaak_rollen)
_rol_by_uuid = select(zaak_rollen).where(zaak_rollen.c.uuid == bindparam("rol_uuid"))
_rollen_of = select(zaak_rollen).where(zaak_rollen.c.zaak == bindparam("zaak_uuid")).order_by(
    zaak_rollen.c.registratiedatum)
_insert_reaction = insert(public_reactions)


def _zaak(row: Row) -> Zaak:
    return Zaak(uuid=row.uuid, identificatie=row.identificatie, bronorganisatie=row.bronorganisatie,
                zaaktype=row.zaaktype, verantwoordelijke_organisatie=row.verantwoordelijke_organisatie,
                registratiedatum=row.registratiedatum, startdatum=row.startdatum, omschrijving=row.omschrijving,
                toelichting=row.toelichting, einddatum=row.einddatum, einddatum_gepland=row.einddatum_gepland,
                uiterlijke_einddatum_afdoening=row.uiterlijke_einddatum_afdoening, status=row.status,
                resultaat=row.resultaat)


def _status(row: Row) -> Status:
    return Status(row.uuid, row.zaak, row.statustype, row.datum_status_gezet, row.statustoelichting)


def _resultaat(row: Row) -> Resultaat:
    return Resultaat(row.uuid, row.zaak, row.resultaattype, row.toelichting)


def _rol(row: Row) -> Rol:
    return Rol(uuid=row.uuid, zaak=row.zaak, roltype=row.roltype, betrokkene_type=row.betrokkene_type,
               roltoelichting=row.roltoelichting, registratiedatum=row.registratiedatum,
               address_hash=row.address_hash, postcode_digits=row.postcode_digits, emailadres=row.emailadres)


@dataclass(frozen=True)
class Page:
    count: int
    items: list[Any]


@dataclass(frozen=True)
class ZaakFilter:
    """Only cases of ``zaaktypes`` (the ones the client may read); the rest narrows when given."""

    zaaktypes: Sequence[str]
    identificatie: str | None = None
    bronorganisatie: str | None = None


class CaseStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- case numbers

    def next_sequence(self, bronorganisatie: str, year: int) -> int:
        """The next case number of the year. The counter row stays locked until the transaction
        ends, so numbers are gapless and unique under concurrency (as ticket numbers are)."""
        return int(self.conn.execute(_next_sequence(self.conn),
                                     {"bronorganisatie": bronorganisatie, "year": year}).scalar_one())

    # -- zaken

    def add(self, zaak: Zaak, now: datetime) -> None:
        self.conn.execute(_insert_zaak, {
            "uuid": zaak.uuid, "identificatie": zaak.identificatie, "bronorganisatie": zaak.bronorganisatie,
            "zaaktype": zaak.zaaktype, "verantwoordelijke_organisatie": zaak.verantwoordelijke_organisatie,
            "omschrijving": zaak.omschrijving, "toelichting": zaak.toelichting,
            "registratiedatum": zaak.registratiedatum, "startdatum": zaak.startdatum, "einddatum": zaak.einddatum,
            "einddatum_gepland": zaak.einddatum_gepland,
            "uiterlijke_einddatum_afdoening": zaak.uiterlijke_einddatum_afdoening, "status": zaak.status,
            "resultaat": zaak.resultaat, "created_at": now,
        })

    def save(self, zaak: Zaak) -> None:
        self.conn.execute(_update_zaak, {
            "zaak_uuid": zaak.uuid, "omschrijving": zaak.omschrijving, "toelichting": zaak.toelichting,
            "einddatum": zaak.einddatum, "einddatum_gepland": zaak.einddatum_gepland,
            "uiterlijke_einddatum_afdoening": zaak.uiterlijke_einddatum_afdoening, "status": zaak.status,
            "resultaat": zaak.resultaat,
        })

    def get(self, zaak_uuid: str) -> Zaak | None:
        row = self.conn.execute(_zaak_by_uuid, {"zaak_uuid": zaak_uuid}).first()
        return _zaak(row) if row else None

    def by_identificatie(self, identificatie: str) -> list[Zaak]:
        return [_zaak(r) for r in self.conn.execute(_zaken_by_identificatie, {"identificatie": identificatie})]

    def find(self, where: ZaakFilter, offset: int, limit: int) -> Page:
        conditions = [zaken.c.zaaktype.in_(list(where.zaaktypes))]
        if where.identificatie is not None:
            conditions.append(zaken.c.identificatie == where.identificatie)
        if where.bronorganisatie is not None:
            conditions.append(zaken.c.bronorganisatie == where.bronorganisatie)
        query = select(zaken).where(and_(*conditions))
        return Page(self._count(query), [_zaak(r) for r in self.conn.execute(
            query.order_by(zaken.c.created_at, zaken.c.identificatie, zaken.c.uuid).offset(offset).limit(limit))])

    def _count(self, query: Select[Any]) -> int:
        return int(self.conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())

    # -- statussen

    def add_status(self, status: Status, now: datetime) -> None:
        self.conn.execute(_insert_status, {
            "uuid": status.uuid, "zaak": status.zaak, "statustype": status.statustype,
            "datum_status_gezet": status.datum_status_gezet, "statustoelichting": status.statustoelichting,
            "created_at": now,
        })

    def status(self, status_uuid: str) -> Status | None:
        row = self.conn.execute(_status_by_uuid, {"status_uuid": status_uuid}).first()
        return _status(row) if row else None

    def statussen_of(self, zaak_uuid: str) -> list[Status]:
        return [_status(r) for r in self.conn.execute(_statussen_of, {"zaak_uuid": zaak_uuid})]

    def find_statussen(self, zaaktypes: Sequence[str], zaak_uuid: str | None, statustype: str | None,
                       offset: int, limit: int) -> Page:
        query = (select(zaak_statussen).join(zaken, zaken.c.uuid == zaak_statussen.c.zaak)
                 .where(zaken.c.zaaktype.in_(list(zaaktypes))))
        if zaak_uuid is not None:
            query = query.where(zaak_statussen.c.zaak == zaak_uuid)
        if statustype is not None:
            query = query.where(zaak_statussen.c.statustype == statustype)
        return Page(self._count(query), [_status(r) for r in self.conn.execute(
            query.order_by(zaak_statussen.c.datum_status_gezet, zaak_statussen.c.uuid).offset(offset).limit(limit))])

    # -- resultaten

    def add_resultaat(self, resultaat: Resultaat, now: datetime) -> None:
        self.conn.execute(_insert_resultaat, {
            "uuid": resultaat.uuid, "zaak": resultaat.zaak, "resultaattype": resultaat.resultaattype,
            "toelichting": resultaat.toelichting, "created_at": now,
        })

    def resultaat(self, resultaat_uuid: str) -> Resultaat | None:
        row = self.conn.execute(_resultaat_by_uuid, {"resultaat_uuid": resultaat_uuid}).first()
        return _resultaat(row) if row else None

    def find_resultaten(self, zaaktypes: Sequence[str], zaak_uuid: str | None, offset: int, limit: int) -> Page:
        query = (select(zaak_resultaten).join(zaken, zaken.c.uuid == zaak_resultaten.c.zaak)
                 .where(zaken.c.zaaktype.in_(list(zaaktypes))))
        if zaak_uuid is not None:
            query = query.where(zaak_resultaten.c.zaak == zaak_uuid)
        return Page(self._count(query), [_resultaat(r) for r in self.conn.execute(
            query.order_by(zaak_resultaten.c.created_at, zaak_resultaten.c.uuid).offset(offset).limit(limit))])

    # -- rollen

    def add_rol(self, rol: Rol) -> None:
        self.conn.execute(_insert_rol, {
            "uuid": rol.uuid, "zaak": rol.zaak, "roltype": rol.roltype, "betrokkene_type": rol.betrokkene_type,
            "roltoelichting": rol.roltoelichting, "address_hash": rol.address_hash,
            "postcode_digits": rol.postcode_digits, "emailadres": rol.emailadres,
            "registratiedatum": rol.registratiedatum,
        })

    def rol(self, rol_uuid: str) -> Rol | None:
        row = self.conn.execute(_rol_by_uuid, {"rol_uuid": rol_uuid}).first()
        return _rol(row) if row else None

    def rollen_of(self, zaak_uuid: str) -> list[Rol]:
        return [_rol(r) for r in self.conn.execute(_rollen_of, {"zaak_uuid": zaak_uuid})]

    def find_rollen(self, zaaktypes: Sequence[str], zaak_uuid: str | None, offset: int, limit: int) -> Page:
        query = (select(zaak_rollen).join(zaken, zaken.c.uuid == zaak_rollen.c.zaak)
                 .where(zaken.c.zaaktype.in_(list(zaaktypes))))
        if zaak_uuid is not None:
            query = query.where(zaak_rollen.c.zaak == zaak_uuid)
        return Page(self._count(query), [_rol(r) for r in self.conn.execute(
            query.order_by(zaak_rollen.c.registratiedatum, zaak_rollen.c.uuid).offset(offset).limit(limit))])

    # -- public reactions

    def add_public_reaction(self, zaak_uuid: str, location: str, kind: str, device_id: str | None,
                            now: datetime) -> None:
        self.conn.execute(_insert_reaction, {"zaak": zaak_uuid, "location": location, "kind": kind,
                                             "device_id": device_id, "created_at": now})
