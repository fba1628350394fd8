"""GET /api/v1/locations/{location}/reports/service-norms over the small day stored in the database."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.store.database import Database
from queue_ticketing.store.ticket_history import add_history
from tests.cases.small_day import tickets
from tests.conftest import Api

REPORT = "/api/v1/locations/ijsselmonde/reports/service-norms"


@pytest.fixture
def small_day(db: Database, clock: FixedClock) -> None:
    with db.write_connection() as conn, conn.begin():
        add_history(conn, tickets(), [], clock())
    clock.now = clock.now.replace(hour=18)


@pytest.fixture
def host(make_token: Callable[..., str]) -> str:
    return make_token("host")


def test_the_report_of_the_small_day_matches_the_hand_computed_figures(api: Api, host: str, small_day: None) -> None:
    response = api.get(REPORT, host, params={"from": "2026-11-30", "to": "2026-11-30"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["location"], report["from"], report["to"]) == ("ijsselmonde", "2026-11-30", "2026-11-30")
    services = {s["service"]: s for s in report["services"]}
    paspoort = services["paspoort"]
    assert {k: paspoort[k] for k in ("visitors", "walk_ins", "appointments", "no_shows", "median_wait_minutes",
                                     "p80_wait_minutes", "p95_wait_minutes", "judged", "within_norm",
                                     "within_norm_share", "norm_minutes", "norm_share", "norm_met")} == {
        "visitors": 7, "walk_ins": 6, "appointments": 1, "no_shows": 1, "median_wait_minutes": 7.0,
        "p80_wait_minutes": 9.6, "p95_wait_minutes": 11.4, "judged": 5, "within_norm": 3, "within_norm_share": 0.6,
        "norm_minutes": 10, "norm_share": 0.8, "norm_met": False}
    assert [(h["hour"], h["visitors"], h["median_wait_minutes"]) for h in paspoort["by_hour"]] == [
        (9, 4, 8.0), (10, 3, 6.0)]
    assert services["informatie"]["median_wait_minutes"] == 6.5
    everything = services["all"]
    assert (everything["visitors"], everything["median_wait_minutes"], everything["within_norm"],
            everything["judged"]) == (9, 7.0, 4, 7)


def test_the_report_as_csv_has_a_row_per_service_and_hour(api: Api, host: str, small_day: None) -> None:
    response = api.get(REPORT, host, params={"from": "2026-11-30", "to": "2026-11-30", "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    keyed = {(r["service"], r["hour"]): r for r in rows}
    assert set(keyed) == {("paspoort", "all"), ("paspoort", "9"), ("paspoort", "10"), ("informatie", "all"),
                          ("informatie", "9"), ("informatie", "11"), ("all", "all"), ("all", "9"), ("all", "10"),
                          ("all", "11")}
    assert keyed[("paspoort", "all")]["p95_wait_minutes"] == "11.4"
    assert keyed[("all", "9")]["within_norm"] == "3"


def test_other_days_and_locations_are_left_out(api: Api, host: str, small_day: None,
                                               make_token: Callable[..., str]) -> None:
    empty = api.get(REPORT, host, params={"from": "2026-12-01", "to": "2026-12-31"}).json()
    assert [s["service"] for s in empty["services"]] == ["all"] and empty["services"][0]["visitors"] == 0
    elsewhere = api.get("/api/v1/locations/hoogvliet/reports/service-norms", make_token("admin", None),
                        params={"from": "2026-11-30", "to": "2026-11-30"}).json()
    assert elsewhere["services"][-1]["visitors"] == 0


def test_a_period_backwards_is_refused(api: Api, host: str) -> None:
    response = api.get(REPORT, host, params={"from": "2026-11-30", "to": "2026-11-01"})
    assert response.status_code == 422 and response.json()["code"] == "bad_period"
