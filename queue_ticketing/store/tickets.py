"""Tickets and their timelines in the database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Row, and_, bindparam, func, insert, select, update

from ..domain.tickets import Channel, Step, Ticket, TicketKind, TicketStatus, TimelineEntry
from ..domain.wait_estimate import ServiceTime
from .schema import number_counters, ticket_steps, tickets, waiting_counters
from .statements import Prepared

WAITING = TicketStatus.WAITING.value
AT_DESK = [TicketStatus.CALLED.value, TicketStatus.SERVING.value]

# The statements of the issue and call transactions run prepared (straight on the driver).
_next_sequence = Prepared(upsert=lambda insert_: insert_(number_counters).values(
    location=bindparam("location"), letter=bindparam("letter"), business_day=bindparam("day"),
    last_sequence=bindparam("count"),
).on_conflict_do_update(
    index_elements=["location", "letter", "business_day"],
    set_={"last_sequence": number_counters.c.last_sequence + bindparam("count")},
).returning(number_counters.c.last_sequence))
_insert_ticket = Prepared(insert(tickets))
_insert_steps = Prepared(insert(ticket_steps), columns=["ticket_id", "location", "step", "at", "desk", "service"])
_save = Prepared(
    update(tickets)
    .where(and_(tickets.c.id == bindparam("ticket_id"), tickets.c.status == bindparam("before"),
                tickets.c.service_index == bindparam("before_index"),
                func.coalesce(tickets.c.services, tickets.c.service) == bindparam("before_services")))
    .values(status=bindparam("status"), service=bindparam("service"), desk=bindparam("desk"),
            priority=bindparam("priority"), queued_at=bindparam("queued_at"), services=bindparam("services"),
            service_index=bindparam("service_index"))
)
_by_id = select(tickets).where(tickets.c.id == bindparam("ticket_id"))
_steps_of = select(ticket_steps).where(ticket_steps.c.ticket_id == bindparam("ticket_id")).order_by(ticket_steps.c.id)
_waiting = select(tickets).where(and_(tickets.c.location == bindparam("location"), tickets.c.status == WAITING))
_waiting_for = _waiting.where(tickets.c.service.in_(bindparam("services", expanding=True)))
_at_desks = select(tickets).where(and_(tickets.c.location == bindparam("location"), tickets.c.status.in_(AT_DESK)))
_at_desk = _at_desks.where(tickets.c.desk == bindparam("desk"))
_count_waiting_priority = Prepared(select(func.count()).select_from(tickets).where(and_(
    tickets.c.location == bindparam("location"), tickets.c.service == bindparam("service"),
    tickets.c.status == WAITING, tickets.c.priority.is_(True))))
_waiting_summary = (
    select(tickets.c.service, func.count(), func.min(tickets.c.queued_at))
    .where(and_(tickets.c.location == bindparam("location"), tickets.c.status == WAITING))
    .group_by(tickets.c.service)
)
_count_waiting_in = Prepared(upsert=lambda insert_: insert_(waiting_counters).values(
    location=bindparam("location"), service=bindparam("service"), waiting=bindparam("change"),
).on_conflict_do_update(
    index_elements=["location", "service"],
    set_={"waiting": waiting_counters.c.waiting + bindparam("change")},
))
_waiting_counts = Prepared(select(waiting_counters.c.service, waiting_counters.c.waiting).where(and_(
    waiting_counters.c.location == bindparam("location"), waiting_counters.c.waiting > 0)))
_waiting_count = Prepared(select(waiting_counters.c.waiting).where(and_(
    waiting_counters.c.location == bindparam("location"), waiting_counters.c.service == bindparam("service"))))


class ConcurrentChange(Exception):
    """The ticket changed under us (another desk or host acted first)."""


SEPARATOR = ","
"""Between the service ids in ``tickets.services`` (ids are letters, digits, ``_`` and ``-``)."""


def _stored_services(ticket: Ticket) -> str:
    return SEPARATOR.join(ticket.services)


def _visit(row: Row) -> tuple[tuple[str, ...], int]:
    """A row's services and current index. NULL (a ticket from before migration 0014, or from the
    release before during an upgrade) is the one service; a current entry that a release before
    changed alone (a transfer) is taken from ``service``."""
    if not row.services:
        return (row.service,), 0
    services = tuple(row.services.split(SEPARATOR))
    index = row.service_index or 0
    if not 0 <= index < len(services):
        return (row.service,), 0
    if services[index] != row.service:
        services = (*services[:index], row.service, *services[index + 1:])
    return services, index


def _ticket(row: Row, timeline: tuple[TimelineEntry, ...] = ()) -> Ticket:
    services, index = _visit(row)
    return Ticket(
        id=row.id,
        location=row.location,
        service=row.service,
        services=services,
        service_index=index,
        number=row.number,
        business_day=row.business_day,
        kind=TicketKind(row.kind),
        channel=Channel(row.channel),
        language=row.language,
        status=TicketStatus(row.status),
        issued_at=row.issued_at,
        queued_at=row.queued_at,
        priority=row.priority,
        desk=row.desk,
        appointment_id=row.appointment_id,
        appointment_at=row.appointment_at,
        timeline=timeline,
        case_reference=row.case_reference,
    )


class TicketStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def next_sequence(self, location: str, letter: str, day: date, count: int = 1) -> int:
        """Reserve ``count`` numbers for this letter and day; returns the last one reserved.
        Atomic: the counter row is locked until the transaction ends, so numbers are gapless."""
        row = _next_sequence.one(self.conn, {"location": location, "letter": letter, "day": day, "count": count})
        assert row is not None
        return int(row[0])

    def add(self, ticket: Ticket, device_id: str | None = None) -> None:
        _insert_ticket.run(self.conn, {
            "id": ticket.id, "location": ticket.location, "service": ticket.service, "number": ticket.number,
            "business_day": ticket.business_day, "kind": ticket.kind.value, "channel": ticket.channel.value,
            "language": ticket.language, "status": ticket.status.value, "priority": ticket.priority,
            "desk": ticket.desk, "issued_at": ticket.issued_at, "queued_at": ticket.queued_at,
            "appointment_id": ticket.appointment_id, "appointment_at": ticket.appointment_at,
            "device_id": device_id, "case_reference": ticket.case_reference,
            "services": _stored_services(ticket), "service_index": ticket.service_index,
        })
        self._add_steps(ticket, ticket.timeline)
        if ticket.is_waiting:
            self._count_waiting_in(ticket.location, ticket.service, 1)

    def save(self, before: Ticket, after: Ticket) -> None:
        """Store a transition; refuses (ConcurrentChange) when the stored ticket is no longer
        in ``before``'s status, so two desks can never both move the same ticket."""
        changed = _save.run(self.conn, {
            "ticket_id": before.id, "before": before.status.value, "status": after.status.value,
            "before_index": before.service_index, "before_services": _stored_services(before),
            "service": after.service, "desk": after.desk, "priority": after.priority, "queued_at": after.queued_at,
            "services": _stored_services(after), "service_index": after.service_index,
        })
        if changed != 1:
            raise ConcurrentChange(before.id)
        self._add_steps(after, after.timeline[len(before.timeline):])
        change: Counter[str] = Counter()
        if before.is_waiting:
            change[before.service] -= 1
        if after.is_waiting:
            change[after.service] += 1
        for service in sorted(change):  # one order of row locks for every writer (PostgreSQL)
            if change[service]:
                self._count_waiting_in(before.location, service, change[service])

    def _count_waiting_in(self, location: str, service: str, change: int) -> None:
        """Keep ``waiting_counters`` in step with the tickets' statuses, in the same transaction."""
        _count_waiting_in.run(self.conn, {"location": location, "service": service, "change": change})

    def _add_steps(self, ticket: Ticket, entries: Sequence[TimelineEntry]) -> None:
        rows = [{"ticket_id": ticket.id, "location": ticket.location, "step": e.step.value, "at": e.at,
                 "desk": e.desk, "service": e.service} for e in entries]
        if len(rows) == 1:  # the usual case: one plain statement is cheaper than an executemany
            _insert_steps.run(self.conn, rows[0])
        elif rows:
            _insert_steps.run_many(self.conn, rows)

    def get(self, ticket_id: str, with_timeline: bool = True) -> Ticket | None:
        row = self.conn.execute(_by_id, {"ticket_id": ticket_id}).first()
        if row is None:
            return None
        timeline: tuple[TimelineEntry, ...] = ()
        if with_timeline:
            steps = self.conn.execute(_steps_of, {"ticket_id": ticket_id})
            timeline = tuple(TimelineEntry(Step(s.step), s.at, s.desk, s.service) for s in steps)
        return _ticket(row, timeline)

    def waiting(self, location: str, services: Sequence[str] | None = None) -> list[Ticket]:
        if services is None:
            rows = self.conn.execute(_waiting, {"location": location})
        else:
            rows = self.conn.execute(_waiting_for, {"location": location, "services": list(services)})
        return [_ticket(r) for r in rows]

    def at_desk(self, location: str, desk: str) -> list[Ticket]:
        """Tickets called to or being served at this desk."""
        return [_ticket(r) for r in self.conn.execute(_at_desk, {"location": location, "desk": desk})]

    def at_desks(self, location: str) -> list[Ticket]:
        return [_ticket(r) for r in self.conn.execute(_at_desks, {"location": location})]

    def count_waiting(self, location: str, service: str, priority_only: bool = False) -> int:
        query = _count_waiting_priority if priority_only else _waiting_count
        row = query.one(self.conn, {"location": location, "service": service})
        return int(row[0]) if row else 0

    def waiting_counts(self, location: str) -> dict[str, int]:
        """Per service with anyone waiting: how many wait (from ``waiting_counters``)."""
        return {service: int(n) for service, n in _waiting_counts.all(self.conn, {"location": location})}

    def waiting_summary(self, location: str) -> dict[str, tuple[int, datetime]]:
        """Per service: how many wait, and since when the longest-waiting one waits."""
        rows = self.conn.execute(_waiting_summary, {"location": location})
        return {service: (int(n), _aware(oldest)) for service, n, oldest in rows}

    def all_waiting_counts(self) -> dict[tuple[str, str], int]:
        rows = self.conn.execute(select(waiting_counters).where(waiting_counters.c.waiting > 0))
        return {(loc, service): int(n) for loc, service, n in rows}

    def recent_calls(self, location: str, limit: int = 8) -> list[tuple[str, str, str | None, datetime, str]]:
        """(number, service, desk, at, step) of the latest calls and recalls, newest first; the
        service is the one called for (a visit of several services is called once for each)."""
        rows = self.conn.execute(
            select(tickets.c.number, func.coalesce(ticket_steps.c.service, tickets.c.service).label("service"),
                   ticket_steps.c.desk, ticket_steps.c.at,
                   ticket_steps.c.step)
            .join(tickets, tickets.c.id == ticket_steps.c.ticket_id)
            .where(and_(ticket_steps.c.location == location,
                        ticket_steps.c.step.in_([Step.CALLED.value, Step.RECALLED.value])))
            .order_by(ticket_steps.c.id.desc())
            .limit(limit)
        )
        return [(r.number, r.service, r.desk, r.at, r.step) for r in rows]

    def service_times(self, location: str, since: datetime) -> list[ServiceTime]:
        """How long recent visits took at the desk: from the (last) call to done. A visit of several
        services is done once per service: each from its own last call before that done."""
        done = ticket_steps.alias("done")
        called = ticket_steps.alias("called")
        rows = self.conn.execute(
            select(done.c.service, done.c.at, func.max(called.c.at))
            .join(called, and_(called.c.ticket_id == done.c.ticket_id, called.c.step == Step.CALLED.value,
                               called.c.at <= done.c.at))
            .where(and_(done.c.location == location, done.c.step == Step.DONE.value, done.c.at >= since))
            .group_by(done.c.id, done.c.service, done.c.at)
        )
        return [ServiceTime(service, finished, (finished - _aware(called_at)).total_seconds() / 60)
                for service, finished, called_at in rows]


def _aware(value: datetime | str) -> datetime:
    """Aggregates (min, max) of UTC times: SQLite returns them as untyped text, PostgreSQL as datetimes."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
