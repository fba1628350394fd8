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
    BookAppointment,
    CheckIn,
    Command,
    DrawTicket,
    FindSlots,
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
    Booked,
    BookingFailed,
    BookingOptions,
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
    SlotsFound,
    SpeechFinished,
    SpeechRecognised,
    TabletStatus,
    TabletTapped,
    Tick,
    TicketFailed,
    TicketIssued,
)
from .speech import SPOKEN, phrase, spoken_day, spoken_time

IDLE, GREETING, LISTENING, CLARIFYING, SERVING = "idle", "greeting", "listening", "clarifying", "serving"
DIRECTING, HAND_OFF, DEGRADED, LOW_BATTERY, PAUSED = "directing", "hand_off", "degraded", "low_battery", "paused"
BOOKING = "booking"
ENGAGED = (GREETING, LISTENING, CLARIFYING, SERVING, DIRECTING, HAND_OFF, BOOKING)
OFFERED = 3
"""Free times the robot says and the tablet shows at once."""
BOOKING_PAGES = ("book", "booked", "book_elsewhere", "book_offline")


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
    booking_answer_seconds: float = 12.0
    """Silence this long while the robot waits for a service, a time or a yes: it asks once more, then gives up."""


@dataclass(frozen=True)
class Booking:
    """A visitor booking a later appointment: what the robot asked (``step``: ``service``, ``time``,
    or ``host``: whether to call a host because booking needs the connection) and what it offered."""

    step: str
    service: str | None = None
    services: tuple[str, ...] = ()
    times: tuple[datetime, ...] = ()
    tries: int = 0
    """Answers not understood (or silences) to the current question."""


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
    booking: Booking | None = None
    """The appointment being booked, while the robot asks or waits for the central service."""
    shown: ShowTablet | None = None
    """The page the tablet was last asked to show (None: the menu after a reset)."""

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
    state, commands = _handle(state, event, now)
    for command in commands:  # what the tablet shows, so that a page can be shown again in another language
        if isinstance(command, ShowTablet):
            state = replace(state, shown=command)
        elif isinstance(command, Reset):
            state = replace(state, shown=None)
    return state, commands


def _handle(state: HostState, event: Event, now: datetime) -> tuple[HostState, list[Command]]:
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
        case BookingOptions() | SlotsFound() | Booked() | BookingFailed():
            return _booking_answer(state, event, now)
    return state, []


# ------------------------------------------------------------------------------------------ helpers

def _to(state: HostState, mode: str, now: datetime, **changes: object) -> HostState:
    return replace(state, mode=mode, since=now, **changes)  # type: ignore[arg-type]


def _say(state: HostState, message: str, animated: bool = True, **values: object) -> Say:
    return Say(phrase(state.voice, message, **values), state.voice, animated)


def _text(state: HostState, message: str, **values: object) -> str:
    """A part of a sentence in the robot's voice's language."""
    return phrase(state.voice, message, **values)


def _listen(state: HostState) -> Listen:
    words = intents.vocabulary(state.location, state.voice)
    if state.booking is not None:
        words += intents.booking_vocabulary(state.voice, state.booking.times, state.location.timezone)
    return Listen(tuple(dict.fromkeys(words)), state.voice)


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
                language=state.home, misunderstood=0, pending=None, booking=None)
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
                language=state.home, booking=None)
    if state.waiting and state.mode in (IDLE, DEGRADED):
        first, rest = state.waiting[0], state.waiting[1:]
        state, more = _engage(state, first, now, rest)
        commands += more
    return state, commands


def _speech_finished(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    if state.mode in (GREETING, DIRECTING):
        return _to(state, LISTENING, now), [_listen(state)]
    if state.mode == BOOKING:  # the visitor's time to answer starts once the times and the question are said
        return _to(state, BOOKING, now), []
    return state, []


def _recognised(state: HostState, event: SpeechRecognised, now: datetime) -> tuple[HostState, list[Command]]:
    if state.mode == SERVING:
        return state, []  # one request at a time; the answer is on its way
    if event.confidence < state.settings.min_confidence:
        return _booking_not_understood(state, now) if state.mode == BOOKING else _not_understood(state, now)
    commands: list[Command] = []
    if event.language in state.spoken and event.language != state.voice:
        state = replace(state, language=event.language)
        commands.append(SetLanguage(event.language))
    if state.mode == BOOKING:
        state, more = _booking_reply(state, event.text, now)
    else:
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
        case intents.WantBooking(service=service):
            return _want_booking(state, service, now)
        case intents.ChooseTime(starts_at=starts_at):
            return _choose_time(state, starts_at, now)
        case intents.NotUnderstood() if state.mode == BOOKING:
            return _booking_not_understood(state, now)
        case intents.GoBack():  # the tablet went to its menu itself; a booking there is left
            mode = LISTENING if state.mode == BOOKING else state.mode
            return _to(state, mode, now, booking=None, shown=ShowTablet("menu", state.language)), []
        case intents.SwitchLanguage(language=language):
            if language == state.language:
                return state, []
            voice = state.voice
            state = replace(state, language=language)
            # A booking page stays (in the new language): the times, the code and its QR, the website.
            shown = state.shown if state.shown and state.shown.page in BOOKING_PAGES else None
            commands: list[Command] = [replace(shown, language=language) if shown else ShowTablet("menu", language)]
            if state.voice != voice:
                commands.insert(0, SetLanguage(state.voice))
            if state.mode == BOOKING and state.booking is not None:
                state = _to(state, BOOKING, now, booking=replace(state.booking, tries=0))
                return state, [*commands, _question(state), _listen(state)]
            return state, [*commands, _say(state, "How can I help you?"), _listen(state)]
    state = replace(state, booking=None)  # anything else the visitor asks ends the booking
    match intent:
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


# ----------------------------------------------------------------------------------------- booking

def _when(state: HostState, times: tuple[datetime, ...], now: datetime) -> str:
    """Times as said: "maandag 7 december om 10:15, om 10:30 of om 10:45" (the day once per day)."""
    zone = ZoneInfo(state.location.timezone)
    today = now.astimezone(zone).date()
    said: list[str] = []
    day_before = None
    for at in times:
        local = at.astimezone(zone)
        time = spoken_time(local, state.voice)
        if local.date() == day_before:
            said.append(_text(state, "at {time}", time=time))
        else:
            if local.date() == today:
                day = _text(state, "today")
            elif (local.date() - today).days == 1:
                day = _text(state, "tomorrow")
            else:
                day = spoken_day(local, state.voice)
            said.append(_text(state, "{day} at {time}", day=day, time=time))
        day_before = local.date()
    if len(said) == 1:
        return said[0]
    return _text(state, "{first} or {last}", first=", ".join(said[:-1]), last=said[-1])


def _service_name(state: HostState, service_id: str) -> str:
    service = state.location.service(service_id)
    return _name(service.names, state.language, service.id).lower() if service else service_id


def _book_page(state: HostState) -> ShowTablet:
    """The tablet's booking page: the services to choose from, or the times offered."""
    booking = state.booking
    query: tuple[tuple[str, str], ...] = ()
    if booking is not None and booking.service and booking.times:
        query = (("service", booking.service), ("times", ",".join(t.isoformat() for t in booking.times)))
    return ShowTablet("book", state.language, query=query)


def _question(state: HostState) -> Say:
    """What the robot asks at the booking's current step."""
    booking = state.booking
    assert booking is not None
    if booking.step == "service":
        return _say(state, "For which service would you like to make an appointment? You can also choose on my tablet.")
    if booking.step == "host":
        return _say(state, "Shall I call a colleague for you?")
    if len(booking.times) == 1:
        return _say(state, "Would you like it? Say yes, or tap it on my tablet.")
    if len(booking.times) == 2:
        return _say(state, "Which one would you like? Say the first or the second, or tap it on my tablet.")
    return _say(state, "Which one would you like? Say the first, the second or the third, or tap it on my tablet.")


def _want_booking(state: HostState, service: str | None, now: datetime) -> tuple[HostState, list[Command]]:
    state = replace(state, misunderstood=0)
    if not state.service_up:
        return _booking_offline(state, now)
    # Asked of the central service first: which services are booked here (or on which website).
    key = f"{state.visitor}:slots:{service or ''}:{now.isoformat()}"
    state = _to(state, SERVING, now, pending=key, booking=Booking("service", service))
    return state, [FindSlots(service, key)]


def _booking_offline(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    state = _to(state, BOOKING, now, booking=Booking("host"), pending=None)
    return state, [_say(state, "I'm sorry, making an appointment needs the connection to our system, "
                               "and it is not available right now."),
                   ShowTablet("book_offline", state.language), _question(state), _listen(state)]


def _offer_times(state: HostState, service: str, times: tuple[datetime, ...], now: datetime,
                 taken: bool = False) -> tuple[HostState, list[Command]]:
    offered = tuple(sorted(t for t in times if t > now))[:OFFERED]
    if not offered:
        state = _to(state, LISTENING, now, booking=None, pending=None)
        return state, [_say(state, "I'm sorry, there is no free time for {service} in the coming weeks. "
                                   "A host can help you further.", service=_service_name(state, service)),
                       ShowTablet("menu", state.language), _listen(state)]
    booking = Booking("time", service, state.booking.services if state.booking else (), offered)
    state = _to(state, BOOKING, now, booking=booking, pending=None)
    when = _when(state, offered, now)
    if taken:
        said = _say(state, "I'm sorry, that time was just taken. The next free times are {times}.", times=when)
    elif len(offered) == 1:
        said = _say(state, "The first free time for {service} is {times}.",
                    service=_service_name(state, service), times=when)
    else:
        said = _say(state, "The first free times for {service} are {times}.",
                    service=_service_name(state, service), times=when)
    return state, [said, _book_page(state), _question(state), _listen(state)]


def _choose_time(state: HostState, starts_at: datetime, now: datetime) -> tuple[HostState, list[Command]]:
    booking = state.booking
    if booking is None or booking.step != "time" or booking.service is None:
        return state, []  # a tap on a page of an earlier visitor or question
    if starts_at not in booking.times:
        return _booking_not_understood(state, now)
    key = f"{state.visitor}:book:{booking.service}:{starts_at.isoformat()}"
    state = _to(state, SERVING, now, pending=key)
    return state, [BookAppointment(booking.service, starts_at, state.language, key)]


def _booking_reply(state: HostState, text: str, now: datetime) -> tuple[HostState, list[Command]]:
    """The visitor's answer to the booking's question; anything else they ask is answered as usual."""
    booking = state.booking
    assert booking is not None
    if booking.step == "time":
        chosen = intents.chosen_time(text, booking.times, state.location.timezone)
        if chosen is None and len(booking.times) == 1 and intents.yes_or_no(text):
            chosen = booking.times[0]
        if chosen is not None:
            return _choose_time(state, chosen, now)
    elif booking.step == "service":
        said = intents.from_speech(text, state.location)
        wanted = said.service if isinstance(said, intents.WantTicket | intents.WantBooking) else None
        if wanted:  # a service named while booking is the service to book, never a ticket
            return _want_booking(state, wanted, now) if wanted in booking.services else \
                _booking_not_understood(state, now)
    else:
        answer = intents.yes_or_no(text)
        if answer is True:
            return _intent(state, intents.WantPerson(), now)
        if answer is False:
            state = _to(state, LISTENING, now, booking=None)
            return state, [_say(state, "All right. How else can I help you?"), ShowTablet("menu", state.language),
                           _listen(state)]
    intent = intents.from_speech(text, state.location)
    if isinstance(intent, intents.WantTicket):  # another service: its times instead
        intent = intents.WantBooking(intent.service)
    return _intent(state, intent, now)


def _booking_not_understood(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    """No answer understood (or silence): the question once more, then the robot gives up kindly."""
    booking = state.booking
    if booking is None:
        return _not_understood(state, now)
    if booking.tries == 0:
        state = _to(state, BOOKING, now, booking=replace(booking, tries=1))
        return state, [_say(state, "Sorry, I didn't catch that."), _question(state), _listen(state)]
    state = _to(state, LISTENING, now, booking=None)
    return state, [_say(state, "I'm sorry, I couldn't understand you. A host can make the appointment for you. "
                               "Is there anything else I can do for you?"),
                   ShowTablet("menu", state.language), _listen(state)]


def _booked_elsewhere(state: HostState, url: str | None, now: datetime) -> tuple[HostState, list[Command]]:
    state = _to(state, LISTENING, now, booking=None, pending=None)
    if not url:
        return state, [_say(state, "I'm sorry, appointments cannot be made here. A host can help you further."),
                       _listen(state)]
    site = url.split("://", 1)[-1].removeprefix("www.").rstrip("/")
    return state, [_say(state, "Here, appointments are made on the city's website: {site}. "
                               "The address is on my tablet.", site=site.split("/")[0]),
                   ShowTablet("book_elsewhere", state.language), _listen(state)]


def _booking_answer(state: HostState, event: Event, now: datetime) -> tuple[HostState, list[Command]]:
    key = event.action_key  # type: ignore[union-attr]
    if key != state.pending or state.booking is None:
        return state, []  # an answer for an earlier visitor or request, or the same answer twice
    booking = state.booking
    match event:
        case BookingOptions(services=(), booking_url=url):
            return _booked_elsewhere(state, url, now)
        case BookingOptions(services=services):
            booking = Booking("service", None, services)
            state = _to(state, BOOKING, now, pending=None, booking=booking)
            return state, [_question(state), _book_page(state), _listen(state)]
        case SlotsFound(service=service, starts=starts):
            return _offer_times(state, service, starts, now)
        case Booked(appointment_id=appointment, starts_at=starts_at):
            state = _to(state, LISTENING, now, pending=None, booking=None)
            return state, [_say(state, "Your appointment is booked: {when}. Your check-in code and a QR code for "
                                       "your phone are on my tablet.", when=_when(state, (starts_at,), now)),
                           ShowTablet("booked", state.language, query=(("appointment", appointment),)),
                           _listen(state)]
        case BookingFailed(reason="slot_taken", next_free=free) if booking.service:
            return _offer_times(state, booking.service, free, now, taken=True)
        case BookingFailed(reason="booked_elsewhere", booking_url=url):
            return _booked_elsewhere(state, url, now)
        case BookingFailed(reason="offline"):
            return _booking_offline(state, now)
    state = _to(state, LISTENING, now, pending=None, booking=None)
    return state, [_say(state, "I'm sorry, that didn't work. A host can make the appointment for you."),
                   ShowTablet("menu", state.language), _listen(state)]


# ------------------------------------------------------------------------------ the robot's health

def _pause(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    if state.paused:
        return state, []
    state = _to(state, PAUSED, now, paused=True, person=None, waiting=(), pending=None, language=state.home,
                booking=None)
    return state, [StopSpeech(), Reset(), ShowTablet("paused", state.home)]


def _resume(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    if not state.paused:
        return state, []
    state = replace(state, paused=False)
    return _to(state, _resting_mode(state), now), [Reset()]


def _reconnected(state: HostState, now: datetime) -> tuple[HostState, list[Command]]:
    state = _to(state, _resting_mode(state), now, person=None, waiting=(), pending=None,
                misunderstood=0, language=state.home, booking=None)
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
        booking, state = state.booking, _to(state, LISTENING, now, booking=None)
        if booking is not None:
            commands += [_say(state, "I'm sorry, this takes too long. A host can make the appointment for you."),
                         _listen(state)]
        else:
            commands += [_say(state, "I'm sorry, this takes too long. "
                                     "Please use the kiosk at the entrance or ask a host."), _listen(state)]
    elif state.mode == BOOKING and elapsed >= timedelta(seconds=settings.booking_answer_seconds):
        state, more = _booking_not_understood(state, now)
        commands += more
    return state, commands
