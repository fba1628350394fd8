"""Projected waits: the open desks call in the location's order, each visit its expected minutes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from location_config.model import CallPolicy
from queue_ticketing.domain.tickets import Ticket, TicketStatus, call
from queue_ticketing.domain.wait_estimate import ServiceTime
from queue_ticketing.domain.wait_projection import (
    CALL_GAP_MINUTES,
    VisitMinutes,
    learned_visit_minutes,
    newcomer_waits,
    next_queue_joiners,
    project,
    projected_calls,
    projected_wait,
    time_range,
    wait_range,
)

from .builders import AMSTERDAM, NOW, a_desk, a_ticket

STRICT = CallPolicy(order=("appointment_due", "priority", "service_order", "longest_wait"))
TEN = VisitMinutes({"paspoort": 10.0, "rijbewijs": 10.0, "informatie": 4.0})
BY_ARRIVAL = replace(STRICT, next_service_queued_by="arrival")
MOVE = VisitMinutes({"paspoort": 10.0 + CALL_GAP_MINUTES, "verhuizing": 10.0 + CALL_GAP_MINUTES})
"""Ten-minute visits, then the half minute before the next call."""


def minutes_until(at: Mapping[str, datetime], ticket_id: str) -> float:
    return (at[ticket_id] - NOW).total_seconds() / 60


def test_one_free_desk_calls_its_queue_one_visit_after_another() -> None:
    desk = a_desk("paspoort")
    queue = [a_ticket("paspoort", waited_minutes=m) for m in (30, 20, 10)]
    at = projected_calls([desk], {}, queue, NOW, STRICT, TEN)
    assert [minutes_until(at, t.id) for t in queue] == [0, 10, 20]


def test_a_busy_desk_calls_when_its_visit_is_expected_to_end() -> None:
    desk = a_desk("paspoort")
    ticket = a_ticket("paspoort", waited_minutes=5)
    at = projected_calls([desk], {desk.id: NOW + timedelta(minutes=7)}, [ticket], NOW, STRICT, TEN)
    assert minutes_until(at, ticket.id) == 7


def test_a_service_every_desk_lists_last_waits_until_the_first_services_are_served() -> None:
    desks = [a_desk("paspoort", "rijbewijs", desk_id="balie-1"), a_desk("paspoort", "rijbewijs", desk_id="balie-2")]
    passports = [a_ticket("paspoort", waited_minutes=1) for _ in range(4)]
    licence = a_ticket("rijbewijs", waited_minutes=30)
    at = projected_calls(desks, {}, [licence, *passports], NOW, STRICT, TEN)
    # Two desks clear four passports in two rounds of 10 minutes; the licence comes third round.
    assert minutes_until(at, licence.id) == 20


def test_two_desks_share_one_queue() -> None:
    desks = [a_desk("paspoort", desk_id="balie-1"), a_desk("paspoort", desk_id="balie-2")]
    queue = [a_ticket("paspoort", waited_minutes=m) for m in (40, 30, 20, 10)]
    at = projected_calls(desks, {}, queue, NOW, STRICT, TEN)
    assert sorted(minutes_until(at, t.id) for t in queue) == [0, 0, 10, 10]


def test_a_priority_ticket_is_projected_ahead_of_the_queue() -> None:
    desk = a_desk("paspoort")
    queue = [a_ticket("paspoort", waited_minutes=m) for m in (30, 20)]
    priority = a_ticket("paspoort", priority=True)
    at = projected_calls([desk], {}, [*queue, priority], NOW, STRICT, TEN)
    assert minutes_until(at, priority.id) == 0
    assert [minutes_until(at, t.id) for t in queue] == [10, 20]


def test_an_appointment_jumps_ahead_when_it_falls_due_during_the_projection() -> None:
    desk = a_desk("paspoort")
    queue = [a_ticket("paspoort", waited_minutes=m) for m in (30, 20, 10)]
    appointment = a_ticket("paspoort", waited_minutes=1, appointment_in_minutes=12)
    at = projected_calls([desk], {}, [*queue, appointment], NOW, STRICT, TEN)
    # Due 5 minutes before its slot (at 7); the desk is next free at 10.
    assert minutes_until(at, appointment.id) == 10
    assert minutes_until(at, queue[1].id) == 20


def test_tickets_no_open_desk_serves_are_not_projected() -> None:
    at = projected_calls([a_desk("paspoort")], {}, [a_ticket("informatie")], NOW, STRICT, TEN)
    assert at == {}


def test_with_every_desk_for_a_service_closed_the_location_s_desks_are_assumed_to_open_again() -> None:
    info = a_ticket("informatie", waited_minutes=2)
    every_desk = [a_desk("paspoort", desk_id="balie-1"), a_desk("informatie", desk_id="balie-6")]
    wait = projected_wait(info.id, every_desk[:1], every_desk, {}, [info], NOW, STRICT, TEN)
    assert wait == 0


def test_a_newcomer_waits_behind_everyone_of_its_service() -> None:
    desk = a_desk("paspoort", "informatie")
    queue = [a_ticket("paspoort", waited_minutes=m) for m in (20, 10)]
    waits = newcomer_waits([desk], [desk], {}, queue, ["paspoort", "informatie"], NOW, STRICT, TEN)
    assert waits == {"paspoort": 20, "informatie": 20}


def test_a_service_no_desk_offers_has_no_estimate() -> None:
    desk = a_desk("paspoort")
    assert newcomer_waits([desk], [desk], {}, [], ["rijbewijs"], NOW, STRICT, TEN) == {"rijbewijs": None}


def test_visit_minutes_are_the_mean_of_recent_visits_plus_the_gap_before_the_next_call() -> None:
    recent = [ServiceTime("paspoort", NOW - timedelta(minutes=ago), minutes)
              for ago, minutes in ((5, 6), (15, 8), (25, 16))]
    minutes = learned_visit_minutes({"paspoort": 10.0, "rijbewijs": 12.0}, recent, NOW)
    assert minutes.of("paspoort") == 10 + CALL_GAP_MINUTES
    assert minutes.of("rijbewijs") == 12 + CALL_GAP_MINUTES  # no recent visits: the configured time


def test_visits_older_than_two_hours_or_too_few_fall_back_to_the_configured_time() -> None:
    old = [ServiceTime("paspoort", NOW - timedelta(hours=3), 30) for _ in range(5)]
    two = [ServiceTime("paspoort", NOW - timedelta(minutes=5), 30) for _ in range(2)]
    assert learned_visit_minutes({"paspoort": 10.0}, old + two, NOW).of("paspoort") == 10 + CALL_GAP_MINUTES


def test_a_wait_range_rounds_outward_and_collapses_when_both_ends_agree() -> None:
    assert (wait_range(3.2, 4.1).low, wait_range(3.2, 4.1).high) == (3, 5)
    assert wait_range(12, 14).is_range is True and (wait_range(12, 14).low, wait_range(12, 14).high) == (10, 15)
    assert (wait_range(70, 80).low, wait_range(70, 80).high) == (60, 90)
    assert wait_range(0, 0).is_range is False


def clock_times(at: datetime, optimistic: float, pessimistic: float) -> tuple[str, str]:
    expected = time_range(at, optimistic, pessimistic)
    return expected.earliest.strftime("%H:%M"), expected.latest.strftime("%H:%M")


def test_a_time_range_rounds_outward_to_five_minute_marks_never_to_the_minute() -> None:
    at = datetime(2026, 11, 30, 10, 13, 20, tzinfo=AMSTERDAM)
    assert clock_times(at, 18.4, 28.75) == ("10:30", "10:45")  # 10:31:44 to 10:42:05
    assert clock_times(at, 1.2, 4.0) == ("10:15", "10:15")  # 10:14:32 to 10:17:20: around 10:15, never 10:14
    assert time_range(at, 18.4, 28.75).earliest.tzinfo is AMSTERDAM


def test_a_time_range_beyond_an_hour_rounds_to_quarter_hours() -> None:
    at = datetime(2026, 11, 30, 10, 13, tzinfo=AMSTERDAM)
    assert clock_times(at, 56, 87.5) == ("11:00", "11:45")  # 11:09 to 11:40:30


def test_a_time_range_within_half_a_mark_is_one_time_around_it() -> None:
    at = datetime(2026, 11, 30, 10, 38, tzinfo=AMSTERDAM)
    expected = time_range(at, 0.4, 0.6)
    assert expected.is_range is False and expected.earliest.strftime("%H:%M") == "10:40"
    assert time_range(at, 0, 0).earliest == expected.earliest


def test_a_time_range_keeps_the_wall_clock_across_the_change_to_winter_time() -> None:
    # 25 October 2026: at 03:00 summer time the clocks go back to 02:00.
    at = datetime(2026, 10, 25, 2, 50, fold=0, tzinfo=AMSTERDAM)
    expected = time_range(at, 20, 30)  # 03:10 to 03:20 summer time = 02:10 to 02:20 winter time
    assert (expected.earliest.strftime("%H:%M"), expected.latest.strftime("%H:%M")) == ("02:10", "02:20")
    assert expected.latest - expected.earliest == timedelta(minutes=10)


def test_a_newcomer_stands_behind_tickets_drawn_at_the_very_same_moment() -> None:
    desk = a_desk("paspoort")
    same_moment = [a_ticket("paspoort", waited_minutes=0) for _ in range(3)]
    assert newcomer_waits([desk], [desk], {}, same_moment, ["paspoort"], NOW, STRICT, TEN) == {"paspoort": 30}


def test_newcomers_asked_about_together_do_not_delay_each_other_or_the_queue() -> None:
    desk = a_desk("paspoort", "rijbewijs", "informatie")
    queue = [a_ticket("rijbewijs", waited_minutes=5)]
    waits = newcomer_waits([desk], [desk], {}, queue, ["paspoort", "rijbewijs", "informatie"], NOW, STRICT, TEN)
    assert waits == {"paspoort": 0, "rijbewijs": 10, "informatie": 10}


def a_visit(*services: str, waited_minutes: float = 0, at_desk: str | None = None) -> Ticket:
    """A ticket for several services; called to ``at_desk`` at NOW when given."""
    ticket = replace(a_ticket(services[0], waited_minutes=waited_minutes), services=services)
    return call(ticket, at_desk, NOW) if at_desk else ticket


def test_a_visitor_at_a_desk_with_a_next_service_joins_that_queue_when_the_visit_ends() -> None:
    passport_desk, moving_desk = a_desk("paspoort", desk_id="balie-1"), a_desk("verhuizing", desk_id="balie-4")
    at_desk = a_visit("paspoort", "verhuizing", waited_minutes=40, at_desk=passport_desk.id)
    already_waiting = a_ticket("verhuizing", waited_minutes=0)
    free_at = {passport_desk.id: NOW + timedelta(minutes=10.5), moving_desk.id: NOW + timedelta(minutes=15.5)}
    ends = [(at_desk, NOW + timedelta(minutes=10))]
    # Queued by the end of the passport: behind the one who drew a ticket now.
    joining = next_queue_joiners(ends, STRICT)
    assert [(at, t.service, t.status, t.queued_at) for at, t in joining] == [
        (NOW + timedelta(minutes=10), "verhuizing", TicketStatus.WAITING, NOW + timedelta(minutes=10))]
    projection = project([passport_desk, moving_desk], free_at, [already_waiting], NOW, STRICT, MOVE,
                         joining=joining)
    assert minutes_until(projection.calls, already_waiting.id) == 15.5
    assert minutes_until(projection.later[at_desk.id], "verhuizing") == 26
    # Queued by arrival (the location's setting): ahead of everyone who came later.
    projection = project([passport_desk, moving_desk], free_at, [already_waiting], NOW, BY_ARRIVAL, MOVE,
                         joining=next_queue_joiners(ends, BY_ARRIVAL))
    assert minutes_until(projection.later[at_desk.id], "verhuizing") == 15.5
    assert minutes_until(projection.calls, already_waiting.id) == 26


def test_a_waiting_visit_of_two_services_is_projected_for_both_and_delays_the_second_queue() -> None:
    passport_desk, moving_desk = a_desk("paspoort", desk_id="balie-1"), a_desk("verhuizing", desk_id="balie-4")
    visit = a_visit("paspoort", "verhuizing", waited_minutes=5)
    projection = project([passport_desk, moving_desk], {}, [visit], NOW, STRICT, MOVE)
    # The moving desk has nobody now; it calls the visitor when the passport is done.
    assert minutes_until(projection.calls, visit.id) == 0
    assert minutes_until(projection.later[visit.id], "verhuizing") == 10
    # A newcomer for the change of address drawn now still comes first (the visit joins at 10)...
    assert newcomer_waits([passport_desk, moving_desk], [passport_desk, moving_desk], {}, [visit],
                          ["verhuizing"], NOW, STRICT, MOVE) == {"verhuizing": 0}
    # ... but one drawn later in a busy hall waits behind the visit that joined before.
    busy = {moving_desk.id: NOW + timedelta(minutes=12)}
    late = replace(a_ticket("verhuizing"), issued_at=NOW + timedelta(minutes=11),
                   queued_at=NOW + timedelta(minutes=11))
    projection = project([passport_desk, moving_desk], busy, [visit, late], NOW, STRICT, MOVE)
    assert minutes_until(projection.later[visit.id], "verhuizing") == 12
    assert minutes_until(projection.calls, late.id) == 22.5


def test_a_ticket_waiting_for_its_second_service_is_projected_by_its_place_in_that_queue() -> None:
    desk = a_desk("verhuizing", desk_id="balie-4")
    first = a_ticket("verhuizing", waited_minutes=12)
    second_service = replace(a_visit("paspoort", "verhuizing", waited_minutes=30), service="verhuizing",
                             service_index=1, queued_at=NOW - timedelta(minutes=2))
    after = a_ticket("verhuizing", waited_minutes=1)
    at = projected_calls([desk], {}, [after, second_service, first], NOW, STRICT, MOVE)
    assert [minutes_until(at, t.id) for t in (first, second_service, after)] == [0, 10.5, 21]
