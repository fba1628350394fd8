"""Who took each step of a ticket: the n-th step of a kind is the n-th record of its action."""

from __future__ import annotations

from datetime import UTC, datetime

from queue_ticketing.domain.audit import AuditRecord, StepActor, step_actors

AT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def record(seq: int, action: str, kind: str, name: str, role: str | None) -> AuditRecord:
    return AuditRecord(seq, AT, kind, f"id-{seq}", name, role, "ijsselmonde", action, "t1", "P001", None, None,
                       None, "0" * 64)


def test_repeated_steps_take_their_records_in_order_and_a_step_without_one_has_no_actor():
    records = [record(4, "ticket.called", "person", "Fatima de Vries", "desk"),
               record(1, "ticket.issued", "device", "kiosk-1", "kiosk"),
               record(7, "ticket.called", "person", "Jan Bakker", "desk"),
               record(5, "ticket.requeued", "person", "Fatima de Vries", "desk"),
               record(9, "ticket.no_show", "system", "Gastvrij", None)]
    actors = step_actors(["issued", "called", "requeued", "called", "no_show", "done"], records)
    assert actors == [StepActor("device", "kiosk-1", "kiosk"), StepActor("person", "Fatima de Vries", "desk"),
                      StepActor("person", "Fatima de Vries", "desk"), StepActor("person", "Jan Bakker", "desk"),
                      StepActor("system", "system", None), None]
