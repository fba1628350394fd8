"""A visit of several services on one ticket: finishing one sends the ticket to the next queue,
a transfer replaces the current service, a desk may add one (three at most), and a no-show or a
cancel ends the whole visit."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from queue_ticketing.domain import tickets
from queue_ticketing.domain.errors import IllegalTransition
from queue_ticketing.domain.tickets import MAX_SERVICES, Step, Ticket, TicketStatus, TimelineEntry

from .builders import NOW, a_ticket

LATER = NOW + timedelta(minutes=12)


def a_visit(*services: str, waited_minutes: float = 5) -> Ticket:
    ticket = a_ticket(services[0], waited_minutes=waited_minutes)
    return replace(ticket, services=services)


def at_desk(ticket: Ticket) -> Ticket:
    return tickets.start(tickets.call(ticket, "balie-1", NOW), NOW)


def test_a_ticket_of_one_service_has_that_service_as_its_whole_visit() -> None:
    ticket = a_ticket("paspoort")
    assert (ticket.services, ticket.service_index, ticket.next_services) == (("paspoort",), 0, ())


def test_the_current_service_must_be_the_visit_s_entry_at_its_index() -> None:
    with pytest.raises(ValueError):
        replace(a_ticket("paspoort"), services=("rijbewijs", "paspoort"))


def test_finishing_a_service_with_a_next_one_queues_the_ticket_for_it_by_the_end_of_the_service() -> None:
    visit = at_desk(a_visit("paspoort", "verhuizing"))
    moved = tickets.finish(visit, LATER)
    assert (moved.status, moved.service, moved.service_index, moved.desk) == (
        TicketStatus.WAITING, "verhuizing", 1, None)
    assert moved.queued_at == LATER
    assert (moved.id, moved.number, moved.issued_at) == (visit.id, visit.number, visit.issued_at)
    assert moved.timeline[-2:] == (TimelineEntry(Step.DONE, LATER, "balie-1", "paspoort"),
                                   TimelineEntry(Step.NEXT_SERVICE, LATER, None, "verhuizing"))
    assert moved.next_services == ()


def test_a_location_may_queue_the_next_service_by_the_visitor_s_arrival() -> None:
    visit = at_desk(a_visit("paspoort", "verhuizing", waited_minutes=30))
    moved = tickets.finish(visit, LATER, next_by_arrival=True)
    assert moved.queued_at == visit.issued_at


def test_finishing_the_last_service_ends_the_visit() -> None:
    visit = at_desk(a_visit("paspoort", "verhuizing"))
    second = at_desk(tickets.finish(visit, LATER))
    done = tickets.finish(second, LATER + timedelta(minutes=5))
    assert (done.status, done.service, done.service_index) == (TicketStatus.DONE, "verhuizing", 1)
    assert [e.step for e in done.timeline].count(Step.DONE) == 2


def test_a_transfer_replaces_the_current_service_and_keeps_the_next_ones() -> None:
    moved = tickets.transfer(at_desk(a_visit("paspoort", "verhuizing")), "identiteitskaart", LATER)
    assert (moved.service, moved.services, moved.service_index) == (
        "identiteitskaart", ("identiteitskaart", "verhuizing"), 0)


def test_a_transfer_to_a_service_still_to_come_is_refused() -> None:
    with pytest.raises(IllegalTransition, match="already has verhuizing next"):
        tickets.transfer(a_visit("paspoort", "verhuizing"), "verhuizing", LATER)


def test_a_transfer_of_the_second_service_replaces_that_one() -> None:
    second = tickets.finish(at_desk(a_visit("paspoort", "verhuizing")), LATER)
    moved = tickets.transfer(second, "uittreksel", LATER)
    assert (moved.services, moved.service_index, moved.service) == (("paspoort", "uittreksel"), 1, "uittreksel")


@pytest.mark.parametrize("status", [TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING])
def test_a_service_is_added_at_the_end_of_the_visit(status: TicketStatus) -> None:
    ticket = a_ticket("paspoort")
    if status is not TicketStatus.WAITING:
        ticket = tickets.call(ticket, "balie-1", NOW)
    if status is TicketStatus.SERVING:
        ticket = tickets.start(ticket, NOW)
    added = tickets.add_service(ticket, "verhuizing", LATER)
    assert (added.services, added.service, added.status, added.timeline) == (
        ("paspoort", "verhuizing"), "paspoort", status, ticket.timeline)


def test_a_visit_holds_at_most_three_services() -> None:
    full = a_visit("paspoort", "verhuizing", "informatie")
    assert len(full.services) == MAX_SERVICES == 3
    with pytest.raises(IllegalTransition, match="already has 3 services"):
        tickets.add_service(full, "rijbewijs", LATER)


@pytest.mark.parametrize("service", ["paspoort", "verhuizing"])
def test_a_service_already_current_or_to_come_is_not_added_twice(service: str) -> None:
    with pytest.raises(IllegalTransition, match=f"already has {service}"):
        tickets.add_service(a_visit("paspoort", "verhuizing"), service, LATER)


def test_a_service_done_earlier_in_the_visit_may_be_added_again() -> None:
    second = tickets.finish(at_desk(a_visit("paspoort", "verhuizing")), LATER)
    again = tickets.add_service(second, "paspoort", LATER)
    assert again.next_services == ("paspoort",)


def test_a_finished_visit_takes_no_more_services() -> None:
    done = tickets.finish(at_desk(a_ticket("paspoort")), LATER)
    with pytest.raises(IllegalTransition, match="is done"):
        tickets.add_service(done, "verhuizing", LATER)


def test_a_no_show_ends_the_whole_visit() -> None:
    called = tickets.call(a_visit("paspoort", "verhuizing"), "balie-1", NOW)
    gone = tickets.no_show(called, LATER)
    assert (gone.status, gone.service) == (TicketStatus.NO_SHOW, "paspoort")
    with pytest.raises(IllegalTransition):
        tickets.call(gone, "balie-4", LATER)


def test_a_cancel_ends_the_whole_visit_even_between_its_services() -> None:
    second = tickets.finish(at_desk(a_visit("paspoort", "verhuizing")), LATER)
    cancelled = tickets.cancel(second, LATER)
    assert (cancelled.status, cancelled.service) == (TicketStatus.CANCELLED, "verhuizing")
