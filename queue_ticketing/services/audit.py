"""Reading the audit trail: a location's records with filters, as rows or CSV, and the check of
the whole chain (``python -m queue_ticketing audit verify``)."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..domain.audit import AuditRecord, BrokenLink, first_broken_link
from ..store.unit_of_work import Stores

CSV_COLUMNS = ("seq", "at", "actor_kind", "actor_id", "actor_name", "role", "location", "action", "ticket_id",
               "ticket_number", "appointment_id", "case_id", "target", "hash")
MAX_ROWS = 10_000
"""Records in one answer at most (narrow the period for more)."""


@dataclass(frozen=True)
class AuditQuery:
    location: str | None
    since: datetime | None = None
    until: datetime | None = None
    actor: str | None = None
    action: str | None = None
    ticket_number: str | None = None
    ticket_id: str | None = None
    limit: int = MAX_ROWS


def day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """The start and end of a local day, for a day filter."""
    start = datetime.combine(day, time(), ZoneInfo(timezone))
    return start, start + timedelta(days=1)


def find(stores: Stores, query: AuditQuery) -> list[AuditRecord]:
    return stores.audit.find(location=query.location, since=query.since, until=query.until, actor=query.actor,
                             action=query.action, ticket_number=query.ticket_number, ticket_id=query.ticket_id,
                             limit=min(query.limit, MAX_ROWS))


def as_csv(records: Iterable[AuditRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for record in records:
        row = [getattr(record, column) for column in CSV_COLUMNS]
        row[1] = record.at.isoformat()
        writer.writerow(["" if value is None else _cell(str(value)) for value in row])
    return out.getvalue()


def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def as_json(record: AuditRecord) -> dict[str, object]:
    return {column: (record.at.isoformat() if column == "at" else getattr(record, column)) for column in CSV_COLUMNS}


def verify(stores: Stores) -> tuple[int, BrokenLink | None]:
    """How many records were checked, and the first broken link (None: the chain holds). Records
    older than the retention are deleted, so the chain is checked from the oldest one kept."""
    records = stores.audit.all()
    first = next(records, None)
    if first is None:
        return 0, None
    anchor = None if first.seq == 1 else (first.seq - 1, first.prev_hash)
    counted = 0

    def counting() -> Iterator[AuditRecord]:
        nonlocal counted
        for record in itertools.chain((first,), records):
            counted += 1
            yield record

    broken = first_broken_link(counting(), anchor)
    return counted, broken
