"""The robot host's behaviour: one pure state machine, ``handle(state, event, now) -> (state, commands)``.

No qi, no HTTP, no clock of its own: the NAOqi adapter feeds it events and carries out the
commands, and time comes in as ``now``. Every event is safe to receive twice or out of order:
answers carry the action key they belong to, and a person or a flag the state already knows is
ignored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from location_config import Location

from . import intents
from .commands import (
    CheckIn,
    Command,
    DrawTicket,
    Listen,
    PointAt,
    ReportStatus,
    RequestAssist,
    Reset,
    Say,
    SetLanguage,
    ShowTablet,
    StopSpeech,
)
from .events import (
    BatteryLevel,
    CheckedIn,
    CheckInFailed,
    Event,
    HostPaused,
    HostResumed,
    PersonEntered,
    PersonLeft,
    PersonMovedAway,
    RobotLanguages,
    RobotReconnected,
    ServiceDown,
    ServiceUp,
    SpeechFinished,
    SpeechRecognised,
    TabletStatus,
    TabletTapped,
    Tick,
    TicketFailed,
    TicketIssued,
)
from .speech import SPOKEN, phrase

IDLE, GREETING, LISTENING, CLARIFYING, SERVING = "idle", "greeting", "listening", "clarifying", "serving"
DIRECTING, HAND_OFF, DEGRADED, LOW_BATTERY, PAUSED = "directing", "hand_off", "degraded", "low_battery", "paused"
ENGAGED = (GREETING, LISTENING, CLARIFYING, SERVING, DIRECTING, HAND_OFF)


@dataclass(frozen=True)
class Settings:
    min_confidence: float = 0.5
    battery_low_percent: int = 20
    battery_ok_percent: int = 30
    """Hysteresis: low at or below ``battery_low_percent``, fine again only at ``battery_ok_percent``."""
    greeting_seconds: float = 6.0
    """Start listening this long after the greeting if the robot never said it finished."""
    answer_seconds: float = 10.0
    """Give up waiting for the central service's answer to a ticket or check-in after this long."""
    status_seconds: float = 60.0


@dataclass(frozen=True)
class HostState:
    location: Location
    settings: Settings = Settings()
    mode: str = IDLE
    since: datetime | None = None
    language: str = "nl"
    visitor: int = 0
    """Counts visitors; action keys are made of it so a repeated request reuses its key."""
    person: int | None = None
    waiting: tuple[int, ...] = ()
    """People in the zone who were told "a moment"; the first is greeted next."""
    misunderstood: int = 0
    pending: str | None = None
    """The action key of the ticket or check-in the robot is waiting for."""
    service_up: bool = True
    battery: int | None = None
    battery_low: bool = False
    paused: bool = False
    last_status: datetime | None = None
    spoken: tuple[str, ...] = SPOKEN
    """The languages the robot has packs for; the tablet offers the location's others too."""
    tablet: str | None = None
    """The tablet as the hosts' dashboard shows it: ``ok``, ``wifi_<status>``, ``page_error``, ``missing``."""

    @property
    def home(self) -> str:
        """The language a visitor is greeted in: Dutch, or English on a robot without Dutch."""
        return "nl" if "nl" in self.spoken or not self.spoken else ("en" if "en" in self.spoken else self.spoken[0])

    @property
    def voice(self) -> str:
        """The language the robot speaks and listens in: the visitor's, if the robot has it."""
        if self.language in self.spoken:
            return self.language
        return "en" if "en" in self.spoken else self.home


def initial_state(location: Location, settings: Settings = Settings()) -> HostState:
    return HostState(location=location, settings=settings)


def handle(state: HostState, event: Event, now: datetime) -> tuple[HostState, list[Command]]:
    """The robot's next state and what it should do, after ``event`` at ``now``."""
    match event:
        case HostPaused():
            return _pause(state, now)
        case HostResumed():
            return _resume(state, now)
        case BatteryLevel(percent=percent):
            return _battery(state, percent, now)
        case ServiceDown():
            return _service_down(state, now)
        case ServiceUp():
            return _service_up(state, now)
        case Tick():
            return _tick(state, now)
        case RobotReconnected():
            return _reconnected(state, now)
        case RobotLanguages(spoken=spoken):
            state = replace(state, spoken=spoken)
            return (state if state.person else replace(state, language=state.home)), []
        case TabletStatus():
            return _tablet(state, event)
    if state.paused:
        return state, []
    match event:
        case PersonEntered(person_id=person):
            return _person_entered(state, person, now)
        case PersonLeft(person_id=person) | PersonMovedAway(person_id=person):
            return _person_left(state, person, now)
    if state.mode not in ENGAGED:
        return state, []
    match event:
        case SpeechFinished():
            return _speech_finished(state, now)
        case SpeechRecognised():
            return _recognised(state, event, now)
        case TabletTapped(action=action):
            return _intent(state, intents.from_tap(action, state.location), now)
        case TicketIssued() | TicketFailed() | CheckedIn() | CheckInFailed():
            return _answer(state, event, now)
    return state, []


# ------------------------------------------------------------------------------------------ helpers

def _to(state: HostState, mode: str, now: datetime, **changes: object) -> HostState:
    return replace(state, mode=mode, since=now, **changes)  # type: ignore[arg-type]


def _say(state: HostState, message: str, animated: bool = True, **values: object) -> Say:
    return Say(phrase(state.voice, message, **values), state.voice, animated)


def _listen(state: HostState) -> Listen:
    return Listen(intents.vocabulary(state.location, state.voice), state.voice)


def _resting_mode(state: HostState) -> str:
    """Where the robot goes when nobody is being helped."""
    if state.paused:
        return PAUSED
    if state.battery_low:
        return LOW_BATTERY
    return IDLE if state.service_up else DEGRADED


def _greeting(state: HostState, now: datetime) -> str:
    hour = now.astimezone(ZoneInfo(state.location.timezone)).hour
    if hour < 12:
        return "Good morning, welcome to {location}!"
    if hour < 18:
        return "Good afternoon, welcome to {location}!"
    return "Good evening, welcome to {location}!"


def _name(names: Mapping[str, str], language: str, fallback: str) -> str:
    return names.get(language) or names.get("en") or fallback


def _spoken_number(number: str) -> str:
    """``P012`` as it is said: ``P 12``."""
    letters = number.rstrip("0123456789")
    digits = number[len(letters):]
    return f"{letters} {int(digits)}" if digits else number


# ---------------------------------------------------------------------------------------- visitors

def _engage(state: HostState, person: int, now: datetime, waiting: tuple[int, ...]) -> tuple[HostState, list[Command]]:
    state = _to(state, GREETING, now, person=person, waiting=waiting, visitor=state.visitor + 1,
                language=state.home, misunderstood=0, pending=None)
    commands: list[Command] = [_say(state, _greeting(state, now), location=state.location.name),
                               ShowTablet("menu", state.language)]
    if not state.service_up:
        commands.append(_say(state, "Our ticket system is not available right now. "
                                    "For a ticket, please use the kiosk at the entrance or ask a host."))
    return state, commands


def _person_entered(state: HostState, person: int, now: datetime) -> tuple[HostState, list[Command]]:
    if person == state.person or person in state.waiting:
        return state, []
    if state.mode in (IDLE, DEGRADED):
        return _engage(state, person, now, state.waiting)
    if state.mode in ENGAGED:
        state = replace(state, waiting=(*state.waiting, person))
        return state, [_say(state, "I'll be with you in a moment.", animated=False)]
    return state, []  # low battery: no longer engaging


def _person_left(state: HostState, person: int, now: datetime) -> tuple[HostState, list[Command]]:
    if person in state.waiting:
        return replace(state, waiting=tuple(p for p in state.waiting if p != person)), []
    if person != state.person:
        return state, []
    # No goodbye to nobody: stop mid-sentence and get ready for the next visitor.
    commands: list[Command] = [StopSpeech(), Reset()]
    state = _to(state, _resting_mode(state), now, person=None, pending=None, misunderstood=0,
                language=state.home)
    if state.waiting and state.mode in (IDLE, DEGRADED):
        first, rest = state.waiting[0], state.waiting[1:]
        state, more = _engage(state, first, now, rest)
        commands += more
    return state, commands


def _speech_finished(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    if state.mode in (GREETING, DIRECTING):
        return _to(state, LISTENING, now), [_listen(state)]
    return state, []


def _recognised(state: HostState, event: SpeechRecognised, now: datetime) -> tuple[HostState, list[Command]]:
    if state.mode == SERVING:
        return state, []  # one request at a time; the answer is on its way
    if event.confidence < state.settings.min_confidence:
        return _not_understood(state, now)
    commands: list[Command] = []
    if event.language in state.spoken and event.language != state.voice:
        state = replace(state, language=event.language)
        commands.append(SetLanguage(event.language))
    state, more = _intent(state, intents.from_speech(event.text, state.location), now)
    return state, commands + more


def _not_understood(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    """One clarification, then the tablet, then a human host."""
    tries = state.misunderstood + 1
    if tries == 1:
        state = _to(state, CLARIFYING, now, misunderstood=tries)
        return state, [_say(state, "Sorry, I didn't catch that. Could you say it once more?"), _listen(state)]
    if tries == 2:
        state = _to(state, CLARIFYING, now, misunderstood=tries)
        return state, [_say(state, "You can also choose on my tablet."), ShowTablet("menu", state.language),
                       _listen(state)]
    state = _to(state, HAND_OFF, now, misunderstood=tries)
    return state, [RequestAssist("visitor_needs_help", "robot did not understand"),
                   _say(state, "I'll ask a colleague to help you. Please wait here a moment.")]


# ----------------------------------------------------------------------------------------- intents

def _intent(state: HostState, intent: intents.Intent, now: datetime) -> tuple[HostState, list[Command]]:
    if state.mode == SERVING and not isinstance(intent, intents.SwitchLanguage):
        return state, []
    location = state.location
    match intent:
        case intents.SwitchLanguage(language=language):
            if language == state.language:
                return state, []
            voice = state.voice
            state = replace(state, language=language)
            commands: list[Command] = [ShowTablet("menu", language)]
            if state.voice != voice:
                commands.insert(0, SetLanguage(state.voice))
            return state, [*commands, _say(state, "How can I help you?"), _listen(state)]
        case intents.WantTicket(service=service):
            return _want_ticket(state, service, now)
        case intents.WantCheckIn(code=None):
            state = _to(state, LISTENING, now, misunderstood=0)
            return state, [_say(state, "Please type the code of your appointment on my tablet."),
                           ShowTablet("check_in", state.language)]
        case intents.WantCheckIn(code=str(code)):
            key = f"{state.visitor}:check_in:{code}"
            state = _to(state, SERVING, now, pending=key, misunderstood=0)
            return state, [CheckIn(code, key)]
        case intents.WantDirections(place=place):
            desk = location.desk(place)
            spot = desk or next(m for m in location.landmarks if m.id == place)
            state = _to(state, DIRECTING, now, misunderstood=0)
            return state, [_say(state, _name(spot.wayfinding, state.language, "")),
                           PointAt(spot.position.x, spot.position.y)]
        case intents.WantHours():
            return _opening_hours(state, now)
        case intents.WantBring(service=service):
            return _bring(state, service, now)
        case intents.WantPerson():
            state = _to(state, HAND_OFF, now, misunderstood=0)
            return state, [RequestAssist("visitor_needs_help", "asked for a person"),
                           _say(state, "A colleague is on the way. Please wait here a moment.")]
    return _not_understood(state, now)


def _want_ticket(state: HostState, service: str, now: datetime) -> tuple[HostState, list[Command]]:
    if not state.service_up:
        state = _to(state, LISTENING, now, misunderstood=0)
        return state, [_say(state, "I'm sorry, I can't give out tickets right now. "
                                   "Please use the kiosk at the entrance or ask a host."), _listen(state)]
    # Nothing said before the number: it comes in milliseconds, and a sentence first would delay it by seconds.
    key = f"{state.visitor}:ticket:{service}"
    state = _to(state, SERVING, now, pending=key, misunderstood=0)
    return state, [DrawTicket(service, state.language, key)]


def _opening_hours(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    local = now.astimezone(ZoneInfo(state.location.timezone))
    ranges = state.location.opening_hours.on(local.date())
    state = _to(state, LISTENING, now, misunderstood=0)
    if not ranges:
        return state, [_say(state, "We are closed today."), _listen(state)]
    hours = ", ".join(f"{r.opens:%H:%M} - {r.closes:%H:%M}" for r in ranges)
    return state, [_say(state, "Today we are open {hours}.", hours=hours), _listen(state)]


def _bring(state: HostState, service_id: str | None, now: datetime) -> tuple[HostState, list[Command]]:
    service = state.location.service(service_id) if service_id else None
    state = _to(state, LISTENING, now, misunderstood=0)
    if service is None or not service.bring:
        return state, [_say(state, "For which service? You can choose on my tablet."),
                       ShowTablet("menu", state.language), _listen(state)]
    items = service.bring.get(state.language) or service.bring.get("en") or ()
    name = _name(service.names, state.language, service.id)
    return state, [_say(state, "For {service}, please bring: {items}.", service=name.lower(),
                        items="; ".join(items)), _listen(state)]


def _answer(state: HostState, event: Event, now: datetime) -> tuple[HostState, list[Command]]:
    key = event.action_key  # type: ignore[union-attr]
    if key != state.pending:
        return state, []  # an answer for an earlier visitor or request, or the same answer twice
    state = _to(state, LISTENING, now, pending=None)
    match event:
        case TicketIssued(number=number, url=url):
            commands: list[Command] = [_say(state, "Your number is {number}. Please wait in the waiting area; "
                                                   "your number will appear on the screen.",
                                            number=_spoken_number(number))]
            if url:
                commands.append(ShowTablet("ticket", state.language, url))
            return state, [*commands, _listen(state)]
        case CheckedIn(number=number, url=url):
            commands = [_say(state, "You are checked in. Your number is {number}.", number=_spoken_number(number))]
            if url:
                commands.append(ShowTablet("ticket", state.language, url))
            return state, [*commands, _listen(state)]
        case TicketFailed(reason="offline") | CheckInFailed(reason="offline"):
            state = replace(state, service_up=False)
            return state, [_say(state, "I'm sorry, I can't give out tickets right now. "
                                       "Please use the kiosk at the entrance or ask a host."), _listen(state)]
        case CheckInFailed(reason="queued"):
            return state, [_say(state, "I'm sorry, I couldn't check you in right now. "
                                       "Please ask a host, they will help you."), _listen(state)]
        case CheckInFailed():
            return state, [_say(state, "I couldn't find that appointment. Please check the code or ask a host."),
                           ShowTablet("check_in", state.language), _listen(state)]
    return state, [_say(state, "I'm sorry, that didn't work. Please use the kiosk at the entrance or ask a host."),
                   _listen(state)]


# ------------------------------------------------------------------------------ the robot's health

def _pause(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    if state.paused:
        return state, []
    state = _to(state, PAUSED, now, paused=True, person=None, waiting=(), pending=None, language=state.home)
    return state, [StopSpeech(), Reset(), ShowTablet("paused", state.home)]


def _resume(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    if not state.paused:
        return state, []
    state = replace(state, paused=False)
    return _to(state, _resting_mode(state), now), [Reset()]


def _reconnected(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    state = _to(state, _resting_mode(state), now, person=None, waiting=(), pending=None,
                misunderstood=0, language=state.home)
    return state, [Reset(), ShowTablet("paused", state.home)] if state.paused else [Reset()]


def _battery(state: HostState, percent: int, now: datetime) -> tuple[HostState, list[Command]]:
    settings = state.settings
    state = replace(state, battery=percent)
    if not state.battery_low and percent <= settings.battery_low_percent:
        state = replace(state, battery_low=True)
        commands: list[Command] = [ReportStatus(percent, "low_battery", state.tablet),
                                   RequestAssist("low_battery", "robot battery low")]
        if state.mode in (IDLE, DEGRADED):  # an engaged visitor is helped to the end first
            state = _to(state, LOW_BATTERY, now)
        return state, commands
    if state.battery_low and percent >= settings.battery_ok_percent:
        state = replace(state, battery_low=False)
        if state.mode == LOW_BATTERY:
            state = _to(state, _resting_mode(state), now)
        return state, [ReportStatus(percent, None, state.tablet)]
    return state, []


def _tablet(state: HostState, event: TabletStatus) -> tuple[HostState, list[Command]]:
    """The tablet's state for the hosts' dashboard, reported as soon as it changes."""
    if event.problem:
        tablet = event.problem
    elif event.wifi is None:
        tablet = "missing"
    else:
        tablet = "ok" if event.wifi == "CONNECTED" else f"wifi_{event.wifi.lower()}"
    if tablet == state.tablet:
        return state, []
    state = replace(state, tablet=tablet)
    return state, [ReportStatus(state.battery, state.mode, tablet)]


def _service_down(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    if not state.service_up:
        return state, []
    state = replace(state, service_up=False)
    if state.mode == IDLE:
        state = _to(state, DEGRADED, now)
    return state, []


def _service_up(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    if state.service_up:
        return state, []
    state = replace(state, service_up=True)
    if state.mode == DEGRADED:
        state = _to(state, _resting_mode(state), now)
    return state, []


def _tick(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    settings = state.settings
    commands: list[Command] = []
    if state.last_status is None or now - state.last_status >= timedelta(seconds=settings.status_seconds):
        state = replace(state, last_status=now)
        commands.append(ReportStatus(state.battery, state.mode, state.tablet))
    elapsed = now - state.since if state.since else timedelta(0)
    if state.mode == GREETING and elapsed >= timedelta(seconds=settings.greeting_seconds):
        state = _to(state, LISTENING, now)
        commands.append(_listen(state))
    elif state.mode == SERVING and elapsed >= timedelta(seconds=settings.answer_seconds):
        # Keep the key: a late answer is still told to the visitor, a repeated request reuses it.
        state = _to(state, LISTENING, now)
        commands += [_say(state, "I'm sorry, this takes too long. "
                                 "Please use the kiosk at the entrance or ask a host."), _listen(state)]
    return state, commands
