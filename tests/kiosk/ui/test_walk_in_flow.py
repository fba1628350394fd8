"""A visitor without an appointment draws a ticket: touches on the real window, the real central
service, and a loopback receipt printer whose ESC/POS bytes are checked."""

from __future__ import annotations

from kiosk_app.printing import TicketPrinter


def test_a_visitor_draws_a_ticket_and_it_is_printed(open_kiosk, printer, central):
    kiosk = open_kiosk(printer=TicketPrinter.from_setting(printer.url))
    kiosk.tap("language:nl")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services")
    kiosk.tap("service:paspoort")
    kiosk.wait_until(lambda: kiosk.app.screen == "ticket" and kiosk.app.walk_in.printed, "the printed ticket")
    number = kiosk.app.walk_in.ticket_number
    assert number.startswith("P")
    assert number in kiosk.texts()
    assert number.encode() in printer.received
    assert b"Rotterdam IJsselmonde" in printer.received
    assert kiosk.app.walk_in.mobile_url.encode() in printer.received  # the QR's content (GS ( k)


def test_a_double_tap_on_draw_gives_one_ticket(open_kiosk, central, client):
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services")
    kiosk.double_tap("service:paspoort")
    kiosk.wait_until(lambda: kiosk.app.screen == "ticket", "the ticket")
    queue = client.queue("ijsselmonde")
    paspoort = next(s for s in queue.services if s.service == "paspoort")
    assert paspoort.waiting == 1


def test_offline_the_ticket_comes_from_the_leased_block_and_the_badge_shows(open_kiosk, client, central):
    client.keep_offline_numbers("ijsselmonde", ["paspoort"], block_size=5)
    client.sync()
    kiosk = open_kiosk()
    kiosk.tap("language:nl")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services")
    central.stop()
    kiosk.tap("service:paspoort")
    kiosk.wait_until(lambda: kiosk.app.screen == "ticket", "the offline ticket")
    assert kiosk.app.walk_in.offline_ticket
    assert kiosk.app.walk_in.ticket_number in kiosk.texts()
    kiosk.wait_until(lambda: not kiosk.app.connection.online, "the offline badge")
    assert kiosk.app.t("Offline") in kiosk.texts()  # words with the badge, not colour alone


def test_with_the_paper_out_the_visitor_keeps_number_and_qr_on_screen_and_the_hosts_hear_of_it(
        open_kiosk, central, sqlite_url):
    from tests.kiosk.conftest import PAPER_OUT, LoopbackPrinter
    from tests.kiosk.test_printing import printer_reports

    empty = LoopbackPrinter(paper=PAPER_OUT)
    try:
        kiosk = open_kiosk(printer=TicketPrinter.from_setting(empty.url))
        kiosk.tap("language:en")
        kiosk.tap("walk_in")
        kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services")
        kiosk.tap("service:paspoort")
        kiosk.wait_until(lambda: kiosk.app.walk_in.printer_status == "paper_out", "the printer's answer")
        shown = " ".join(kiosk.texts())
        assert kiosk.app.walk_in.ticket_number in shown
        assert "The printer is not working right now" in shown
        assert kiosk.app.walk_in.mobile_url  # the QR stays on screen
        assert kiosk.app.walk_in.ticket_number.encode() not in empty.received
        kiosk.wait_until(lambda: "paper_out" in printer_reports(sqlite_url), "the printer's report at the service")
    finally:
        empty.close()


def test_a_kiosk_started_while_the_service_is_down_works_from_its_own_configuration(open_kiosk, client, central):
    from location_config import load_location
    from location_config.public import public_view
    from queue_ticketing.client import LocationInfo

    client.keep_offline_numbers("ijsselmonde", ["paspoort"], block_size=5)
    client.sync()  # numbers leased earlier in the day
    central.stop()
    kiosk = open_kiosk(local_info=LocationInfo.from_json(public_view(load_location("ijsselmonde"))))
    kiosk.tap("language:nl")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services from the kiosk's own copy")
    kiosk.tap("service:paspoort")
    kiosk.wait_until(lambda: kiosk.app.screen == "ticket", "the offline ticket")
    assert kiosk.app.walk_in.offline_ticket
    kiosk.tap("home")
    kiosk.tap("information")
    kiosk.wait_until(lambda: kiosk.visible("bring:paspoort"), "what to bring, from the kiosk's own copy")


def test_one_tap_on_a_service_prints_its_ticket(open_kiosk, printer):
    kiosk = open_kiosk(printer=TicketPrinter.from_setting(printer.url))
    kiosk.tap("language:nl")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:rijbewijs"), "the services")
    kiosk.tap("service:rijbewijs")  # the only tap after the walk-in tile
    kiosk.wait_until(lambda: kiosk.app.screen == "ticket" and kiosk.app.walk_in.printed, "the printed ticket")
    assert kiosk.app.walk_in.ticket_number.startswith("R")
    assert kiosk.app.walk_in.ticket_number.encode() in printer.received


def test_more_than_one_thing_a_visit_of_three_services_on_one_ticket_listed_on_screen_and_paper(
        open_kiosk, printer):
    from tests.kiosk.test_booking import read_escpos
    from tests.support.live_server import wait_until

    kiosk = open_kiosk(printer=TicketPrinter.from_setting(printer.url))
    kiosk.tap("language:en")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services")
    several = kiosk.find("several")
    assert several.height >= 44 and "I come for more than one thing" in kiosk.texts()
    kiosk.tap("several")
    assert kiosk.app.screen == "walk_in_several"
    assert kiosk.find("draw").disabled  # nothing chosen yet
    kiosk.tap("add:paspoort")
    assert not kiosk.visible("add:paspoort")  # not twice
    kiosk.tap("add:rijbewijs")
    kiosk.tap("add:verhuizing")
    assert not any(getattr(b, "action", "").startswith("add:") for b in kiosk.buttons())  # three in all
    assert "That is the most for one visit: three things." in kiosk.texts()
    kiosk.tap("remove:rijbewijs")
    kiosk.tap("back")  # back and forth loses nothing
    assert kiosk.app.screen == "walk_in"
    kiosk.tap("several")
    assert kiosk.app.walk_in.chosen == ["paspoort", "verhuizing"]
    kiosk.tap("add:uittreksel_brp")
    kiosk.tap("draw")
    kiosk.wait_until(lambda: kiosk.app.screen == "ticket" and kiosk.app.walk_in.printed, "the printed ticket")
    shown = " ".join(kiosk.texts())
    assert shown.index("1. Passport") < shown.index("2. Report a change of address") < shown.index(
        "3. Extract from the Personal Records Database (BRP)")
    wait_until(lambda: b"\x1dV" in printer.received, 5, what="the whole ticket, up to the cut")
    lines = read_escpos(bytes(printer.received)).lines
    assert [line for line in lines if line[:2] in ("1.", "2.", "3.") and line in shown] == [
        "1. Passport", "2. Report a change of address", "3. Extract from the Personal Records Database (BRP)"]
    assert kiosk.app.walk_in.ticket_number in lines
    kiosk.tap("done")
    assert kiosk.app.walk_in.chosen == []


def test_a_visitor_who_walks_away_while_choosing_several_leaves_nothing_for_the_next(open_kiosk, clock):
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services")
    kiosk.tap("several")
    kiosk.tap("add:paspoort")
    clock.advance(seconds=46)  # quiet: "are you still there?"
    kiosk.app.inactivity.tick()
    assert kiosk.app.inactivity.asking
    clock.advance(seconds=15)  # the countdown ends
    kiosk.app.inactivity.tick()
    kiosk.wait_until(lambda: kiosk.app.screen == "welcome", "the welcome screen")
    assert kiosk.app.walk_in.chosen == []
    kiosk.tap("language:nl")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services")
    assert kiosk.app.screen == "walk_in"
