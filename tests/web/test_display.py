"""The waiting-room display, in a real browser against the real server."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from queue_ticketing.api.app import create_app
from tests.conftest import Api
from tests.support.live_server import ThreadServer, wait_until

CALLS = "#current-calls .call"
SHOWN_NUMBERS = "#current-calls .call-number, #earlier-calls .call-number"

SPEECH_STUB = """
window.__spoken = []; window.__overlaps = 0; window.__cancelled = 0;
let speaking = false;
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  getVoices: () => [], cancel() { window.__cancelled += 1; },
  speak(utterance) {
    if (speaking) window.__overlaps += 1;
    speaking = true;
    window.__spoken.push({text: utterance.text, lang: utterance.lang});
    setTimeout(() => { speaking = false; utterance.onend && utterance.onend(); }, 120);
  }}});
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; this.lang = ""; } };
"""


def test_a_call_at_a_desk_appears_on_the_display_within_a_second(server, api, make_token, open_screen):
    kiosk = make_token("kiosk")
    api.issue(kiosk, "uittreksel_brp")
    screen = open_screen(f"{server.url}/display/ijsselmonde")
    screen.page.wait_for_selector("body[data-stream=online]")

    called = api.call_next(make_token("desk", desk="balie-4"), "balie-4")
    started = time.monotonic()
    number = called.json()["number"]
    first = screen.page.locator(CALLS).first
    expect(first.locator(".call-number")).to_have_text(number, timeout=1000)
    assert time.monotonic() - started < 1.0
    expect(first.locator(".call-desk-number")).to_have_text("4")
    expect(first).to_have_class("call call-current is-new")  # highlighted while it is new
    screen.expect_no_errors()


def test_the_display_starts_from_the_queue_with_calls_and_waiting_per_service(server, api, make_token,
                                                                               open_screen):
    kiosk = make_token("kiosk")
    for service in ("paspoort", "paspoort", "rijbewijs", "informatie"):
        api.issue(kiosk, service)
    called = api.call_next(make_token("desk", desk="balie-2"), "balie-2").json()["number"]

    page = open_screen(f"{server.url}/display/ijsselmonde").page
    expect(page.locator(CALLS)).to_have_count(1)
    expect(page.locator(f"{CALLS} .call-number")).to_have_text(called)
    expect(page.locator(f"{CALLS}.is-new")).to_have_count(0)  # already called before: no highlight, no chime
    paspoort = page.locator('.waiting-tile[data-service="paspoort"]')
    expect(paspoort.locator('[data-field="count"]')).to_have_text("1")
    expect(paspoort.locator('[data-field="estimate"]')).to_have_text(re.compile(r"^± \d+ min$"))
    expect(page.locator('.waiting-tile[data-service="rijbewijs"] [data-field="count"]')).to_have_text("1")
    expect(page.locator("#clock-time")).to_have_text(re.compile(r"^\d\d:\d\d$"))


def test_call_outs_wait_their_turn_and_each_names_the_desk(server, api, make_token, open_screen):
    kiosk = make_token("kiosk")
    for service, language in (("paspoort", "tr"), ("rijbewijs", "nl"), ("uittreksel_brp", "pl")):
        api.issue(kiosk, service, language=language)
    screen = open_screen(f"{server.url}/display/ijsselmonde?speech=on", init_script=SPEECH_STUB)
    page = screen.page
    page.wait_for_selector("body[data-stream=online]")

    numbers = [api.call_next(make_token("desk", desk=d), d).json()["number"]
               for d in ("balie-1", "balie-3", "balie-4")]

    wait_until(lambda: page.evaluate("window.__spoken.length") >= 5, 10, 0.1, "five call-outs")
    page.wait_for_timeout(600)
    spoken = page.evaluate("window.__spoken")
    spoke = [s["text"] for s in spoken]
    spoken_number = [f"{n[0]} {int(n[1:])}" for n in numbers]
    assert spoke == [
        f"Nummer {spoken_number[0]}, naar balie 1 alstublieft.",
        f"Numara {spoken_number[0]}, lütfen 1 numaralı gişeye gidin.",
        f"Nummer {spoken_number[1]}, naar balie 3 alstublieft.",
        f"Nummer {spoken_number[2]}, naar balie 4 alstublieft.",
        f"Numer {spoken_number[2]}, proszę podejść do stanowiska 4.",
    ]
    assert [s["lang"] for s in spoken] == ["nl-NL", "tr-TR", "nl-NL", "nl-NL", "pl-PL"]
    assert page.evaluate("window.__overlaps") == 0, "an announcement started while another was still spoken"
    assert page.evaluate("window.__cancelled") == 0, "an announcement was cut off"


def test_the_display_reconnects_after_a_server_restart_and_shows_no_call_twice(settings, clock, make_token,
                                                                               open_screen):
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    first = ThreadServer(create_app(settings, clock=clock)).start()
    port, second = first.port, None
    try:
        api = Api(first.url)
        for _ in range(4):
            api.issue(kiosk, "paspoort")
        screen = open_screen(f"{first.url}/display/ijsselmonde")
        page = screen.page
        page.wait_for_selector("body[data-stream=online]")
        before = api.call_next(desk, "balie-1").json()["number"]
        expect(page.locator(CALLS).first.locator(".call-number")).to_have_text(before)

        first.stop()
        expect(page.locator("#connection")).to_be_visible(timeout=5000)
        expect(page.locator("body")).to_have_attribute("data-stream", "offline")

        second = ThreadServer(create_app(settings, clock=clock), port=port).start()
        api = Api(second.url)
        # Called while the display is still away: it must arrive after the reconnect (Last-Event-ID).
        while_away = api.call_next(make_token("desk", desk="balie-2"), "balie-2").json()["number"]
        expect(page.locator("#connection")).to_be_hidden(timeout=10000)
        after = api.call_next(make_token("desk", desk="balie-3"), "balie-3").json()["number"]
        expect(page.locator(CALLS).first.locator(".call-number")).to_have_text(after)

        shown = page.locator(SHOWN_NUMBERS).all_inner_texts()
        assert sorted(shown) == sorted([before, while_away, after]), shown
        assert len(shown) == len(set(shown)), f"a call is shown twice: {shown}"
        desks = page.locator(f"{CALLS} .call-desk-number").all_inner_texts()
        assert desks == ["3", "2", "1"]
    finally:
        for live in (first, second):
            if live is not None:
                live.stop()


def test_a_number_called_again_for_its_next_service_is_shown_and_chimed_again(server, api, make_token,
                                                                             open_screen, clock):
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    visit = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,
                     {"services": ["paspoort", "verhuizing"]}, key="visit-1").json()
    assert api.call_next(desk, "balie-1").json()["id"] == visit["id"]
    # The display starts after the first call: it knows it from the queue's snapshot.
    screen = open_screen(f"{server.url}/display/ijsselmonde")
    page = screen.page
    page.wait_for_selector("body[data-stream=online]")
    first = page.locator(CALLS).first
    expect(first.locator(".call-number")).to_have_text(visit["number"])
    expect(first.locator(".call-desk-number")).to_have_text("1")
    expect(page.locator(f"{CALLS}.is-new")).to_have_count(0)

    clock.advance(minutes=10)
    api.post(f"/api/v1/tickets/{visit['id']}/finish", desk, key="finish-1")
    clock.advance(seconds=3)
    assert api.call_next(make_token("desk", desk="balie-4"), "balie-4").json()["id"] == visit["id"]
    expect(first.locator(".call-desk-number")).to_have_text("4", timeout=2000)
    expect(first.locator(".call-number")).to_have_text(visit["number"])
    expect(first).to_have_class("call call-current is-new")  # a new call: highlighted
    expect(page.locator(SHOWN_NUMBERS)).to_have_text([visit["number"]])  # shown once, at its new desk
    screen.expect_no_errors()


def test_a_number_called_again_at_the_same_desk_for_its_next_service_is_a_new_call(server, api, make_token,
                                                                                  open_screen, clock):
    kiosk, desk = make_token("kiosk"), make_token("desk", desk="balie-1")
    visit = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,
                     {"services": ["paspoort", "identiteitskaart"]}, key="visit-2").json()
    api.call_next(desk, "balie-1")
    screen = open_screen(f"{server.url}/display/ijsselmonde")
    page = screen.page
    page.wait_for_selector("body[data-stream=online]")
    first = page.locator(CALLS).first
    expect(first.locator(".call-number")).to_have_text(visit["number"])
    expect(page.locator(f"{CALLS}.is-new")).to_have_count(0)

    clock.advance(minutes=10)
    api.post(f"/api/v1/tickets/{visit['id']}/finish", desk, key="finish-2")
    clock.advance(seconds=3)
    assert api.call_next(desk, "balie-1").json()["service"] == "identiteitskaart"
    expect(first).to_have_class("call call-current is-new", timeout=2000)  # not taken for the call it showed
    expect(first.locator(".call-desk-number")).to_have_text("1")
    screen.expect_no_errors()
