"""Drawing a walk-in ticket through the view-model, against the real central service on loopback."""

from __future__ import annotations

from kiosk_app.viewmodels import LanguageViewModel, WalkInViewModel
from kiosk_app.worker import InlineWorker
from queue_ticketing.client import Client


def walk_in(client: Client, language: LanguageViewModel, worker: InlineWorker) -> WalkInViewModel:
    model = WalkInViewModel(client, "ijsselmonde", language, worker)
    model.load_services()
    return model


def waiting(client: Client, service: str = "paspoort") -> int:
    return next(q.waiting for q in client.queue("ijsselmonde").services if q.service == service)


def test_the_walk_in_services_come_from_the_location_in_the_visitors_language(client, language, worker):
    model = walk_in(client, language, worker)
    assert model.state == "choosing"
    passport = next(s for s in model.services if s["id"] == "paspoort")
    assert passport["name"] == passport["name_nl"]
    language.choose("en")
    passport = next(s for s in model.services if s["id"] == "paspoort")
    assert passport["name"] != passport["name_nl"]
    assert passport["letter"]


def test_a_drawn_ticket_shows_its_number_wait_and_mobile_link(client, language, worker):
    model = walk_in(client, language, worker)
    model.draw("paspoort")
    assert model.state == "drawn"
    assert model.ticket_number.startswith("P")
    assert model.estimated_wait
    assert model.mobile_url.startswith("https://gastvrij.test/t/")
    assert not model.offline_ticket
    assert model.show_on_screen  # no printer configured: the number and QR stay on screen


def test_a_double_tap_draws_one_ticket(client, language, worker, central):
    model = walk_in(client, language, worker)
    model.draw("paspoort")
    first = model.ticket_number
    model.draw("paspoort")
    assert model.ticket_number == first
    assert waiting(client) == 1


def test_the_next_visitor_draws_a_new_ticket(client, language, worker, central):
    model = walk_in(client, language, worker)
    model.draw("paspoort")
    first = model.ticket_number
    model.reset()
    model.draw("paspoort")
    assert model.ticket_number != first
    assert waiting(client) == 2


def test_offline_the_ticket_comes_from_the_leased_block_with_a_kind_message(client, language, worker, central):
    client.keep_offline_numbers("ijsselmonde", ["paspoort"], block_size=5)
    client.sync()
    model = walk_in(client, language, worker)
    central.stop()
    model.draw("paspoort")
    assert model.state == "drawn"
    assert model.offline_ticket
    assert model.ticket_number.startswith("P")
    assert model.mobile_url == ""
    assert "offline" in model.message


def test_offline_without_numbers_says_what_still_works(client, language, worker, central):
    language.choose("en")
    model = walk_in(client, language, worker)
    central.stop()
    model.draw("paspoort")
    assert model.state == "unavailable"
    assert model.ticket_number == ""
    assert "appointment" in model.message and "host" in model.message


def test_when_the_leased_numbers_run_out_the_kiosk_says_what_still_works(client, language, worker, central):
    client.keep_offline_numbers("ijsselmonde", ["paspoort"], block_size=1, low_water=0)
    client.sync()
    language.choose("en")
    model = walk_in(client, language, worker)
    central.stop()
    model.draw("paspoort")
    assert model.offline_ticket
    model.reset()
    model.draw("paspoort")
    assert model.state == "unavailable"
    assert model.ticket_number == ""
    assert "check in for an appointment" in model.message


def test_texts_follow_the_visitors_language(client, worker, central):
    dutch = LanguageViewModel()
    model = walk_in(client, dutch, worker)
    central.stop()
    model.draw("paspoort")
    assert "afspraak" in model.message


def test_one_tap_on_a_service_draws_its_ticket(client, language, worker):
    model = walk_in(client, language, worker)
    model.draw("rijbewijs")
    assert model.state == "drawn" and model.chosen == []
    assert [s["id"] for s in model.visit] == ["rijbewijs"]
    assert waiting(client, "rijbewijs") == 1


def test_more_than_one_thing_up_to_three_walk_in_services_in_the_order_chosen(client, language, worker):
    model = walk_in(client, language, worker)
    model.add("paspoort")  # only after "more than one thing"
    assert model.chosen == []
    model.several()
    assert model.state == "several" and model.chosen == []
    model.add("paspoort")
    model.add("paspoort")  # no twice
    model.add("no_such_service")  # only the location's walk-in services
    model.add("rijbewijs")
    model.add("uittreksel_brp")
    model.add("verhuizing")  # three in all
    assert model.chosen == ["paspoort", "rijbewijs", "uittreksel_brp"]
    assert not model.can_add and model.addable == []
    model.remove("rijbewijs")
    assert model.chosen == ["paspoort", "uittreksel_brp"]
    assert "rijbewijs" in [s["id"] for s in model.addable] and "paspoort" not in [s["id"] for s in model.addable]
    model.remove("paspoort")  # any of them, the first too
    model.add("paspoort")
    model.add("rijbewijs")
    language.choose("en")
    model.draw_chosen()
    assert model.state == "drawn" and model.ticket_number.startswith("U")  # the number from the first
    assert [s["id"] for s in model.visit] == ["uittreksel_brp", "paspoort", "rijbewijs"]
    assert model.visit[1]["name"] == "Passport" and model.visit[1]["name_nl"] == "Paspoort"


def test_nothing_chosen_draws_nothing(client, language, worker):
    model = walk_in(client, language, worker)
    model.several()
    model.draw_chosen()
    assert model.state == "several" and model.ticket_number == ""


def test_a_double_tap_on_draw_gives_one_ticket_for_the_visit(client, language, worker):
    model = walk_in(client, language, worker)
    model.several()
    model.add("paspoort")
    model.add("rijbewijs")
    model.draw_chosen()
    first = model.ticket_number
    model.draw_chosen()
    assert model.ticket_number == first
    assert waiting(client) == 1


def test_offline_a_visit_of_several_services_comes_from_the_leased_block_with_them_all(
        client, language, worker, central):
    client.keep_offline_numbers("ijsselmonde", ["paspoort"], block_size=5)
    client.sync()
    model = walk_in(client, language, worker)
    central.stop()
    model.several()
    model.add("paspoort")
    model.add("rijbewijs")
    model.draw_chosen()
    assert model.state == "drawn" and model.offline_ticket
    assert [s["id"] for s in model.visit] == ["paspoort", "rijbewijs"]
    assert client.pending == 1  # handed in with its services when the service answers again
