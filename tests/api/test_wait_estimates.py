"""Estimated waits follow the call order the desks really use, and say a range when uncertain."""

from __future__ import annotations

from location_config import Location
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.context import ServiceContext
from queue_ticketing.services.wait_outlook import make_outlook
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from tests.conftest import Api

OPEN = "/api/v1/locations/ijsselmonde/desks/{desk}/open"


def test_a_visitor_behind_another_service_the_desk_calls_first_is_told_so(api: Api, make_token,
                                                                           clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    api.post(OPEN.format(desk="balie-1"), desk)  # passports, identity cards, pick-ups
    for _ in range(2):
        api.issue(kiosk, "identiteitskaart")
    clock.advance(minutes=5)  # the identity cards are now nearer their norm than a new passport
    passport = api.issue(kiosk, "paspoort").json()
    # Alone in the passport queue, yet two identity cards of 10 minutes are called first.
    ticket = api.get(f"/api/v1/tickets/{passport['id']}").json()
    assert passport["position"] == 1
    assert 20 <= ticket["estimated_wait_minutes"] <= 25


def test_the_queue_overview_gives_each_service_the_wait_of_a_ticket_drawn_now(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-4")
    api.post(OPEN.format(desk="balie-4"), desk)  # extracts first, then moves, births
    for _ in range(3):
        api.issue(kiosk, "uittreksel_brp")
    services = {s["service"]: s for s in api.get("/api/v1/locations/ijsselmonde/queue").json()["services"]}
    extract = services["uittreksel_brp"]
    assert extract["waiting"] == 3
    assert 15 <= extract["estimated_wait_minutes"] <= 20  # three visits of about 5.5 minutes at one desk
    assert extract["estimated_wait_range"] == {"low": 10, "high": 25}  # 13 to 21, rounded outward to 5
    # Nobody waits for a move, but the one desk that takes moves has the extracts first.
    assert services["verhuizing"]["estimated_wait_minutes"] == extract["estimated_wait_minutes"]


def test_an_estimate_that_is_certain_is_one_figure_without_a_range(api: Api, make_token) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-4")
    api.post(OPEN.format(desk="balie-4"), desk)
    first = api.issue(kiosk, "uittreksel_brp").json()
    ticket = api.get(f"/api/v1/tickets/{first['id']}").json()
    assert ticket["estimated_wait_minutes"] == 0
    assert "estimated_wait_range" not in ticket or ticket["estimated_wait_range"] is None


def test_a_visit_at_a_desk_that_has_a_next_service_is_counted_in_the_queue_it_will_join(
        api: Api, make_token, clock: FixedClock, settings: Settings, locations: dict[str, Location]) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    for balie in ("balie-1", "balie-4"):  # passports ...; extracts, moves, births
        api.post(OPEN.format(desk=balie), make_token("desk", desk=balie))
    api.issue(kiosk, "geboorteaangifte")
    balie_4 = make_token("desk", desk="balie-4")
    assert api.call_next(balie_4, "balie-4").status_code == 200  # a birth: balie-4 busy until about 15.5
    move = api.issue(kiosk, "verhuizing").json()
    clock.advance(minutes=4)
    visit = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk, {"services": ["paspoort", "uittreksel_brp"]},
                     key="visit-of-two").json()
    assert api.call_next(desk, "balie-1").json()["id"] == visit["id"]
    # The passport ends at about 14 and the extract joins its queue then. When balie-4 is free (15.5)
    # the move is past its norm and the extract is not, so balie-4 calls the extract first (norm
    # urgency): the move waits one extract longer, about 17 minutes from now instead of 11.5.
    clock.advance(seconds=3)  # an outlook is kept up to 2 s: this one is made with the visit at balie-1
    ticket = api.get(f"/api/v1/tickets/{move['id']}").json()
    assert 16 <= ticket["estimated_wait_minutes"] <= 18
    # The outlook also says when the visit is called for its extract: when balie-4 is free, 11.5 from now.
    ctx = ServiceContext(db=Database(settings.database_url), locations=locations, clock=clock)
    try:
        with ctx.read() as stores:
            outlook = make_outlook(ctx, stores, locations["ijsselmonde"], clock.now)
            at_desk = stores.tickets.get(visit["id"])
        assert outlook is not None and at_desk is not None
        extract = outlook.for_later_service(at_desk, "uittreksel_brp", clock.now)
        assert extract is not None and 11 <= extract.minutes <= 12
        assert outlook.for_later_service(at_desk, "paspoort", clock.now) is None
    finally:
        ctx.db.dispose()


def test_a_visit_waiting_for_its_second_service_is_estimated_like_anyone_waiting_for_it(
        api: Api, make_token, clock: FixedClock) -> None:
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    for balie in ("balie-1", "balie-4"):
        api.post(OPEN.format(desk=balie), make_token("desk", desk=balie))
    visit = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk, {"services": ["paspoort", "verhuizing"]},
                     key="visit-1").json()
    api.call_next(desk, "balie-1")
    clock.advance(minutes=1)
    ahead = api.issue(kiosk, "verhuizing").json()
    clock.advance(minutes=12)
    moved = api.post(f"/api/v1/tickets/{visit['id']}/finish", desk, key="finish-1").json()
    assert (moved["service"], moved["position"]) == ("verhuizing", 2)
    looked_up = api.get(f"/api/v1/tickets/{visit['id']}").json()
    behind = api.get(f"/api/v1/tickets/{ahead['id']}").json()
    assert looked_up["position"] == 2 and behind["position"] == 1
    assert 0 < looked_up["estimated_wait_minutes"] <= 30
    assert looked_up["estimated_wait_minutes"] >= behind["estimated_wait_minutes"]
