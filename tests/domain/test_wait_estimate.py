"""Estimated wait: people ahead × typical minutes per visit ÷ the desks' attention for the service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from queue_ticketing.domain.wait_estimate import (
    ServiceTime,
    desk_capacity,
    estimated_wait_minutes,
    typical_minutes,
)

from .builders import NOW, a_desk

CONFIGURED = 8.0


def visit(minutes: float, ago_minutes: float = 10, service: str = "paspoort") -> ServiceTime:
    return ServiceTime(service=service, finished_at=NOW - timedelta(minutes=ago_minutes), minutes=minutes)


# --- typical minutes per visit ----------------------------------------------------------------


def test_the_typical_time_is_the_median_of_recent_visits() -> None:
    recent = [visit(4), visit(20), visit(6)]
    assert typical_minutes("paspoort", recent, CONFIGURED, NOW) == 6




def test_fewer_than_three_recent_visits_fall_back_to_the_configured_time() -> None:
    assert typical_minutes("paspoort", [visit(3), visit(3)], CONFIGURED, NOW) == CONFIGURED




def test_visits_older_than_two_hours_do_not_count() -> None:
    recent = [visit(3), visit(3), visit(3, ago_minutes=121)]
    assert typical_minutes("paspoort", recent, CONFIGURED, NOW) == CONFIGURED


def test_a_visit_that_finished_exactly_two_hours_ago_still_counts() -> None:
    recent = [visit(3), visit(3), visit(3, ago_minutes=120)]
    assert typical_minutes("paspoort", recent, CONFIGURED, NOW) == 3


def test_visits_for_other_services_do_not_count() -> None:
    recent = [visit(3), visit(3), visit(3, service="rijbewijs")]
    assert typical_minutes("paspoort", recent, CONFIGURED, NOW) == CONFIGURED


def test_only_the_twenty_most_recent_visits_count() -> None:
    # 25 visits: the 5 oldest are 1-minute visits; the 20 newest are ten of 5 and ten of 7 minutes.
    oldest = [visit(1, ago_minutes=100 + i) for i in range(5)]
    newest = [visit(5 if i % 2 else 7, ago_minutes=1 + i) for i in range(20)]
    # Given newest first, so "the last 20 in the list" would be the wrong ones.
    assert typical_minutes("paspoort", [*newest, *oldest], CONFIGURED, NOW) == 6


# --- desk capacity ----------------------------------------------------------------------------


def test_a_desk_counts_fully_for_its_first_service() -> None:
    assert desk_capacity("paspoort", [a_desk("paspoort", "rijbewijs", "uittreksel")]) == 1.0


def test_a_desk_counts_a_share_for_each_of_its_other_services() -> None:
    desk = a_desk("paspoort", "rijbewijs", "uittreksel")
    assert desk_capacity("rijbewijs", [desk]) == pytest.approx(1 / 3)
    assert desk_capacity("uittreksel", [desk]) == pytest.approx(1 / 3)


def test_a_desk_that_does_not_serve_the_service_counts_nothing() -> None:
    assert desk_capacity("informatie", [a_desk("paspoort", "rijbewijs")]) == 0.0


def test_the_capacities_of_the_open_desks_add_up() -> None:
    open_desks = [
        a_desk("paspoort", desk_id="balie-1", number=1),
        a_desk("rijbewijs", "paspoort", desk_id="balie-2", number=2),
        a_desk("uittreksel", desk_id="balie-3", number=3),
    ]
    assert desk_capacity("paspoort", open_desks) == pytest.approx(1.5)


def test_closed_desks_which_are_not_passed_count_nothing() -> None:
    assert desk_capacity("paspoort", []) == 0.0


# --- estimated wait ---------------------------------------------------------------------------


def test_nobody_ahead_means_no_wait() -> None:
    assert estimated_wait_minutes(0, minutes_per_visit=12, capacity=1) == 0


def test_the_wait_is_people_ahead_times_minutes_per_visit_over_capacity() -> None:
    assert estimated_wait_minutes(6, minutes_per_visit=5, capacity=2) == 15


def test_the_wait_is_rounded_up_to_whole_minutes() -> None:
    assert estimated_wait_minutes(1, minutes_per_visit=4.2, capacity=1) == 5


def test_with_no_open_desk_one_desk_is_assumed() -> None:
    assert estimated_wait_minutes(3, minutes_per_visit=5, capacity=0) == 15


def test_a_desk_that_gives_the_service_only_half_its_time_doubles_the_wait() -> None:
    # desk_capacity says 0.5 for a desk's second of two services: half a desk, so twice as long.
    assert estimated_wait_minutes(2, minutes_per_visit=10, capacity=0.5) == 40
