"""Cases (zaken), their statuses, results and roles, public reactions and case numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
    and_,
    bindparam,
    delete,
    false,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

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
    status=bindparam("status"), resultaat=bindparam("resultaat"), identificatie=bindparam("identificatie"),
    bronorganisatie=bindparam("bronorganisatie"), zaaktype=bindparam("zaaktype"),
    verantwoordelijke_organisatie=bindparam("verantwoordelijke_organisatie"),
    registratiedatum=bindparam("registratiedatum"), startdatum=bindparam("startdatum"),
    vertrouwelijkheidaanduiding=bindparam("vertrouwelijkheidaanduiding"),
    archiefnominatie=bindparam("archiefnominatie"), archiefstatus=bindparam("archiefstatus"),
    archiefactiedatum=bindparam("archiefactiedatum"), hoofdzaak=bindparam("hoofdzaak"),
    attributes=bindparam("attributes"))
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
                resultaat=row.resultaat, vertrouwelijkheidaanduiding=row.vertrouwelijkheidaanduiding,
                archiefnominatie=row.archiefnominatie, archiefstatus=row.archiefstatus,
                archiefactiedatum=row.archiefactiedatum, hoofdzaak=row.hoofdzaak, attributes=row.attributes or {})


def _zaak_values(zaak: Zaak) -> dict[str, Any]:
    return {"identificatie": zaak.identificatie, "bronorganisatie": zaak.bronorganisatie,
            "zaaktype": zaak.zaaktype, "verantwoordelijke_organisatie": zaak.verantwoordelijke_organisatie,
            "omschrijving": zaak.omschrijving, "toelichting": zaak.toelichting,
            "registratiedatum": zaak.registratiedatum, "startdatum": zaak.startdatum, "einddatum": zaak.einddatum,
            "einddatum_gepland": zaak.einddatum_gepland,
            "uiterlijke_einddatum_afdoening": zaak.uiterlijke_einddatum_afdoening, "status": zaak.status,
            "resultaat": zaak.resultaat, "vertrouwelijkheidaanduiding": zaak.vertrouwelijkheidaanduiding,
            "archiefnominatie": zaak.archiefnominatie, "archiefstatus": zaak.archiefstatus,
            "archiefactiedatum": zaak.archiefactiedatum, "hoofdzaak": zaak.hoofdzaak,
            "attributes": dict(zaak.attributes)}


def _status(row: Row) -> Status:
    return Status(row.uuid, row.zaak, row.statustype, row.datum_status_gezet, row.statustoelichting,
                  row.gezetdoor)


def _resultaat(row: Row) -> Resultaat:
    return Resultaat(row.uuid, row.zaak, row.resultaattype, row.toelichting)


def _rol(row: Row) -> Rol:
    return Rol(uuid=row.uuid, zaak=row.zaak, roltype=row.roltype, betrokkene_type=row.betrokkene_type,
               roltoelichting=row.roltoelichting, registratiedatum=row.registratiedatum,
               address_hash=row.address_hash, postcode_digits=row.postcode_digits, emailadres=row.emailadres,
               betrokkene=row.betrokkene, attributes=row.attributes or {})


@dataclass(frozen=True)
class Page:
    count: int
    items: list[Any]


ZAAK_ORDERING = {"startdatum": zaken.c.startdatum, "einddatum": zaken.c.einddatum,
                 "publicatiedatum": None, "archiefactiedatum": zaken.c.archiefactiedatum,
                 "registratiedatum": zaken.c.registratiedatum, "identificatie": zaken.c.identificatie}
"""ZGW's ``ordering`` keys of the zaken list (publicatiedatum is kept with the other fields, not sortable
here: ordering by it keeps the default order)."""

ZAAK_COLUMNS = {"identificatie": zaken.c.identificatie, "bronorganisatie": zaken.c.bronorganisatie,
                "archiefnominatie": zaken.c.archiefnominatie, "archiefactiedatum": zaken.c.archiefactiedatum,
                "archiefstatus": zaken.c.archiefstatus, "startdatum": zaken.c.startdatum,
                "registratiedatum": zaken.c.registratiedatum, "einddatum": zaken.c.einddatum,
                "einddatumGepland": zaken.c.einddatum_gepland,
                "uiterlijkeEinddatumAfdoening": zaken.c.uiterlijke_einddatum_afdoening,
                "vertrouwelijkheidaanduiding": zaken.c.vertrouwelijkheidaanduiding}
"""Query parameters of the zaken list that filter on a column (with ``__in``, ``__gt``, ... forms)."""


@dataclass(frozen=True)
class Condition:
    """One filter: ``field`` (a key of ZAAK_COLUMNS), an operator (``exact``, ``in``, ``gt``, ``gte``,
    ``lt``, ``lte``, ``isnull``) and its value."""

    field: str
    operator: str
    value: Any


@dataclass(frozen=True)
class ZaakFilter:
    """Only cases the client may read: of ``zaaktypes`` (None: any), each at most as confidential as
    ``max_vertrouwelijkheid`` allows for its zaaktype (a tuple of allowed levels per zaaktype)."""

    zaaktypes: Sequence[str] | None
    allowed_levels: Mapping[str, Sequence[str]] | None = None
    conditions: Sequence[Condition] = ()
    zaaktype: str | None = None
    ordering: Sequence[tuple[str, bool]] = ()
    """(key of ZAAK_ORDERING, descending)."""
    rol_zaken: Sequence[str] | None = None
    """Only these cases (the ones with a matching rol), when given."""
    # Kept for callers that filter on these two only.
    identificatie: str | None = None
    bronorganisatie: str | None = None


def _condition(column: Any, operator: str, value: Any) -> Any:
    if operator == "exact":
        return column == value
    if operator == "in":
        return column.in_(list(value))
    if operator == "gt":
        return column > value
    if operator == "gte":
        return column >= value
    if operator == "lt":
        return column < value
    if operator == "lte":
        return column <= value
    if operator == "isnull":
        return column.is_(None) if value else column.is_not(None)
    raise ValueError(f"unknown operator {operator}")


@dataclass(frozen=True)
class RolFilter:
    zaak: str | None = None
    betrokkene: str | None = None
    betrokkene_type: str | None = None
    roltypen: Sequence[str] | None = None
    """roltype uuids (from ``roltype`` or ``omschrijvingGeneriek``)."""
    identificatie: tuple[str, str, str] | None = None
    """(betrokkeneType, field, value) of ``betrokkeneIdentificatie__<type>__<field>``."""


def _readable(zaaktypes: Sequence[str] | None, allowed_levels: Mapping[str, Sequence[str]] | None) -> Any:
    """Cases of the given zaaktypes (None: all), each within the confidentiality its zaaktype allows."""
    conditions: list[Any] = []
    if zaaktypes is not None:
        conditions.append(zaken.c.zaaktype.in_(list(zaaktypes)))
    if allowed_levels:
        per_type = [and_(zaken.c.zaaktype == zaaktype, zaken.c.vertrouwelijkheidaanduiding.in_(list(levels)))
                    for zaaktype, levels in allowed_levels.items() if zaaktype != "*"]
        default = allowed_levels.get("*")
        if default is not None:
            per_type.append(and_(zaken.c.zaaktype.not_in([z for z in allowed_levels if z != "*"]),
                                 zaken.c.vertrouwelijkheidaanduiding.in_(list(default))))
        conditions.append(or_(*per_type) if per_type else false())
    return and_(true(), *conditions)


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
        self.conn.execute(_insert_zaak, {"uuid": zaak.uuid, "created_at": now, **_zaak_values(zaak)})

    def save(self, zaak: Zaak) -> None:
        self.conn.execute(_update_zaak, {"zaak_uuid": zaak.uuid, **_zaak_values(zaak)})

    def remove(self, zaak_uuid: str) -> None:
        """The case and everything of it: statuses, result, roles, the public-reaction note; its
        deelzaken no longer point at it."""
        for table in (zaak_statussen, zaak_resultaten, zaak_rollen, public_reactions):
            self.conn.execute(delete(table).where(table.c.zaak == zaak_uuid))
        self.conn.execute(update(zaken).where(zaken.c.hoofdzaak == zaak_uuid).values(hoofdzaak=None))
        self.conn.execute(delete(zaken).where(zaken.c.uuid == zaak_uuid))

    def deelzaken_of(self, zaak_uuid: str) -> list[str]:
        return [r[0] for r in self.conn.execute(select(zaken.c.uuid).where(zaken.c.hoofdzaak == zaak_uuid)
                                                .order_by(zaken.c.created_at, zaken.c.uuid))]

    def get(self, zaak_uuid: str) -> Zaak | None:
        row = self.conn.execute(_zaak_by_uuid, {"zaak_uuid": zaak_uuid}).first()
        return _zaak(row) if row else None

    def by_identificatie(self, identificatie: str) -> list[Zaak]:
        return [_zaak(r) for r in self.conn.execute(_zaken_by_identificatie, {"identificatie": identificatie})]

    def find(self, where: ZaakFilter, offset: int, limit: int) -> Page:
        query = select(zaken).where(_readable(where.zaaktypes, where.allowed_levels))
        for condition in where.conditions:
            query = query.where(_condition(ZAAK_COLUMNS[condition.field], condition.operator, condition.value))
        if where.identificatie is not None:
            query = query.where(zaken.c.identificatie == where.identificatie)
        if where.bronorganisatie is not None:
            query = query.where(zaken.c.bronorganisatie == where.bronorganisatie)
        if where.zaaktype is not None:
            query = query.where(zaken.c.zaaktype == where.zaaktype)
        if where.rol_zaken is not None:
            query = query.where(zaken.c.uuid.in_(list(where.rol_zaken)))
        order = []
        for key, descending in where.ordering:
            column = ZAAK_ORDERING.get(key)
            if column is not None:
                order.append(column.desc() if descending else column.asc())
        query = query.order_by(*order, zaken.c.created_at, zaken.c.identificatie, zaken.c.uuid)
        return Page(self._count(query), [_zaak(r) for r in self.conn.execute(query.offset(offset).limit(limit))])

    def zaken_with_rol(self, betrokkene_type: str | None, betrokkene: str | None, roltypen: Sequence[str] | None,
                       identificatie: tuple[str, str, str] | None) -> list[str]:
        """Cases with a rol matching every given part; ``identificatie`` is (betrokkeneType, key,
        value) of a field of betrokkeneIdentificatie (compared in Python: it is JSON)."""
        query = select(zaak_rollen)
        if betrokkene_type is not None:
            query = query.where(zaak_rollen.c.betrokkene_type == betrokkene_type)
        if betrokkene is not None:
            query = query.where(zaak_rollen.c.betrokkene == betrokkene)
        if roltypen is not None:
            query = query.where(zaak_rollen.c.roltype.in_(list(roltypen)))
        found = []
        for row in self.conn.execute(query):
            if identificatie is not None:
                kind, key, value = identificatie
                given = (row.attributes or {}).get("betrokkeneIdentificatie") or {}
                if row.betrokkene_type != kind or given.get(key) != value:
                    continue
            found.append(row.zaak)
        return found

    def _count(self, query: Select[Any]) -> int:
        return int(self.conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())

    # -- statussen

    def add_status(self, status: Status, now: datetime) -> None:
        self.conn.execute(_insert_status, {
            "uuid": status.uuid, "zaak": status.zaak, "statustype": status.statustype,
            "datum_status_gezet": status.datum_status_gezet, "statustoelichting": status.statustoelichting,
            "created_at": now, "gezetdoor": status.gezetdoor,
        })

    def status(self, status_uuid: str) -> Status | None:
        row = self.conn.execute(_status_by_uuid, {"status_uuid": status_uuid}).first()
        return _status(row) if row else None

    def statussen_of(self, zaak_uuid: str) -> list[Status]:
        return [_status(r) for r in self.conn.execute(_statussen_of, {"zaak_uuid": zaak_uuid})]

    def find_statussen(self, readable: ZaakFilter, zaak_uuid: str | None, statustype: str | None,
                       offset: int, limit: int) -> Page:
        query = (select(zaak_statussen).join(zaken, zaken.c.uuid == zaak_statussen.c.zaak)
                 .where(_readable(readable.zaaktypes, readable.allowed_levels)))
        if zaak_uuid is not None:
            query = query.where(zaak_statussen.c.zaak == zaak_uuid)
        if statustype is not None:
            query = query.where(zaak_statussen.c.statustype == statustype)
        return Page(self._count(query), [_status(r) for r in self.conn.execute(
            query.order_by(zaak_statussen.c.datum_status_gezet, zaak_statussen.c.created_at, zaak_statussen.c.uuid)
            .offset(offset).limit(limit))])

    # -- resultaten

    def add_resultaat(self, resultaat: Resultaat, now: datetime) -> None:
        self.conn.execute(_insert_resultaat, {
            "uuid": resultaat.uuid, "zaak": resultaat.zaak, "resultaattype": resultaat.resultaattype,
            "toelichting": resultaat.toelichting, "created_at": now,
        })

    def save_resultaat(self, resultaat: Resultaat) -> None:
        self.conn.execute(update(zaak_resultaten).where(zaak_resultaten.c.uuid == resultaat.uuid).values(
            resultaattype=resultaat.resultaattype, toelichting=resultaat.toelichting))

    def remove_resultaat(self, resultaat_uuid: str) -> None:
        self.conn.execute(delete(zaak_resultaten).where(zaak_resultaten.c.uuid == resultaat_uuid))

    def resultaat(self, resultaat_uuid: str) -> Resultaat | None:
        row = self.conn.execute(_resultaat_by_uuid, {"resultaat_uuid": resultaat_uuid}).first()
        return _resultaat(row) if row else None

    def find_resultaten(self, readable: ZaakFilter, zaak_uuid: str | None, resultaattype: str | None,
                        offset: int, limit: int) -> Page:
        query = (select(zaak_resultaten).join(zaken, zaken.c.uuid == zaak_resultaten.c.zaak)
                 .where(_readable(readable.zaaktypes, readable.allowed_levels)))
        if zaak_uuid is not None:
            query = query.where(zaak_resultaten.c.zaak == zaak_uuid)
        if resultaattype is not None:
            query = query.where(zaak_resultaten.c.resultaattype == resultaattype)
        return Page(self._count(query), [_resultaat(r) for r in self.conn.execute(
            query.order_by(zaak_resultaten.c.created_at, zaak_resultaten.c.uuid).offset(offset).limit(limit))])

    # -- rollen

    def add_rol(self, rol: Rol) -> None:
        self.conn.execute(_insert_rol, {
            "uuid": rol.uuid, "zaak": rol.zaak, "roltype": rol.roltype, "betrokkene_type": rol.betrokkene_type,
            "roltoelichting": rol.roltoelichting, "address_hash": rol.address_hash,
            "postcode_digits": rol.postcode_digits, "emailadres": rol.emailadres,
            "registratiedatum": rol.registratiedatum, "betrokkene": rol.betrokkene,
            "attributes": dict(rol.attributes),
        })

    def rol(self, rol_uuid: str) -> Rol | None:
        row = self.conn.execute(_rol_by_uuid, {"rol_uuid": rol_uuid}).first()
        return _rol(row) if row else None

    def rollen_of(self, zaak_uuid: str) -> list[Rol]:
        return [_rol(r) for r in self.conn.execute(_rollen_of, {"zaak_uuid": zaak_uuid})]

    def find_rollen(self, readable: ZaakFilter, where: RolFilter, offset: int, limit: int) -> Page:
        query = (select(zaak_rollen).join(zaken, zaken.c.uuid == zaak_rollen.c.zaak)
                 .where(_readable(readable.zaaktypes, readable.allowed_levels)))
        if where.zaak is not None:
            query = query.where(zaak_rollen.c.zaak == where.zaak)
        if where.betrokkene is not None:
            query = query.where(zaak_rollen.c.betrokkene == where.betrokkene)
        if where.betrokkene_type is not None:
            query = query.where(zaak_rollen.c.betrokkene_type == where.betrokkene_type)
        if where.roltypen is not None:
            query = query.where(zaak_rollen.c.roltype.in_(list(where.roltypen)))
        query = query.order_by(zaak_rollen.c.registratiedatum, zaak_rollen.c.uuid)
        if where.identificatie is None:
            return Page(self._count(query), [_rol(r) for r in self.conn.execute(query.offset(offset).limit(limit))])
        kind, key, value = where.identificatie  # JSON: compared here, on the rows the rest let through
        matching = [rol for rol in map(_rol, self.conn.execute(query)) if rol.betrokkene_type == kind
                    and (rol.attributes.get("betrokkeneIdentificatie") or {}).get(key) == value]
        return Page(len(matching), matching[offset:offset + limit])

    def remove_rol(self, rol_uuid: str) -> None:
        self.conn.execute(delete(zaak_rollen).where(zaak_rollen.c.uuid == rol_uuid))

    # -- public reactions

    def add_public_reaction(self, zaak_uuid: str, location: str, kind: str, device_id: str | None,
                            now: datetime) -> None:
        self.conn.execute(_insert_reaction, {"zaak": zaak_uuid, "location": location, "kind": kind,
                                             "device_id": device_id, "created_at": now})
