"""The history simulator: the same seed gives the same visits, and every ticket's timeline is one the
domain's own lifecycle produces (visits of several services and transfers included)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from itertools import pairwise

import pytest

from location_config import Location, load_location
from queue_ticketing.domain import tickets as lifecycle
from queue_ticketing.domain.tickets import Step, Ticket, TicketKind, TicketStatus, TimelineEntry
from queue_ticketing.history_simulator import Arrival, History, simulate

FIRST, LAST = date(2026, 11, 2), date(2026, 11, 4)  # Monday to Wednesday


@pytest.fixture(scope="module")
def location() -> Location:
    return load_location("ijsselmonde")


@pytest.fixture(scope="module")
def history(location: Location) -> History:
    return simulate(location, FIRST, LAST, seed=7)


def _visits(history: History) -> list[tuple[object, ...]]:
    """Everything but the ids and appointment codes (drawn from ``secrets`` so runs never collide)."""
    return [(t.number, t.business_day, t.kind, t.services, t.service_index, t.status, t.issued_at, t.queued_at,
             t.desk, t.appointment_at, t.timeline) for t in history.tickets]


def test_the_same_seed_gives_the_same_history(location: Location, history: History) -> None:
    assert _visits(simulate(location, FIRST, LAST, seed=7)) == _visits(history)
    assert _visits(simulate(location, FIRST, LAST, seed=8)) != _visits(history)


def replay(ticket: Ticket, next_by_arrival: bool) -> Ticket:
    """The ticket rebuilt from its issue by the domain's lifecycle functions, step by step."""
    issued, asked = ticket.timeline[0], _services_at_issue(ticket)
    assert issued.step is Step.ISSUED and issued.service == asked[0]
    ticket_now = replace(ticket, status=TicketStatus.WAITING, service=asked[0], service_index=0, desk=None,
                         queued_at=ticket.issued_at, timeline=(issued,), services=asked)
    steps = iter(ticket.timeline[1:])
    for entry in steps:
        if entry.step is Step.CALLED:
            ticket_now = lifecycle.call(ticket_now, entry.desk or "", entry.at)
        elif entry.step is Step.RECALLED:
            ticket_now = lifecycle.recall(ticket_now, entry.at)
        elif entry.step is Step.SERVING:
            ticket_now = lifecycle.start(ticket_now, entry.at)
        elif entry.step is Step.DONE:
            ticket_now = lifecycle.finish(ticket_now, entry.at, next_by_arrival=next_by_arrival)
            if ticket_now.status is TicketStatus.WAITING:
                assert next(steps) == ticket_now.timeline[-1]  # NEXT_SERVICE, made by finish itself
        elif entry.step is Step.NO_SHOW:
            ticket_now = lifecycle.no_show(ticket_now, entry.at)
        elif entry.step is Step.CANCELLED:
            ticket_now = lifecycle.cancel(ticket_now, entry.at)
        elif entry.step is Step.TRANSFERRED:
            ticket_now = lifecycle.transfer(ticket_now, entry.service or "", entry.at)
        else:
            raise AssertionError(f"the simulator made a step it should not: {entry}")
    return ticket_now


def _services_at_issue(ticket: Ticket) -> tuple[str, ...]:
    """A transfer replaces the current service: undo them to see what the visitor asked for."""
    services = list(ticket.services)
    index = 0
    for before, entry in pairwise(ticket.timeline):
        if entry.step is Step.NEXT_SERVICE:
            index += 1
        elif entry.step is Step.TRANSFERRED:
            services[index] = before.service or services[index]
    return tuple(services)


def test_every_timeline_is_one_the_domain_makes(location: Location, history: History) -> None:
    for ticket in history.tickets:
        assert ticket.status in lifecycle.FINAL_STATUSES
        assert [e.at for e in ticket.timeline] == sorted(e.at for e in ticket.timeline)
        assert replay(ticket, location.call_policy.next_service_by_arrival) == ticket, ticket.number


def test_about_one_walk_in_in_ten_comes_for_several_services_and_a_few_are_transferred(history: History) -> None:
    walk_ins = [t for t in history.tickets if t.kind is TicketKind.WALK_IN]
    several = [t for t in walk_ins if len(t.services) > 1]
    assert 0.06 < len(several) / len(walk_ins) < 0.14
    assert all(len(t.services) <= lifecycle.MAX_SERVICES for t in several)
    assert any(len(t.services) == 3 for t in several)
    assert ("paspoort", "verhuizing") in {t.services for t in several}
    assert all(len(t.services) == 1 for t in history.tickets if t.kind is TicketKind.APPOINTMENT)
    served_all = [t for t in several if t.status is TicketStatus.DONE and t.service_index == len(t.services) - 1
                  and not t.first(Step.TRANSFERRED)]
    assert served_all, "some visits reach their last service"
    for ticket in served_all:
        done = [e for e in ticket.timeline if e.step is Step.DONE]
        joined = [e for e in ticket.timeline if e.step is Step.NEXT_SERVICE]
        # Each next service is queued the moment the previous one ended, for that next service.
        assert [(e.at, e.service) for e in joined] == [(d.at, s) for d, s in zip(done, ticket.services[1:],
                                                                                   strict=False)]
        assert ticket.queued_at == joined[-1].at
    transferred = [t for t in history.tickets if t.first(Step.TRANSFERRED)]
    assert len(transferred) >= 5
    assert all(len(set(t.services)) == len(t.services) for t in transferred), "never to a service of the visit"


def test_a_desk_serves_one_visitor_at_a_time(history: History) -> None:
    visits: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for ticket in history.tickets:
        called: TimelineEntry | None = None
        for entry in ticket.timeline:
            if entry.step is Step.CALLED:
                called = entry
            elif called and entry.step in (Step.DONE, Step.NO_SHOW, Step.TRANSFERRED):
                visits[called.desk or ""].append((called.at, entry.at))
                called = None
    for spans in visits.values():
        spans.sort()
        assert all(end <= following for (_, end), (following, _) in pairwise(spans))


def test_the_observer_sees_each_walk_in_enter_every_queue(location: Location) -> None:
    seen: list[Arrival] = []
    history = simulate(location, FIRST, FIRST, seed=7, observe=seen.append)
    entered = {(a.ticket_id, a.entered, a.service) for a in seen}
    for ticket in history.tickets:
        if ticket.kind is TicketKind.APPOINTMENT:
            assert all(a.ticket_id != ticket.id for a in seen)
            continue
        expected = {(ticket.id, e.step, e.service) for e in ticket.timeline
                    if e.step in (Step.ISSUED, Step.NEXT_SERVICE, Step.TRANSFERRED)}
        assert {e for e in entered if e[0] == ticket.id} == expected
    for arrival in seen:
        assert any(t.id == arrival.ticket_id and t.service == arrival.service for t in arrival.waiting)
        assert all(t.status in lifecycle.AT_DESK_STATUSES for t in arrival.at_desks.values())
