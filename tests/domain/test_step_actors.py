"""Who took each step of a ticket: the record of its action written with it, at the same moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from queue_ticketing.domain.audit import AuditRecord, StepActor, step_actors

AT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
FATIMA = StepActor("person", "Fatima de Vries", "desk")
JAN = StepActor("person", "Jan Bakker", "desk")
KIOSK = StepActor("device", "kiosk-1", "kiosk")


def record(seq: int, action: str, kind: str, name: str, role: str | None, at: datetime = AT) -> AuditRecord:
    return AuditRecord(seq, at, kind, f"id-{seq}", name, role, "ijsselmonde", action, "t1", "P001", None, None,
                       None, "0" * 64)


def minutes(n: int) -> datetime:
    return AT + timedelta(minutes=n)


def test_repeated_steps_at_one_moment_take_their_records_in_order_and_a_step_without_one_has_no_actor():
    records = [record(4, "ticket.called", "person", "Fatima de Vries", "desk"),
               record(1, "ticket.issued", "device", "kiosk-1", "kiosk"),
               record(7, "ticket.called", "person", "Jan Bakker", "desk"),
               record(5, "ticket.requeued", "person", "Fatima de Vries", "desk"),
               record(9, "ticket.no_show", "system", "Gastvrij", None)]
    steps = ["issued", "called", "requeued", "called", "no_show", "done"]
    actors = step_actors([(step, AT) for step in steps], records)
    assert actors == [KIOSK, FATIMA, FATIMA, JAN, StepActor("system", "system", None), None]


def test_a_record_past_the_retention_leaves_its_step_without_an_actor_and_the_later_steps_with_theirs():
    records = [record(7, "ticket.called", "person", "Jan Bakker", "desk", minutes(10)),
               record(8, "ticket.finished", "person", "Jan Bakker", "desk", minutes(20))]  # the first call is gone
    steps = [("issued", AT), ("called", minutes(1)), ("requeued", minutes(2)), ("called", minutes(10)),
             ("done", minutes(20))]
    assert step_actors(steps, records) == [None, None, None, JAN, JAN]


def test_each_service_of_a_visit_is_finished_and_moved_on_by_whoever_finished_it():
    records = [record(1, "ticket.issued", "device", "kiosk-1", "kiosk"),
               record(2, "ticket.called", "person", "Fatima de Vries", "desk", minutes(1)),
               record(3, "ticket.finished", "person", "Fatima de Vries", "desk", minutes(5)),
               record(4, "ticket.called", "person", "Jan Bakker", "desk", minutes(6)),
               record(5, "ticket.finished", "person", "Jan Bakker", "desk", minutes(9))]
    steps = [("issued", AT), ("called", minutes(1)), ("done", minutes(5)), ("next_service", minutes(5)),
             ("called", minutes(6)), ("done", minutes(9))]
    assert step_actors(steps, records) == [KIOSK, FATIMA, FATIMA, FATIMA, JAN, JAN]


def test_an_offline_ticket_s_issue_is_recorded_when_it_is_handed_in_and_still_names_its_kiosk():
    records = [record(3, "ticket.issued", "device", "kiosk-1", "kiosk", minutes(40)),
               record(4, "ticket.called", "person", "Fatima de Vries", "desk", minutes(41))]
    assert step_actors([("issued", AT), ("called", minutes(41))], records) == [KIOSK, FATIMA]
