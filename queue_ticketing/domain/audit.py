"""The audit trail: who did what, where and when, to which ticket, appointment or case; append-only
and tamper evident.

Each record's ``hash`` is the SHA-256 of its content and the previous record's hash (the first
record's previous hash is :data:`GENESIS`), so changing, removing or inserting any stored record
breaks the chain from there on (:func:`first_broken_link`). A record names people, devices, desks
and ids, never a visitor's personal data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from .identity import Principal

GENESIS = "0" * 64

ACTIONS = (
    "ticket.issued", "ticket.called", "ticket.recalled", "ticket.started", "ticket.finished", "ticket.no_show",
    "ticket.cancelled", "ticket.requeued", "ticket.transferred", "ticket.priority", "ticket.service_added",
    "desk.opened", "desk.closed", "desk.taken", "assist.resolved", "robot.paused", "robot.resumed",
    "token.created", "token.revoked", "account.created", "account.disabled", "account.password_set",
    "account.second_factor_set",
    "zgw_client.changed", "sign_in", "sign_in.failed", "sign_out", "sign_out.everywhere",
)
"""Every action the trail records (the ticket actions as the desk names them, past tense)."""


@dataclass(frozen=True)
class AuditEntry:
    """What a unit of work records: the action and what it was done to (the actor is the unit's)."""

    action: str
    location: str | None
    ticket_id: str | None = None
    ticket_number: str | None = None
    appointment_id: str | None = None
    case_id: str | None = None
    target: str | None = None


@dataclass(frozen=True)
class Actor:
    kind: str
    id: str
    name: str
    role: str | None


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.subject.kind.value, principal.subject.id, principal.name, principal.role)


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: datetime
    actor_kind: str
    actor_id: str
    actor_name: str
    role: str | None
    location: str | None
    action: str
    ticket_id: str | None
    ticket_number: str | None
    appointment_id: str | None
    case_id: str | None
    target: str | None
    prev_hash: str
    hash: str = ""

    def content(self) -> bytes:
        """What the hash covers: every field but the hash itself, in a canonical form."""
        fields = asdict(self)
        fields.pop("hash")
        fields["at"] = self.at.astimezone(UTC).isoformat(timespec="microseconds")  # as stored, whatever the zone
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def sealed(self) -> AuditRecord:
        return replace(self, hash=hashlib.sha256(self.content()).hexdigest())

    @property
    def intact(self) -> bool:
        return self.sealed().hash == self.hash


def chain(head: tuple[int, str] | None, at: datetime, actor: Actor,
          entries: Iterable[AuditEntry]) -> list[AuditRecord]:
    """The records of ``entries`` appended after ``head`` (the last record's seq and hash)."""
    seq, prev = head or (0, GENESIS)
    records = []
    for entry in entries:
        seq += 1
        record = AuditRecord(seq, at, actor.kind, actor.id, actor.name, actor.role, entry.location, entry.action,
                             entry.ticket_id, entry.ticket_number, entry.appointment_id, entry.case_id,
                             entry.target, prev).sealed()
        records.append(record)
        prev = record.hash
    return records


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    why: str


def first_broken_link(records: Iterable[AuditRecord], after: tuple[int, str] | None = None) -> BrokenLink | None:
    """The first record, in order of ``seq``, whose hash is wrong, whose previous hash is not its
    predecessor's, or that does not follow its predecessor's number; None when the chain holds.
    ``after``: the seq and hash the records continue (records older than the retention are gone)."""
    expected_seq, prev = (after[0] + 1, after[1]) if after else (None, GENESIS)
    for record in records:
        if expected_seq is not None and record.seq != expected_seq:
            return BrokenLink(expected_seq, f"record {expected_seq} is missing (next is {record.seq})")
        if record.prev_hash != prev:
            return BrokenLink(record.seq, "its previous hash is not the hash of the record before it")
        if not record.intact:
            return BrokenLink(record.seq, "its content does not match its hash (the record was changed)")
        expected_seq, prev = record.seq + 1, record.hash
    return None


STEP_ACTIONS = {
    "issued": "ticket.issued", "called": "ticket.called", "recalled": "ticket.recalled",
    "serving": "ticket.started", "done": "ticket.finished", "no_show": "ticket.no_show",
    "cancelled": "ticket.cancelled", "transferred": "ticket.transferred", "requeued": "ticket.requeued",
    "priority": "ticket.priority", "next_service": "ticket.finished",
}
"""The audit trail's action that records each step of a ticket's timeline (a visit's next service
follows from the finish of the service before it)."""


@dataclass(frozen=True)
class StepActor:
    """Who took a step of a ticket, as staff see it: a person's display name, a device's name, or
    the service itself. A person's account id (an e-mail address) stays in the trail."""

    kind: str
    name: str
    role: str | None


def step_actors(steps: Iterable[tuple[str, datetime]], records: Iterable[AuditRecord]) -> list[StepActor | None]:
    """The actor of each step (its name and time, in timeline order): the record of its action for
    that ticket written with the step, in the same unit of work and so at the same moment; several
    alike at one moment (a fixed clock) in the trail's order. A ticket is issued once, so its issue
    is matched whatever the moment (an offline ticket's is recorded when it is handed in). None
    where the trail has no record (a record past the retention, a ticket from before the trail):
    a missing record never moves another step onto the wrong actor."""
    at_moment: dict[tuple[str, datetime | None], list[AuditRecord]] = {}
    for record in sorted(records, key=lambda r: r.seq):
        at_moment.setdefault((record.action, _moment(record.action, record.at)), []).append(record)
    taken: dict[tuple[str, datetime | None], int] = {}
    actors: list[StepActor | None] = []
    for step, at in steps:
        action = STEP_ACTIONS.get(step)
        if action is None:
            actors.append(None)
            continue
        moment = _moment(action, at)
        found = at_moment.get((action, moment), [])
        # Counted per step, not per action: a visit's next service shares its finish's record.
        index = taken.get((step, moment), 0)
        taken[(step, moment)] = index + 1
        if index >= len(found):
            actors.append(None)
            continue
        record = found[index]
        name = record.actor_name or record.actor_id
        actors.append(StepActor(record.actor_kind, name if record.actor_kind != "system" else "system", record.role))
    return actors


def _moment(action: str, at: datetime) -> datetime | None:
    """The moment a step and its record are matched on; none for the issue, which comes once."""
    return None if action == "ticket.issued" else at
