"""A ticket's life: waiting → called → serving → done, or no-show, cancelled, transferred, requeued.

Each transition returns a new ticket with exactly one more timeline entry; a wrong one raises
``IllegalTransition`` with a sentence a clerk understands.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from queue_ticketing.domain import tickets
from queue_ticketing.domain.errors import IllegalTransition
from queue_ticketing.domain.tickets import Step, Ticket, TicketStatus, TimelineEntry

from .builders import NOW, a_ticket

LATER = NOW + timedelta(minutes=7)


def called_ticket() -> Ticket:
    return tickets.call(a_ticket(number="P001"), "balie-3", NOW)


def serving_ticket() -> Ticket:
    return tickets.start(called_ticket(), NOW)


# --- legal transitions ------------------------------------------------------------------------


def test_calling_a_waiting_ticket_sends_it_to_that_desk() -> None:
    called = tickets.call(a_ticket(), "balie-3", NOW)
    assert called.status is TicketStatus.CALLED
    assert called.desk == "balie-3"


def test_recalling_a_called_ticket_keeps_it_called_at_the_same_desk() -> None:
    recalled = tickets.recall(called_ticket(), LATER)
    assert recalled.status is TicketStatus.CALLED
    assert recalled.desk == "balie-3"
    assert recalled.last(Step.RECALLED) == TimelineEntry(Step.RECALLED, LATER, "balie-3", "paspoort")


def test_starting_a_called_ticket_means_the_desk_is_serving_it() -> None:
    assert tickets.start(called_ticket(), LATER).status is TicketStatus.SERVING


def test_a_ticket_being_served_can_be_finished() -> None:
    assert tickets.finish(serving_ticket(), LATER).status is TicketStatus.DONE


def test_a_called_ticket_can_be_finished_without_being_started() -> None:
    assert tickets.finish(called_ticket(), LATER).status is TicketStatus.DONE


def test_a_called_visitor_who_does_not_come_is_a_no_show() -> None:
    assert tickets.no_show(called_ticket(), LATER).status is TicketStatus.NO_SHOW


@pytest.mark.parametrize("ticket", [a_ticket(), called_ticket(), serving_ticket()],
                         ids=["waiting", "called", "serving"])
def test_a_ticket_that_is_not_closed_can_be_cancelled(ticket: Ticket) -> None:
    assert tickets.cancel(ticket, LATER).status is TicketStatus.CANCELLED


def test_a_transferred_ticket_keeps_its_id_number_and_place_in_time() -> None:
    original = a_ticket("paspoort", waited_minutes=12)
    serving = tickets.start(tickets.call(original, "balie-3", NOW), NOW)
    transferred = tickets.transfer(serving, "rijbewijs", LATER)
    assert (transferred.id, transferred.number, transferred.queued_at, transferred.issued_at) == (
        original.id, original.number, original.queued_at, original.issued_at)


def test_a_transferred_ticket_waits_again_for_the_new_service_without_a_desk() -> None:
    transferred = tickets.transfer(serving_ticket(), "rijbewijs", LATER)
    assert transferred.status is TicketStatus.WAITING
    assert transferred.service == "rijbewijs"
    assert transferred.desk is None


def test_the_transfer_entry_names_the_desk_it_came_from_and_the_new_service() -> None:
    transferred = tickets.transfer(serving_ticket(), "rijbewijs", LATER)
    assert transferred.timeline[-1] == TimelineEntry(Step.TRANSFERRED, LATER, "balie-3", "rijbewijs")


def test_a_waiting_ticket_can_be_transferred_to_another_service() -> None:
    transferred = tickets.transfer(a_ticket("paspoort"), "rijbewijs", LATER)
    assert (transferred.status, transferred.service) == (TicketStatus.WAITING, "rijbewijs")


def test_requeueing_puts_a_called_ticket_back_in_line_at_its_old_place() -> None:
    original = a_ticket(waited_minutes=20)
    requeued = tickets.requeue(tickets.call(original, "balie-3", NOW), LATER)
    assert requeued.status is TicketStatus.WAITING
    assert requeued.desk is None
    assert requeued.queued_at == original.queued_at


def test_marking_a_waiting_ticket_as_priority_gives_it_priority() -> None:
    marked = tickets.mark_priority(a_ticket(), LATER)
    assert marked.priority is True
    assert marked.timeline[-1] == TimelineEntry(Step.PRIORITY, LATER, None, "paspoort")


def test_marking_priority_twice_changes_nothing_the_second_time() -> None:
    once = tickets.mark_priority(a_ticket(), NOW)
    assert tickets.mark_priority(once, LATER) is once


def test_a_transition_leaves_the_original_ticket_unchanged() -> None:
    waiting = a_ticket()
    tickets.call(waiting, "balie-3", NOW)
    assert waiting.status is TicketStatus.WAITING
    assert waiting.timeline == ()


TRANSITIONS: list[tuple[str, Callable[[], Ticket], Callable[[Ticket], Ticket], Step, str | None]] = [
    ("call", a_ticket, lambda t: tickets.call(t, "balie-3", LATER), Step.CALLED, "balie-3"),
    ("recall", called_ticket, lambda t: tickets.recall(t, LATER), Step.RECALLED, "balie-3"),
    ("start", called_ticket, lambda t: tickets.start(t, LATER), Step.SERVING, "balie-3"),
    ("finish served", serving_ticket, lambda t: tickets.finish(t, LATER), Step.DONE, "balie-3"),
    ("finish called", called_ticket, lambda t: tickets.finish(t, LATER), Step.DONE, "balie-3"),
    ("no-show", called_ticket, lambda t: tickets.no_show(t, LATER), Step.NO_SHOW, "balie-3"),
    ("cancel waiting", a_ticket, lambda t: tickets.cancel(t, LATER), Step.CANCELLED, None),
    ("cancel serving", serving_ticket, lambda t: tickets.cancel(t, LATER), Step.CANCELLED, "balie-3"),
    ("transfer", serving_ticket, lambda t: tickets.transfer(t, "rijbewijs", LATER),
     Step.TRANSFERRED, "balie-3"),
    ("requeue", called_ticket, lambda t: tickets.requeue(t, LATER), Step.REQUEUED, "balie-3"),
    ("priority", a_ticket, lambda t: tickets.mark_priority(t, LATER), Step.PRIORITY, None),
]


@pytest.mark.parametrize(("build", "act", "step", "desk"), [t[1:] for t in TRANSITIONS],
                         ids=[t[0] for t in TRANSITIONS])
def test_every_transition_adds_exactly_one_timeline_entry_with_its_time_and_desk(
    build: Callable[[], Ticket], act: Callable[[Ticket], Ticket], step: Step, desk: str | None
) -> None:
    before = build()
    after = act(before)
    assert after.timeline[:-1] == before.timeline
    assert (after.timeline[-1].step, after.timeline[-1].at, after.timeline[-1].desk) == (step, LATER, desk)




# --- illegal transitions ----------------------------------------------------------------------


def test_finishing_a_waiting_ticket_says_it_was_never_called() -> None:
    with pytest.raises(IllegalTransition, match=r"^Ticket P001 is waiting; .*never called") as refused:
        tickets.finish(a_ticket(number="P001"), LATER)
    assert refused.value.code == "illegal_transition"
    assert refused.value.extra == {"ticket_status": "waiting"}


def test_calling_a_ticket_that_is_already_called_is_refused() -> None:
    with pytest.raises(IllegalTransition, match="is called; it cannot be called"):
        tickets.call(called_ticket(), "balie-4", LATER)


def test_recalling_a_waiting_ticket_is_refused() -> None:
    with pytest.raises(IllegalTransition, match=r"only a called ticket can be recalled"):
        tickets.recall(a_ticket(), LATER)




def test_starting_a_waiting_ticket_says_to_call_it_first() -> None:
    with pytest.raises(IllegalTransition, match=r"is waiting; .*call it to a desk first"):
        tickets.start(a_ticket(), LATER)




def test_a_waiting_ticket_cannot_be_a_no_show() -> None:
    with pytest.raises(IllegalTransition, match=r"is waiting; .*no-show"):
        tickets.no_show(a_ticket(), LATER)


def test_a_visitor_already_at_the_desk_cannot_be_a_no_show() -> None:
    with pytest.raises(IllegalTransition, match=r"is serving; .*no-show"):
        tickets.no_show(serving_ticket(), LATER)


def test_a_waiting_ticket_cannot_be_requeued() -> None:
    with pytest.raises(IllegalTransition, match=r"is waiting; it cannot be put back in the queue"):
        tickets.requeue(a_ticket(), LATER)




def test_a_ticket_at_a_desk_cannot_be_given_priority() -> None:
    with pytest.raises(IllegalTransition, match=r"is called; .*only a waiting ticket"):
        tickets.mark_priority(called_ticket(), LATER)


def test_transferring_to_the_service_the_ticket_already_has_is_refused() -> None:
    with pytest.raises(IllegalTransition, match="Ticket P001 is already for paspoort"):
        tickets.transfer(a_ticket("paspoort", number="P001"), "paspoort", LATER)


def closed(status: TicketStatus) -> Ticket:
    return {
        TicketStatus.DONE: lambda: tickets.finish(serving_ticket(), NOW),
        TicketStatus.NO_SHOW: lambda: tickets.no_show(called_ticket(), NOW),
        TicketStatus.CANCELLED: lambda: tickets.cancel(a_ticket(number="P001"), NOW),
    }[status]()


ANY_ACTION: dict[str, Callable[[Ticket, datetime], Ticket]] = {
    "call": lambda t, now: tickets.call(t, "balie-4", now),
    "transfer": lambda t, now: tickets.transfer(t, "rijbewijs", now),
    **tickets.ACTIONS,
}
CLOSED_WORDS = {
    TicketStatus.DONE: "done", TicketStatus.NO_SHOW: "no show", TicketStatus.CANCELLED: "cancelled",
}


@pytest.mark.parametrize("action", ANY_ACTION)
@pytest.mark.parametrize("status", [TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED])
def test_a_closed_ticket_can_never_change_again(status: TicketStatus, action: str) -> None:
    ticket = closed(status)
    with pytest.raises(IllegalTransition, match=rf"^Ticket P001 is {CLOSED_WORDS[status]}; it cannot be "):
        ANY_ACTION[action](ticket, LATER)
