"""The service-norm report, checked against the hand-computed small day (tests/cases/small_day.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from queue_ticketing.domain.service_norms import (
    Norm,
    Visit,
    WholeVisit,
    percentile,
    service_norm_report,
    visit_time_figures,
)
from tests.cases.small_day import at, visits

NORMS = {"paspoort": Norm(10, 0.8), "informatie": Norm(5, 0.9)}
END_OF_DAY = at("18:00")


def _report():  # type: ignore[no-untyped-def]
    return {s.service: s for s in service_norm_report(visits(), NORMS, END_OF_DAY)}


def test_percentiles_interpolate_between_the_nearest_ranks() -> None:
    assert percentile([2.0, 4.0], 0.5) == 3.0
    assert percentile([4.0, 6.0, 8.0, 12.0], 0.8) == pytest.approx(9.6)
    assert percentile([5.0], 0.95) == 5.0
    assert percentile([], 0.5) is None


def test_a_service_counts_visitors_waits_no_shows_and_the_share_within_its_norm() -> None:
    paspoort = _report()["paspoort"]
    total = paspoort.total
    assert (total.visitors, total.walk_ins, total.appointments, total.no_shows) == (7, 6, 1, 1)
    assert total.waits_measured == 4
    assert total.median_wait_minutes == pytest.approx(7)
    assert total.p80_wait_minutes == pytest.approx(9.6)
    assert total.p95_wait_minutes == pytest.approx(11.4)
    assert (total.judged, total.within_norm, total.within_norm_share) == (5, 3, pytest.approx(0.6))
    assert paspoort.norm_met is False


def test_each_hour_of_issue_has_its_own_figures() -> None:
    hours = dict(_report()["paspoort"].by_hour)
    assert sorted(hours) == [9, 10]
    nine = hours[9]
    assert (nine.visitors, nine.appointments, nine.median_wait_minutes) == (4, 1, pytest.approx(8))
    assert nine.p80_wait_minutes == pytest.approx(10.4) and nine.p95_wait_minutes == pytest.approx(11.6)
    assert nine.within_norm_share == pytest.approx(2 / 3)
    ten = hours[10]
    assert (ten.visitors, ten.median_wait_minutes, ten.judged, ten.within_norm) == (3, pytest.approx(6), 2, 1)


def test_another_service_is_judged_by_its_own_norm() -> None:
    informatie = _report()["informatie"].total
    assert informatie.median_wait_minutes == pytest.approx(6.5)
    assert informatie.p80_wait_minutes == pytest.approx(8.6)
    assert informatie.p95_wait_minutes == pytest.approx(9.65)
    assert informatie.within_norm_share == pytest.approx(0.5)


def test_all_services_together_judge_each_visit_by_its_own_services_norm() -> None:
    everything = _report()[None]
    total = everything.total
    assert (total.visitors, total.no_shows, total.waits_measured) == (9, 1, 6)
    assert total.median_wait_minutes == pytest.approx(7)
    assert total.p80_wait_minutes == pytest.approx(10)
    assert total.p95_wait_minutes == pytest.approx(11.5)
    assert (total.judged, total.within_norm) == (7, 4)
    assert [(hour, f.visitors) for hour, f in everything.by_hour] == [(9, 5), (10, 3), (11, 1)]
    assert dict(everything.by_hour)[9].median_wait_minutes == pytest.approx(6)
    assert everything.norm is None and everything.norm_met is None


def test_a_visitor_still_waiting_is_judged_only_once_the_norm_has_passed() -> None:
    waiting = [Visit("paspoort", True, at("11:50"), None)]
    early = service_norm_report(waiting, NORMS, at("11:55"))[0].total
    assert (early.judged, early.within_norm_share) == (0, None)
    late = service_norm_report(waiting, NORMS, at("11:50") + timedelta(minutes=11))[0].total
    assert (late.judged, late.within_norm) == (1, 0)


def test_services_appear_in_the_order_of_the_norms_and_all_services_last() -> None:
    order = [s.service for s in service_norm_report(visits(), {"informatie": Norm(5, 0.9),
                                                               "paspoort": Norm(10, 0.8)}, END_OF_DAY)]
    assert order == ["informatie", "paspoort", None]


def test_each_service_of_a_visit_is_judged_against_its_own_norm_from_entering_its_queue() -> None:
    # One ticket: passport from 09:00 (called 09:08), then informatie from 09:20 (called 09:27).
    both = [Visit("paspoort", True, at("09:00"), at("09:08"), service_minutes=12.0),
            Visit("informatie", True, at("09:20"), at("09:27"), service_minutes=3.0)]
    report = {s.service: s for s in service_norm_report(both, NORMS, END_OF_DAY)}
    assert (report["paspoort"].total.median_wait_minutes, report["paspoort"].total.within_norm) == (8.0, 1)
    # 7 minutes is over informatie's 5 (27 since issue would be over any norm; it is not counted so).
    assert (report["informatie"].total.median_wait_minutes, report["informatie"].total.within_norm) == (7.0, 0)
    assert report["informatie"].total.median_service_minutes == 3.0
    assert report[None].total.visitors == 2


def test_the_visit_time_runs_from_issue_to_the_end_of_the_last_service() -> None:
    total, by_hour = visit_time_figures([WholeVisit(at("09:00"), at("09:30")), WholeVisit(at("09:10"), at("10:00")),
                                         WholeVisit(at("10:05"), None)])
    assert (total.visits, total.ended, total.median_visit_minutes) == (3, 2, 40.0)
    assert [(hour, f.visits, f.median_visit_minutes) for hour, f in by_hour] == [(9, 2, 40.0), (10, 1, None)]
