"""Case types (ZGW zaaktypen) with their status, result and role types: ``zaaktypes.toml``.

The Zaken API subset of the central service and the kiosk's case look-up read them through
:func:`load_zaaktypes`; like every loader here it raises :class:`ConfigError` listing every problem,
never a half-loaded catalogue.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from location_config.errors import ConfigError
from location_config.loader import StrPath, _parse, default_config_dir
from location_config.model import LANGUAGES
from location_config.toml_table import IDENTIFIER_RULE, ProblemLog, Table, is_identifier, suggestion
from location_config.translations import texts_per_language

ZAAKTYPES_FILE = "zaaktypes.toml"
PACKAGED_ZAAKTYPES = Path(__file__).parent / "data" / ZAAKTYPES_FILE

ROL_GENERIEK = ("adviseur", "behandelaar", "belanghebbende", "beslisser", "initiator", "klantcontacter",
                "zaakcoordinator", "mede_initiator")
"""ZGW's omschrijvingGeneriek of a roltype."""

VERTROUWELIJKHEIDAANDUIDINGEN = ("openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk", "vertrouwelijk",
                                  "confidentieel", "geheim", "zeer_geheim")
"""ZGW's levels of confidentiality, from the most open to the most secret."""

_DURATION = re.compile(r"^P(?:(?P<weeks>\d+)W|(?P<days>\d+)D)$")
_RSIN = re.compile(r"^\d{9}$")


@dataclass(frozen=True)
class Statustype:
    uuid: str
    volgnummer: int
    omschrijving: str
    statustekst: Mapping[str, str]
    """What a visitor reads, per language."""
    is_eindstatus: bool
    doorlooptijd_days: int | None = None

    def tekst(self, language: str) -> str:
        return self.statustekst.get(language) or self.statustekst["nl"]


@dataclass(frozen=True)
class Resultaattype:
    uuid: str
    omschrijving: str
    archiefnominatie: str | None = None
    """``blijvend_bewaren`` or ``vernietigen``: what happens to a case with this result."""
    archiefactietermijn_days: int | None = None
    """Days after the case's end before the archive action is due."""


@dataclass(frozen=True)
class Roltype:
    uuid: str
    omschrijving: str
    omschrijving_generiek: str


@dataclass(frozen=True)
class Zaaktype:
    id: str
    """Our short id (``publieksreactie``): in TOML, scopes and the CLI."""
    uuid: str
    identificatie: str
    omschrijving: str
    doorlooptijd_days: int
    servicenorm_days: int | None
    names: Mapping[str, str]
    statustypen: tuple[Statustype, ...]
    """In volgnummer order; the last one is the end status."""
    resultaattypen: tuple[Resultaattype, ...]
    roltypen: tuple[Roltype, ...]
    vertrouwelijkheidaanduiding: str = "zaakvertrouwelijk"
    """A new case's default level of confidentiality."""
    concept: bool = False
    """A draft type (in an external Catalogi API): no cases of it may be opened."""
    producten_of_diensten: tuple[str, ...] = ()
    catalogus_url: str | None = None
    """The Catalogi API the type lives in; None: this service's own embedded one."""

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["nl"]

    @property
    def first_status(self) -> Statustype:
        return self.statustypen[0]

    @property
    def initiator(self) -> Roltype:
        """The one initiator roltype (``zaaktypes.toml`` has exactly one; see ``initiators`` for others)."""
        return next(r for r in self.roltypen if r.omschrijving_generiek == "initiator")

    @property
    def initiators(self) -> tuple[Roltype, ...]:
        return tuple(r for r in self.roltypen if r.omschrijving_generiek == "initiator")

    @property
    def eindstatus(self) -> Statustype | None:
        return self.statustypen[-1] if self.statustypen else None

    def uiterlijke_einddatum(self, startdatum: date) -> date:
        return startdatum + timedelta(days=self.doorlooptijd_days)

    def expected_end(self, startdatum: date) -> date:
        """When the city promises to be done: the service norm if there is one, else the legal term."""
        return startdatum + timedelta(days=self.servicenorm_days or self.doorlooptijd_days)


@dataclass(frozen=True)
class ZaakCatalogue:
    catalogus: str
    """Base URL of the Catalogi API the types belong to."""
    bronorganisatie: str
    zaaktypes: Mapping[str, Zaaktype]

    def url(self, kind: str, uuid_: str) -> str:
        """``kind`` is ``zaaktypen``, ``statustypen``, ``resultaattypen`` or ``roltypen``."""
        return f"{self.catalogus}/{kind}/{uuid_}"

    def zaaktype(self, zaaktype_id: str) -> Zaaktype | None:
        return self.zaaktypes.get(zaaktype_id)

    def by_uuid(self, uuid_: str) -> Zaaktype | None:
        return next((z for z in self.zaaktypes.values() if z.uuid == uuid_), None)

    def statustype(self, uuid_: str) -> tuple[Zaaktype, Statustype] | None:
        for zaaktype in self.zaaktypes.values():
            for statustype in zaaktype.statustypen:
                if statustype.uuid == uuid_:
                    return zaaktype, statustype
        return None

    def resultaattype(self, uuid_: str) -> tuple[Zaaktype, Resultaattype] | None:
        for zaaktype in self.zaaktypes.values():
            for resultaattype in zaaktype.resultaattypen:
                if resultaattype.uuid == uuid_:
                    return zaaktype, resultaattype
        return None

    def roltype(self, uuid_: str) -> tuple[Zaaktype, Roltype] | None:
        for zaaktype in self.zaaktypes.values():
            for roltype in zaaktype.roltypen:
                if roltype.uuid == uuid_:
                    return zaaktype, roltype
        return None


def load_zaaktypes(path: StrPath | None = None) -> ZaakCatalogue:
    """The case types of a file (default: ``zaaktypes.toml`` in the config dir)."""
    file = Path(path) if path is not None else default_config_dir() / ZAAKTYPES_FILE
    log = ProblemLog(file)
    document = _parse(file, log)
    catalogue = read_zaaktypes(document, log) if document is not None else None
    if log.problems or catalogue is None:
        raise ConfigError(log.problems)
    return catalogue


def read_zaaktypes(document: Mapping[str, object], log: ProblemLog) -> ZaakCatalogue | None:
    root = Table(document, "", log)
    catalogus = root.text("catalogus")
    if catalogus is not None and not catalogus.startswith(("https://", "http://")):
        root.problem("catalogus", f"must be the base URL of a Catalogi API (https://...), got {catalogus!r}")
        catalogus = None
    bronorganisatie = _rsin(root, "bronorganisatie")
    types_table = root.table("zaaktypes")
    root.finish()
    if types_table is None:
        return None
    if not types_table.data:
        types_table.problem(None, "no case types; add [zaaktypes.<id>] tables")
    zaaktypes: dict[str, Zaaktype] = {}
    uuids: dict[str, str] = {}
    for zaaktype_id, _value in types_table.entries():
        if not is_identifier(zaaktype_id):
            types_table.problem(zaaktype_id, f"{zaaktype_id!r} is not a valid case type id ({IDENTIFIER_RULE})")
            continue
        table = types_table.table(zaaktype_id)
        zaaktype = _read_zaaktype(zaaktype_id, table, uuids) if table is not None else None
        if zaaktype is not None:
            zaaktypes[zaaktype_id] = zaaktype
    if catalogus is None or bronorganisatie is None or log.problems:
        return None
    return ZaakCatalogue(catalogus.rstrip("/"), bronorganisatie, zaaktypes)


def is_rsin(value: str) -> bool:
    """Nine digits passing the elfproef, as ZGW checks bronorganisatie and verantwoordelijkeOrganisatie."""
    if not _RSIN.match(value):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:8], range(9, 1, -1), strict=True))
    return (total - int(value[8])) % 11 == 0


def duration_days(text: str) -> int | None:
    """Days of an ISO 8601 duration in days or weeks (``P42D``, ``P6W``), else None."""
    match = _DURATION.match(text)
    if match is None:
        return None
    return int(match["weeks"]) * 7 if match["weeks"] else int(match["days"])


def _rsin(table: Table, key: str) -> str | None:
    value = table.text(key)
    if value is not None and not is_rsin(value):
        table.problem(key, f"{value!r} is not an RSIN (9 digits passing the elfproef)")
        return None
    return value


def _uuid(table: Table, uuids: dict[str, str]) -> str | None:
    value = table.text("uuid")
    if value is None:
        return None
    try:
        canonical = str(uuid.UUID(value))
    except ValueError:
        table.problem("uuid", f"{value!r} is not a UUID (like 72d003c8-1bcd-4d63-b57b-c5d6f621b965)")
        return None
    table.report_duplicate("uuid", canonical, uuids, "uuid")
    return canonical


def _duration(table: Table, key: str, *, required: bool) -> int | None:
    value = table.text(key, required=required)
    if value is None:
        return None
    days = duration_days(value)
    if days is None or days < 1:
        table.problem(key, f"expected a duration in days or weeks such as 'P42D' or 'P6W', got {value!r}")
        return None
    return days


def _read_zaaktype(zaaktype_id: str, table: Table, uuids: dict[str, str]) -> Zaaktype | None:
    uuid_ = _uuid(table, uuids)
    identificatie = table.text("identificatie")
    omschrijving = table.text("omschrijving")
    if omschrijving is not None and len(omschrijving) > 80:
        table.problem("omschrijving", f"at most 80 characters (ZGW), got {len(omschrijving)}")
    doorlooptijd = _duration(table, "doorlooptijd", required=True)
    servicenorm = _duration(table, "servicenorm", required=False)
    if doorlooptijd is not None and servicenorm is not None and servicenorm > doorlooptijd:
        table.problem("servicenorm", "the service norm is a promise within the legal term (doorlooptijd); "
                                     f"{servicenorm} days is longer than {doorlooptijd}")
    vertrouwelijk = table.text("vertrouwelijkheidaanduiding", required=False) or "zaakvertrouwelijk"
    if vertrouwelijk not in VERTROUWELIJKHEIDAANDUIDINGEN:
        table.problem("vertrouwelijkheidaanduiding", f"{vertrouwelijk!r} is not one of ZGW's ("
                      f"{', '.join(VERTROUWELIJKHEIDAANDUIDINGEN)})" + suggestion(vertrouwelijk,
                                                                                 VERTROUWELIJKHEIDAANDUIDINGEN))
    names = texts_per_language(table, "names", LANGUAGES)
    statustypen = _read_statustypen(table, uuids)
    resultaattypen = _read_resultaattypen(table, uuids)
    roltypen = _read_roltypen(table, uuids)
    table.finish()
    if None in (uuid_, identificatie, omschrijving, doorlooptijd, names) or not (
            statustypen and resultaattypen and roltypen):
        return None
    assert uuid_ and identificatie and omschrijving and doorlooptijd and names
    return Zaaktype(id=zaaktype_id, uuid=uuid_, identificatie=identificatie, omschrijving=omschrijving,
                    doorlooptijd_days=doorlooptijd, servicenorm_days=servicenorm, names=names,
                    statustypen=tuple(statustypen), resultaattypen=tuple(resultaattypen), roltypen=tuple(roltypen),
                    vertrouwelijkheidaanduiding=vertrouwelijk)


def _read_resultaattypen(owner: Table, uuids: dict[str, str]) -> list[Resultaattype]:
    resultaattypen: list[Resultaattype] = []
    tables = owner.tables("resultaattypen")
    if not tables and "resultaattypen" in owner.data:
        owner.problem("resultaattypen", "at least one [[resultaattypen]]: the end status needs a result")
    for table in tables:
        uuid_ = _uuid(table, uuids)
        omschrijving = table.text("omschrijving")
        table.finish()
        if uuid_ and omschrijving:
            resultaattypen.append(Resultaattype(uuid_, omschrijving))
    return resultaattypen


def _read_statustypen(owner: Table, uuids: dict[str, str]) -> list[Statustype]:
    found: list[tuple[str, int, str, dict[str, str], int | None]] = []
    numbers: dict[int, str] = {}
    tables = owner.tables("statustypen")
    if not tables and "statustypen" in owner.data:
        owner.problem("statustypen", "at least one [[statustypen]]")
    for table in tables:
        uuid_ = _uuid(table, uuids)
        volgnummer = table.integer("volgnummer", minimum=1)
        if volgnummer is not None:
            table.report_duplicate("volgnummer", volgnummer, numbers, "volgnummer")
        omschrijving = table.text("omschrijving")
        statustekst = texts_per_language(table, "statustekst", LANGUAGES)
        doorlooptijd = _duration(table, "doorlooptijd", required=False)
        table.finish()
        if uuid_ and volgnummer is not None and omschrijving and statustekst:
            found.append((uuid_, volgnummer, omschrijving, statustekst, doorlooptijd))
    found.sort(key=lambda s: s[1])
    last = found[-1][1] if found else None
    return [Statustype(u, v, o, t, v == last, d) for u, v, o, t, d in found]


def _read_roltypen(owner: Table, uuids: dict[str, str]) -> list[Roltype]:
    roltypen: list[Roltype] = []
    for table in owner.tables("roltypen"):
        uuid_ = _uuid(table, uuids)
        omschrijving = table.text("omschrijving")
        generiek = table.text("omschrijvingGeneriek")
        if generiek is not None and generiek not in ROL_GENERIEK:
            table.problem("omschrijvingGeneriek", f"{generiek!r} is not one of ZGW's ({', '.join(ROL_GENERIEK)})"
                          + suggestion(generiek, ROL_GENERIEK))
            generiek = None
        table.finish()
        if uuid_ and omschrijving and generiek:
            roltypen.append(Roltype(uuid_, omschrijving, generiek))
    initiators = sum(r.omschrijving_generiek == "initiator" for r in roltypen)
    if initiators != 1 and "roltypen" in owner.data:
        owner.problem("roltypen", f"exactly one roltype with omschrijvingGeneriek = 'initiator', found {initiators}")
        return []
    return roltypen
