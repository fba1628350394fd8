"""Where the kiosk goes: one pure state machine, ``handle(state, event) -> (state, commands)``.

No Kivy, no client: the app feeds it what the visitor did (a language chosen, a tile, back, start,
"Done", the inactivity timeout) and what the walk-in flow answered, and carries out the commands
(show a screen, reset or load a flow, draw a ticket, call a host, camera on or off, read aloud).
Leaving a screen and entering one is written once (``_go``), so every way between screens stops and
starts the camera and reads the new screen aloud alike."""

from __future__ import annotations

from dataclasses import dataclass, replace

WELCOME, HOME, CHECK_IN, WALK_IN, TICKET = "welcome", "home", "check_in", "walk_in", "ticket"
INFORMATION, CALL_HOST, CASE_STATUS, REPORT = "information", "call_host", "case_status", "report"
WALK_IN_SEVERAL = "walk_in_several"
"""A visitor who comes for more than one thing: up to three services for one visit, then the ticket."""
BOOK, BOOK_DAY, BOOK_TIME, BOOK_CONFIRM, BOOKED = "book", "book_day", "book_time", "book_confirm", "booked"
BOOKING_SCREENS = (BOOK, BOOK_DAY, BOOK_TIME, BOOK_CONFIRM, BOOKED)
"""Making an appointment: the service (or the city's booking website), the day, the time, confirm, booked."""
_BOOKING_STEPS = {"service": BOOK, "elsewhere": BOOK, "day": BOOK_DAY, "time": BOOK_TIME, "confirm": BOOK_CONFIRM,
                  "booked": BOOKED}
"""The booking flow's state → the screen that shows it (waiting or a failure keeps the screen shown)."""
PICK_UP_PREFIX = "afhalen"
"""The location's walk-in service for collecting a document (``afhalen_reisdocument``)."""
MAX_HISTORY = 20
"""Screens "back" remembers within one visit (the oldest are forgotten first)."""


@dataclass(frozen=True)
class KioskState:
    screen: str = WELCOME
    history: tuple[str, ...] = ()
    """The screens "back" returns to, the latest last."""
    services_loaded: bool = False
    """The location's services came (from the service or the kiosk's own copy)."""
    pick_up_service: str = ""
    """The location's service for collecting a document; "" where it has none."""
    booking: str = ""
    """How visitors book here: ``here`` (at the kiosk), ``elsewhere`` (the city's website) or "" (unknown,
    or neither)."""

    @property
    def hidden_tiles(self) -> frozenset[str]:
        """Home tiles whose flow the kiosk cannot offer here (hidden, never faked)."""
        hidden = set() if self.pick_up_service else {"pick_up"}
        if not self.booking:
            hidden.add("book")
        return frozenset(hidden)


# -------------------------------------------------------------------------------------------- events

@dataclass(frozen=True)
class LanguageChosen:
    """A language on the welcome screen: the visit starts (or goes on) at home."""

    language: str


@dataclass(frozen=True)
class ScreenAsked:
    screen: str


@dataclass(frozen=True)
class BackPressed:
    """The visitor pressed "back": the screen before, or home."""


@dataclass(frozen=True)
class HomePressed:
    """The visitor pressed "home": the visit's steps end."""


@dataclass(frozen=True)
class TileOpened:
    tile: str


@dataclass(frozen=True)
class HostCalled:
    reason: str = "visitor_needs_help"


@dataclass(frozen=True)
class VisitEnded:
    """"Done", or nobody touched the screen for a while."""


@dataclass(frozen=True)
class WalkInChanged:
    """The walk-in flow's state: ``several`` (choosing more than one thing), ``drawn``, ``unavailable``,
    ``failed``, ..."""

    state: str


@dataclass(frozen=True)
class ServicesKnown:
    services: tuple[str, ...]
    """The ids of the location's walk-in services."""
    loaded: bool
    booking: str = ""
    """How visitors book at this location: ``here``, ``elsewhere`` or "" (see ``KioskState.booking``)."""


@dataclass(frozen=True)
class BookingChanged:
    """The booking flow's state: ``service``, ``day``, ``time``, ``confirm``, ``booked``, ``loading``, ..."""

    state: str


Event = (LanguageChosen | ScreenAsked | BackPressed | HomePressed | TileOpened | HostCalled | VisitEnded
         | WalkInChanged | ServicesKnown | BookingChanged)


# ------------------------------------------------------------------------------------------ commands

@dataclass(frozen=True)
class ShowScreen:
    screen: str


@dataclass(frozen=True)
class StartCamera:
    """The check-in screen shows: the camera looks for a QR."""


@dataclass(frozen=True)
class StopCamera:
    """The check-in screen is left: the camera is released."""


@dataclass(frozen=True)
class ReadAloud:
    """Read what ``screen`` says, when the visitor turned read aloud on."""

    screen: str


@dataclass(frozen=True)
class BeginVisit:
    language: str


@dataclass(frozen=True)
class ResetFlow:
    """Forget what the visitor entered in this flow (it is opened afresh)."""

    flow: str


@dataclass(frozen=True)
class LoadFlow:
    """Load what this flow shows from the service (walk-in services, information)."""

    flow: str


@dataclass(frozen=True)
class DrawTicket:
    service: str


@dataclass(frozen=True)
class CallHost:
    reason: str


@dataclass(frozen=True)
class ResetVisit:
    """Everything of this visitor forgotten: flows, language, contrast, text size, read aloud."""


@dataclass(frozen=True)
class HideTiles:
    tiles: frozenset[str]


Command = (ShowScreen | StartCamera | StopCamera | ReadAloud | BeginVisit | ResetFlow | LoadFlow | DrawTicket
           | CallHost | ResetVisit | HideTiles)

_TILE_FLOWS: dict[str, tuple[str, Command]] = {
    "appointment": (CHECK_IN, ResetFlow(CHECK_IN)),
    "walk_in": (WALK_IN, ResetFlow(WALK_IN)),
    "case_status": (CASE_STATUS, ResetFlow(CASE_STATUS)),
    "report": (REPORT, ResetFlow(REPORT)),
    "information": (INFORMATION, LoadFlow(INFORMATION)),
    "book": (BOOK, ResetFlow(BOOK)),
}
"""The tiles that open a screen of their own: the screen, and how its flow is prepared."""
_TICKET_FROM = (WALK_IN, WALK_IN_SEVERAL, HOME, CASE_STATUS)
"""Screens that draw tickets: the walk-in screens, "pick up a document" at home, a ticket about a case."""


def handle(state: KioskState, event: Event) -> tuple[KioskState, list[Command]]:
    """The kiosk's next state and what the app should do, after ``event``."""
    match event:
        case LanguageChosen(language=language):
            state, commands = _go(replace(state, history=()), HOME, remember=False)
            return state, [BeginVisit(language), *commands]
        case ScreenAsked(screen=screen):
            return _go(state, screen, remember=screen != WELCOME)
        case BackPressed():
            previous = state.history[-1] if state.history else HOME
            return _go(replace(state, history=state.history[:-1]), previous, remember=False)
        case HomePressed():
            return _go(replace(state, history=()), HOME, remember=False)
        case TileOpened(tile=tile):
            return _open(state, tile)
        case HostCalled(reason=reason):
            state, commands = _go(state, CALL_HOST)
            return state, [CallHost(reason), *commands]
        case VisitEnded():
            state, commands = _go(replace(state, history=()), WELCOME, remember=False)
            return state, [ResetVisit(), StopCamera(), *[c for c in commands if not isinstance(c, StopCamera)]]
        case WalkInChanged(state=walk_in):
            if walk_in in ("drawn", "unavailable") and state.screen in _TICKET_FROM:
                return _go(state, TICKET)
            if walk_in == "several" and state.screen == WALK_IN:
                return _go(state, WALK_IN_SEVERAL)
            if walk_in == "failed" and state.screen in (HOME, CASE_STATUS):
                return _go(state, WALK_IN)  # it says what went wrong and offers a host
            return state, []
        case ServicesKnown(services=services, loaded=loaded, booking=booking):
            pick_up = next((s for s in services if s.startswith(PICK_UP_PREFIX)), "")
            state = replace(state, services_loaded=loaded, pick_up_service=pick_up, booking=booking)
            return state, [HideTiles(state.hidden_tiles)]
        case BookingChanged(state=step):
            shows = _BOOKING_STEPS.get(step, "")
            if not shows or state.screen not in BOOKING_SCREENS or shows == state.screen:
                return state, []
            if shows in state.history:  # an earlier step again (a time taken): "back" goes before it
                earlier = len(state.history) - 1 - state.history[::-1].index(shows)
                return _go(replace(state, history=state.history[:earlier]), shows, remember=False)
            return _go(state, shows)
    return state, []


def _open(state: KioskState, tile: str) -> tuple[KioskState, list[Command]]:
    if tile == "call_host":
        return handle(state, HostCalled())
    if tile == "pick_up":  # a ticket at once; the ticket screen follows the walk-in flow's answer
        return state, ([ResetFlow(WALK_IN), DrawTicket(state.pick_up_service)] if state.pick_up_service else [])
    if tile not in _TILE_FLOWS:
        return state, []
    screen, prepare = _TILE_FLOWS[tile]
    reload = [LoadFlow(WALK_IN)] if screen == WALK_IN and not state.services_loaded else []
    state, commands = _go(state, screen)
    return state, [prepare, *reload, *commands]


def _go(state: KioskState, screen: str, *, remember: bool = True) -> tuple[KioskState, list[Command]]:
    """Leave the screen shown for ``screen``; ``remember``: "back" returns to the one left."""
    if screen == state.screen:
        return state, []
    commands: list[Command] = []
    if state.screen == CHECK_IN:
        commands.append(StopCamera())
    commands.append(ShowScreen(screen))
    if screen == CHECK_IN:
        commands.append(StartCamera())
    commands.append(ReadAloud(screen))
    history = (*state.history, state.screen)[-MAX_HISTORY:] if remember else state.history
    return replace(state, screen=screen, history=history), commands
