"""Which waiting ticket a desk calls next, and where a visitor stands in line.

Default policy: due appointments, then priority, then tickets past their service's norm, then the
desk's service order, then longest wait.
"""

from __future__ import annotations

from location_config.model import CallPolicy
from queue_ticketing.domain.call_order import call_order, next_ticket_for, position_in_line
from queue_ticketing.domain.tickets import TicketStatus

from .builders import NOW, a_desk, a_ticket

DEFAULT = CallPolicy()
DESK = a_desk("paspoort", "rijbewijs")
NORMS = {"paspoort": 10.0, "rijbewijs": 20.0}
FAIR = CallPolicy(norm_minutes=NORMS)




def test_a_due_appointment_is_called_before_a_priority_walk_in() -> None:
    priority_walk_in = a_ticket("paspoort", waited_minutes=30, priority=True)
    appointment = a_ticket("paspoort", waited_minutes=1, appointment_in_minutes=0)
    assert next_ticket_for(DESK, [priority_walk_in, appointment], NOW, DEFAULT) is appointment


def test_due_appointments_are_called_earliest_slot_first() -> None:
    later_slot = a_ticket("paspoort", waited_minutes=20, appointment_in_minutes=3)
    earlier_slot = a_ticket("paspoort", waited_minutes=2, appointment_in_minutes=-5)
    assert call_order(DESK, [later_slot, earlier_slot], NOW, DEFAULT) == [earlier_slot, later_slot]


def test_a_due_appointment_for_the_desks_second_service_beats_a_walk_in_for_its_first() -> None:
    walk_in = a_ticket("paspoort", waited_minutes=30)
    appointment = a_ticket("rijbewijs", appointment_in_minutes=0)
    assert next_ticket_for(DESK, [walk_in, appointment], NOW, DEFAULT) is appointment


def test_an_appointment_exactly_at_the_due_margin_counts_as_due() -> None:
    walk_in = a_ticket("paspoort", waited_minutes=30)
    appointment = a_ticket("paspoort", appointment_in_minutes=DEFAULT.appointment_due_before_minutes)
    assert next_ticket_for(DESK, [walk_in, appointment], NOW, DEFAULT) is appointment


def test_an_appointment_not_yet_due_waits_behind_a_walk_in_who_came_earlier() -> None:
    walk_in = a_ticket("paspoort", waited_minutes=10)
    early_appointment = a_ticket("paspoort", waited_minutes=5, appointment_in_minutes=6)
    assert call_order(DESK, [early_appointment, walk_in], NOW, DEFAULT) == [walk_in, early_appointment]


def test_an_appointment_not_yet_due_goes_ahead_of_a_walk_in_who_came_later() -> None:
    walk_in = a_ticket("paspoort", waited_minutes=2)
    early_appointment = a_ticket("paspoort", waited_minutes=5, appointment_in_minutes=20)
    assert call_order(DESK, [walk_in, early_appointment], NOW, DEFAULT) == [early_appointment, walk_in]


def test_a_priority_walk_in_goes_ahead_of_an_appointment_not_yet_due() -> None:
    early_appointment = a_ticket("paspoort", waited_minutes=20, appointment_in_minutes=30)
    priority_walk_in = a_ticket("paspoort", priority=True)
    assert next_ticket_for(DESK, [early_appointment, priority_walk_in], NOW, DEFAULT) is priority_walk_in


def test_a_location_with_a_wider_due_margin_calls_appointments_sooner() -> None:
    walk_in = a_ticket("paspoort", waited_minutes=30)
    appointment = a_ticket("paspoort", appointment_in_minutes=12)
    wide = CallPolicy(appointment_due_before_minutes=15)
    assert next_ticket_for(DESK, [walk_in, appointment], NOW, DEFAULT) is walk_in
    assert next_ticket_for(DESK, [walk_in, appointment], NOW, wide) is appointment


def test_priority_comes_before_the_desks_service_order() -> None:
    first_service = a_ticket("paspoort", waited_minutes=30)
    priority_second_service = a_ticket("rijbewijs", priority=True)
    queue = [first_service, priority_second_service]
    assert next_ticket_for(DESK, queue, NOW, DEFAULT) is priority_second_service


def test_the_desks_first_service_comes_before_its_second_even_if_the_second_waited_longer() -> None:
    second_service = a_ticket("rijbewijs", waited_minutes=40)
    first_service = a_ticket("paspoort", waited_minutes=1)
    assert next_ticket_for(DESK, [second_service, first_service], NOW, DEFAULT) is first_service




def test_a_service_close_to_its_norm_comes_before_the_desks_preferred_service_with_time_to_spare() -> None:
    second_service_nearly_late = a_ticket("rijbewijs", waited_minutes=18)  # 2 of its 20 minutes left
    first_service = a_ticket("paspoort", waited_minutes=1)  # 9 of its 10 minutes left
    queue = [first_service, second_service_nearly_late]
    assert next_ticket_for(DESK, queue, NOW, FAIR) is second_service_nearly_late


def test_a_service_that_can_still_be_helped_in_time_goes_before_one_already_late() -> None:
    late = a_ticket("rijbewijs", waited_minutes=30)  # 1.5 x its norm
    in_time = a_ticket("paspoort", waited_minutes=2)
    assert call_order(DESK, [late, in_time], NOW, FAIR) == [in_time, late]


def test_a_long_overdue_ticket_comes_before_everything_but_due_appointments_and_priority() -> None:
    starving = a_ticket("rijbewijs", waited_minutes=141)  # more than 7 x its norm of 20
    nearly_late = a_ticket("paspoort", waited_minutes=9)
    priority = a_ticket("paspoort", priority=True)
    due = a_ticket("paspoort", appointment_in_minutes=0)
    assert call_order(DESK, [nearly_late, starving, priority, due], NOW, FAIR) == [due, priority, starving, nearly_late]


def test_a_service_three_times_past_its_norm_still_waits_behind_one_that_can_be_helped_in_time() -> None:
    three_times_the_norm = a_ticket("paspoort", waited_minutes=30)  # 3.0 x 10, short of the default 7
    in_time = a_ticket("rijbewijs", waited_minutes=10)  # 10 of its 20 minutes left
    assert call_order(DESK, [three_times_the_norm, in_time], NOW, FAIR) == [in_time, three_times_the_norm]


def test_late_services_are_called_by_how_far_past_its_own_norm_their_first_visitor_is() -> None:
    twice_the_norm = a_ticket("rijbewijs", waited_minutes=40)  # 2.0 x 20
    two_and_a_half_times_the_norm = a_ticket("paspoort", waited_minutes=25)  # 2.5 x 10
    assert call_order(DESK, [twice_the_norm, two_and_a_half_times_the_norm], NOW, FAIR) == [
        two_and_a_half_times_the_norm, twice_the_norm]


def test_the_long_overdue_share_sets_when_a_late_service_jumps_those_still_in_time() -> None:
    late = a_ticket("rijbewijs", waited_minutes=30)  # 1.5 x its norm
    in_time = a_ticket("paspoort", waited_minutes=1)
    sooner = CallPolicy(norm_minutes=NORMS, long_overdue_share=1.5)
    assert next_ticket_for(DESK, [late, in_time], NOW, FAIR) is in_time
    assert next_ticket_for(DESK, [late, in_time], NOW, sooner) is late


def test_within_one_service_the_visitor_who_came_first_is_always_called_first() -> None:
    tickets = [a_ticket("paspoort", waited_minutes=m) for m in (2, 45, 12, 7, 31)]
    assert call_order(DESK, tickets, NOW, FAIR) == sorted(tickets, key=lambda t: t.queued_at)


def test_a_service_is_as_urgent_as_its_longest_waiting_visitor() -> None:
    newcomer_of_a_late_service = a_ticket("rijbewijs", waited_minutes=1)
    first_of_that_service = a_ticket("rijbewijs", waited_minutes=19)  # 1 of its 20 minutes left
    first_service = a_ticket("paspoort", waited_minutes=5)  # 5 of its 10 minutes left
    queue = [first_service, newcomer_of_a_late_service, first_of_that_service]
    assert call_order(DESK, queue, NOW, FAIR) == [first_of_that_service, newcomer_of_a_late_service, first_service]


def test_a_location_without_norm_urgency_keeps_strict_service_order() -> None:
    second_service = a_ticket("rijbewijs", waited_minutes=200)
    first_service = a_ticket("paspoort", waited_minutes=1)
    strict = CallPolicy(order=("appointment_due", "priority", "service_order", "longest_wait"), norm_minutes=NORMS)
    assert next_ticket_for(DESK, [second_service, first_service], NOW, strict) is first_service


def test_within_a_service_the_longest_waiting_ticket_is_called_first() -> None:
    short, longest, middle = (a_ticket("paspoort", waited_minutes=m) for m in (2, 25, 9))
    assert call_order(DESK, [short, longest, middle], NOW, DEFAULT) == [longest, middle, short]


def test_a_desk_never_gets_tickets_for_services_it_does_not_serve() -> None:
    elsewhere = [a_ticket("uittreksel", waited_minutes=50, priority=True),
                 a_ticket("informatie", appointment_in_minutes=0)]
    assert call_order(DESK, elsewhere, NOW, DEFAULT) == []
    assert next_ticket_for(DESK, elsewhere, NOW, DEFAULT) is None


def test_tickets_that_are_not_waiting_are_never_called() -> None:
    not_waiting = [a_ticket("paspoort", waited_minutes=60, status=status, desk="balie-2")
                   for status in TicketStatus if status is not TicketStatus.WAITING]
    waiting = a_ticket("paspoort", waited_minutes=1)
    assert call_order(DESK, [*not_waiting, waiting], NOW, DEFAULT) == [waiting]


def test_nobody_waiting_means_nothing_to_call() -> None:
    assert next_ticket_for(DESK, [], NOW, DEFAULT) is None


def test_the_full_default_order_for_a_mixed_queue() -> None:
    walk_in_second_service = a_ticket("rijbewijs", waited_minutes=45)
    walk_in_first_service_new = a_ticket("paspoort", waited_minutes=3)
    walk_in_first_service_old = a_ticket("paspoort", waited_minutes=15)
    priority = a_ticket("rijbewijs", waited_minutes=1, priority=True)
    due = a_ticket("rijbewijs", appointment_in_minutes=-2)
    queue = [walk_in_second_service, walk_in_first_service_new, walk_in_first_service_old, priority, due]
    assert call_order(DESK, queue, NOW, DEFAULT) == [
        due, priority, walk_in_first_service_old, walk_in_first_service_new, walk_in_second_service]


def test_a_location_that_puts_longest_wait_first_calls_the_longest_waiting_visitor_of_any_service() -> None:
    second_service = a_ticket("rijbewijs", waited_minutes=40)
    first_service = a_ticket("paspoort", waited_minutes=1)
    longest_wait_first = CallPolicy(order=("longest_wait", "service_order"))
    assert next_ticket_for(DESK, [first_service, second_service], NOW, DEFAULT) is first_service
    assert next_ticket_for(DESK, [first_service, second_service], NOW, longest_wait_first) is second_service


def test_a_location_that_drops_appointment_due_treats_appointments_like_walk_ins() -> None:
    walk_in = a_ticket("paspoort", waited_minutes=30)
    appointment = a_ticket("paspoort", waited_minutes=1, appointment_in_minutes=0)
    no_appointment_rule = CallPolicy(order=("priority", "service_order", "longest_wait"))
    assert next_ticket_for(DESK, [walk_in, appointment], NOW, no_appointment_rule) is walk_in


# --- position in line -------------------------------------------------------------------------


def test_the_next_visitor_of_a_service_is_at_position_one() -> None:
    first, second = a_ticket("paspoort", waited_minutes=10), a_ticket("paspoort", waited_minutes=5)
    assert position_in_line(first, [first, second], NOW, DEFAULT) == 1
    assert position_in_line(second, [first, second], NOW, DEFAULT) == 2


def test_the_position_counts_only_visitors_of_the_same_service() -> None:
    others = [a_ticket("rijbewijs", waited_minutes=m) for m in (30, 20, 10)]
    mine = a_ticket("paspoort", waited_minutes=1)
    assert position_in_line(mine, [*others, mine], NOW, DEFAULT) == 1


def test_a_priority_visitor_who_came_later_stands_ahead() -> None:
    mine = a_ticket("paspoort", waited_minutes=10)
    priority = a_ticket("paspoort", priority=True)
    assert position_in_line(mine, [mine, priority], NOW, DEFAULT) == 2


def test_a_ticket_missing_from_the_list_still_gets_its_place() -> None:
    ahead = a_ticket("paspoort", waited_minutes=10)
    new = a_ticket("paspoort")
    assert position_in_line(new, [ahead], NOW, DEFAULT) == 2


def test_a_ticket_that_is_not_waiting_has_position_zero() -> None:
    called = a_ticket("paspoort", status=TicketStatus.CALLED, desk="balie-1")
    assert position_in_line(called, [called, a_ticket("paspoort")], NOW, DEFAULT) == 0
