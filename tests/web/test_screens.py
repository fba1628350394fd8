"""Every screen in a realistic morning: axe-core finds no serious or critical accessibility
problem, and a picture is taken at 1920x1080 (the mobile ticket at 390x844). The pictures go to a
temporary folder, or to docs/screens/ with GASTVRIJ_UPDATE_SCREENS=1 (then look at them)."""

from __future__ import annotations

import functools
import io
import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.devices import create_device
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.write_batch import write_alone
from tests.conftest import AMSTERDAM, Api
from tests.support.live_server import ThreadServer
from tests.web.conftest import Screen, axe_violations, screens_dir, serious, sign_in

SERVICES = ["paspoort", "identiteitskaart", "rijbewijs", "paspoort", "uittreksel_brp", "informatie", "verhuizing",
            "paspoort", "melding_klacht", "identiteitskaart", "afhalen_reisdocument", "rijbewijs", "paspoort"]
LANGUAGES = ["nl", "nl", "en", "tr", "nl", "ar", "pl", "nl", "en"]


@dataclass
class Morning:
    """A location at 10:00 after a busy start of the day, served by a live server."""

    api: Api
    clock: FixedClock
    tokens: dict[str, str]
    waiting_ticket: str
    called_ticket: str
    folder: Path

    @property
    def url(self) -> str:
        return self.api.base


@pytest.fixture(scope="module")
def morning(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Morning]:
    url = f"sqlite:///{tmp_path_factory.mktemp('morning') / 'gastvrij.sqlite'}"
    clock = FixedClock(datetime(2026, 11, 30, 8, 30, tzinfo=AMSTERDAM))
    db = Database(url)
    upgrade(db)
    # "balie" is desk 1's token (the desk page pictured); the other desks that call have one each.
    tokens = write_alone(db, clock, lambda uow: {name: create_device(uow, role, "ijsselmonde", name, desk).token
                                                 for name, role, desk in (
                                                     ("kiosk-ingang", "kiosk", None), ("pepper", "robot", None),
                                                     ("balie", "desk", "balie-1"), ("gastheer", "host", None),
                                                     ("scherm-wachtruimte", "display", None),
                                                     *((f"balie-{n}", "desk", f"balie-{n}") for n in (2, 3, 4, 6)))})
    db.dispose()
    live = ThreadServer(create_app(Settings(database_url=url, access_log=False, sse_heartbeat_seconds=0.5),
                                   clock=clock)).start()
    api = Api(live.url)
    kiosk, desk = tokens["kiosk-ingang"], tokens["balie"]

    def at(desk_id: str) -> str:
        return desk if desk_id == "balie-1" else tokens[desk_id]

    services, languages = itertools.cycle(SERVICES), itertools.cycle(LANGUAGES)
    for step in range(28):
        clock.advance(minutes=3)
        api.issue(kiosk, next(services), language=next(languages))
        if step % 4 == 0:
            api.issue(kiosk, next(services), language=next(languages))
        for desk_id, every in (("balie-1", 3), ("balie-2", 4), ("balie-3", 5), ("balie-4", 6), ("balie-6", 7)):
            if step % every == every - 1:
                api.call_next(at(desk_id), desk_id)
    clock.advance(minutes=2)
    about_case = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,  # a visit of two services
                          {"services": ["paspoort", "rijbewijs"], "language": "nl",
                           "case_reference": "ZAAK-2026-0000000318"}, key=str(uuid.uuid4())).json()
    # the desk picture: a host gives it priority, so that desk 1 calls it whatever the others waited
    api.post(f"/api/v1/tickets/{about_case['id']}/priority", tokens["gastheer"], key=str(uuid.uuid4()))
    assert api.call_next(desk, "balie-1").json()["case_reference"] == "ZAAK-2026-0000000318"
    api.issue(kiosk, "uittreksel_brp", language="tr")
    waiting = api.issue(kiosk, "uittreksel_brp", language="nl", case_reference="ZAAK-2026-0000000297").json()["id"]
    # a visit at its second service (the dashboard lists it with the first one done)
    moving = api.post("/api/v1/locations/ijsselmonde/tickets", kiosk,
                      {"services": ["informatie", "verhuizing"], "language": "pl"}, key=str(uuid.uuid4())).json()
    api.post(f"/api/v1/tickets/{moving['id']}/priority", tokens["gastheer"], key=str(uuid.uuid4()))
    assert api.call_next(at("balie-6"), "balie-6").json()["id"] == moving["id"]
    api.post(f"/api/v1/tickets/{moving['id']}/finish", at("balie-6"), key=str(uuid.uuid4()))
    called_ticket = api.issue(kiosk, "rijbewijs", language="ar").json()
    clock.advance(minutes=1)
    api.post(f"/api/v1/tickets/{called_ticket['id']}/priority", tokens["gastheer"], key=str(uuid.uuid4()))
    assert api.call_next(at("balie-3"), "balie-3").json()["id"] == called_ticket["id"]
    api.post("/api/v1/locations/ijsselmonde/assist-requests", tokens["pepper"],
             {"reason": "language", "place": "hal, bij de trap"}, key=str(uuid.uuid4()))
    api.post("/api/v1/locations/ijsselmonde/assist-requests", kiosk, {"reason": "printer"}, key=str(uuid.uuid4()))
    api.post("/api/v1/devices/me/status", kiosk, {"online": True, "printer": "paper_low"})
    api.post("/api/v1/devices/me/status", tokens["pepper"], {"online": True, "battery_percent": 64})
    api.post("/api/v1/devices/me/status", tokens["scherm-wachtruimte"], {"online": True})
    try:
        yield Morning(api, clock, tokens, waiting, called_ticket["id"], screens_dir(tmp_path_factory))
    finally:
        live.stop()


def display(morning: Morning, open_screen: Callable[..., Screen], highlight: bool = True) -> Screen:
    screen = open_screen(f"{morning.url}/display/ijsselmonde", at=morning.clock())
    screen.page.wait_for_selector("body[data-stream=online]")
    expect(screen.page.locator("#earlier-calls .call")).not_to_have_count(0)
    if not highlight:
        return screen
    morning.api.issue(morning.tokens["kiosk-ingang"], "paspoort", language="en")
    assert morning.api.call_next(morning.tokens["balie-2"], "balie-2").status_code == 200  # a new call: highlighted
    expect(screen.page.locator("#current-calls .call.is-new")).to_have_count(1)
    screen.page.click("#sound-on")  # the one touch a display needs before it may play sound
    return screen


def host_sign_in(morning: Morning, open_screen: Callable[..., Screen]) -> Screen:
    return open_screen(f"{morning.url}/host/ijsselmonde", at=morning.clock())


def host_dashboard(morning: Morning, open_screen: Callable[..., Screen]) -> Screen:
    screen = open_screen(f"{morning.url}/host/ijsselmonde", at=morning.clock())
    sign_in(screen, morning.tokens["gastheer"])
    expect(screen.page.locator("#devices .device-item")).to_have_count(3)
    expect(screen.page.locator("#assist .assist-item")).to_have_count(2)
    expect(screen.page.locator("#norms-svg .norms-name")).not_to_have_count(0)
    expect(screen.page.locator("#waiting ol.visit")).not_to_have_count(0)
    return screen


def desk(morning: Morning, open_screen: Callable[..., Screen]) -> Screen:
    screen = open_screen(f"{morning.url}/desk/ijsselmonde/balie-1", at=morning.clock())
    sign_in(screen, morning.tokens["balie"])
    expect(screen.page.locator("#visitor-number")).not_to_be_empty()
    expect(screen.page.locator("#visitor-case")).to_have_text("ZAAK-2026-0000000318")
    expect(screen.page.locator("#next-tickets li")).not_to_have_count(0)
    expect(screen.page.locator("#visitor-visit li")).to_have_count(2)
    return screen


def mobile_ticket(morning: Morning, open_screen: Callable[..., Screen]) -> Screen:
    screen = open_screen(f"{morning.url}/t/{morning.waiting_ticket}", phone=True, at=morning.clock())
    screen.page.wait_for_selector("body[data-stream=online]")
    return screen


def mobile_ticket_your_turn(morning: Morning, open_screen: Callable[..., Screen]) -> Screen:
    screen = open_screen(f"{morning.url}/t/{morning.called_ticket}", phone=True, at=morning.clock())
    expect(screen.page.locator("#state")).to_have_attribute("data-status", "called")
    screen.page.wait_for_selector("body[data-stream=online]")
    return screen


def start_page(morning: Morning, open_screen: Callable[..., Screen]) -> Screen:
    return open_screen(f"{morning.url}/")


def not_found(morning: Morning, open_screen: Callable[..., Screen]) -> Screen:
    return open_screen(f"{morning.url}/display/rotterdam-zuid")


def save_small_png(png: bytes, path: Path) -> None:
    """256 colours without dithering: looks the same for flat screens, a third of the size."""
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


PICTURED = {"display": display, "host-sign-in": host_sign_in, "host-dashboard": host_dashboard, "desk": desk,
            "mobile-ticket": mobile_ticket, "mobile-ticket-your-turn": mobile_ticket_your_turn}


@pytest.mark.parametrize("name", [*PICTURED, "start", "not-found"])
def test_every_screen_has_no_serious_accessibility_problem_and_is_pictured(name, morning, open_screen):
    prepare = {**PICTURED, "start": start_page, "not-found": not_found}[name]
    screen = prepare(morning, open_screen)
    problems = serious(axe_violations(screen.page))
    assert not problems, f"axe-core on {name}:\n{problems}"
    if name in PICTURED:
        screen.page.wait_for_timeout(300)  # let the last live update settle
        # The dashboard is taller than a screen: its picture shows all of it.
        picture = screen.page.screenshot(animations="disabled", full_page=name == "host-dashboard")
        save_small_png(picture, morning.folder / f"{name}.png")
    screen.expect_no_errors("404 (Not Found)")


# Every control, panel, table and chart text on the page: none may cover another, or stick out of
# its panel or chart (a wide table scrolls inside its own box, so what is in there may be wider).
LAYOUT_PROBLEMS = """() => {
  const controls = [...document.querySelectorAll(
    "a[href], button, input, select, textarea, summary, [tabindex='0'], .panel, table, svg, svg text, .call, "
    + ".waiting-tile")]
    .filter((element) => {
      const rect = element.getBoundingClientRect();
      return rect.width > 0 && rect.height > 0
        && element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    });
  const box = (element) => element.getBoundingClientRect();
  const name = (element) => `${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}`
    + (typeof element.className === "string" && element.className ? `.${element.className.split(" ").join(".")}` : "")
    + ` "${(element.textContent || "").trim().slice(0, 30)}"`;
  const problems = [];
  for (let i = 0; i < controls.length; i += 1) {
    for (let j = i + 1; j < controls.length; j += 1) {
      const a = controls[i], b = controls[j];
      if (a.contains(b) || b.contains(a)) continue;
      const p = box(a), q = box(b);
      const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (x > 1 && y > 1) problems.push(`${name(a)} overlaps ${name(b)}`);
    }
  }
  for (const control of controls) {
    const frame = control.parentElement.closest(".panel, .ticket-list, .call, .waiting-tile, svg");
    if (!frame || control.parentElement.closest(".table-scroll")) continue; // that box scrolls sideways
    const p = box(control), q = box(frame);
    if (p.left < q.left - 1 || p.right > q.right + 1) problems.push(`${name(control)} sticks out of ${name(frame)}`);
  }
  return problems;
}"""

# The display as it stands (its highlighted call is pictured above).
REFLOWED = {**PICTURED, "display": functools.partial(display, highlight=False), "start": start_page,
            "not-found": not_found}


@pytest.mark.parametrize("name", REFLOWED)
def test_every_screen_reflows_at_1280_640_and_320_px_without_sideways_scrolling_or_overlap(
        name, morning, open_screen, tmp_path):
    screen = REFLOWED[name](morning, open_screen)
    page = screen.page
    page.evaluate("document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    for width in (2560, 1920, 1280, 640, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(250)  # the charts redraw at their new width after 100 ms
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} at {width} px scrolls sideways ({scroll_width} px wide)"
        problems = page.evaluate(LAYOUT_PROBLEMS)
        page.screenshot(path=tmp_path / f"{name}-{width}.png", full_page=True)
        assert problems == [], f"{name} at {width} px:\n" + "\n".join(problems[:20])
    screen.expect_no_errors("404 (Not Found)")
