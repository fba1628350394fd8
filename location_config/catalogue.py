"""The shared service catalogue (``services.toml``): every service a location may offer."""

from __future__ import annotations

import re
from collections.abc import Mapping

from location_config.model import LANGUAGES, Service
from location_config.toml_table import IDENTIFIER_RULE, ProblemLog, Table, is_identifier
from location_config.translations import lists_per_language, texts_per_language

_LETTER = re.compile(r"^[A-Z]$")


def read_catalogue(document: Mapping[str, object], log: ProblemLog) -> dict[str, Service]:
    """The services of a parsed catalogue, by id, in file order; problems go to ``log``."""
    root = Table(document, "", log)
    services_table = root.table("services")
    root.finish()
    if services_table is None:
        return {}
    if not services_table.data:
        services_table.problem(None, "the catalogue lists no services; add [services.<id>] tables")
    services: dict[str, Service] = {}
    letters: dict[str, str] = {}
    for service_id, _value in services_table.entries():
        if not is_identifier(service_id):
            services_table.problem(
                service_id, f"{service_id!r} is not a valid service id ({IDENTIFIER_RULE})"
            )
            continue
        table = services_table.table(service_id)
        service = _read_service(service_id, table) if table is not None else None
        if table is None or service is None:
            continue
        if service.letter in letters:
            table.problem(
                "letter",
                f"ticket letter {service.letter!r} is already used by {letters[service.letter]!r}; "
                "every service needs its own letter",
            )
        letters.setdefault(service.letter, service_id)
        services[service_id] = service
    return services


def _read_service(service_id: str, table: Table) -> Service | None:
    letter = table.text("letter")
    if letter is not None and not _LETTER.match(letter):
        table.problem("letter", f"must be a single upper-case letter A-Z, got {letter!r}")
        letter = None
    names = texts_per_language(table, "names", LANGUAGES)
    norm_minutes = table.integer("norm_minutes", minimum=1)
    norm_share = table.number("norm_share")
    if norm_share is not None and not 0 < norm_share <= 1:
        table.problem("norm_share", f"must be a share between 0 and 1 (0.8 = 80%), got {norm_share}")
        norm_share = None
    typical_minutes = table.number("typical_service_minutes")
    if typical_minutes is not None and typical_minutes <= 0:
        table.problem("typical_service_minutes", f"must be more than 0, got {typical_minutes}")
        typical_minutes = None
    walk_in = table.boolean("walk_in")
    appointment = table.boolean("appointment")
    if walk_in is False and appointment is False:
        table.problem(None, "walk_in and appointment are both false; visitors could never be served")
    bring = lists_per_language(table, "bring", LANGUAGES)
    table.finish()
    if (
        letter is None
        or names is None
        or norm_minutes is None
        or norm_share is None
        or typical_minutes is None
        or walk_in is None
        or appointment is None
        or not (walk_in or appointment)
    ):
        return None
    return Service(
        id=service_id,
        letter=letter,
        names=names,
        norm_minutes=norm_minutes,
        norm_share=norm_share,
        typical_service_minutes=typical_minutes,
        walk_in=walk_in,
        appointment=appointment,
        bring=bring or {},
    )
