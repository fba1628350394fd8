"""The robot host's behaviour as a pure state machine: events in, commands out."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from location_config import load_location
from robot_host.behaviour import (
    CLARIFYING,
    DEGRADED,
    DIRECTING,
    GREETING,
    HAND_OFF,
    IDLE,
    LISTENING,
    LOW_BATTERY,
    PAUSED,
    SERVING,
    HostState,
    handle,
    initial_state,
)
from robot_host.commands import (
    CheckIn,
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
from robot_host.events import (
    BatteryLevel,
    CheckedIn,
    CheckInFailed,
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

AMS = ZoneInfo("Europe/Amsterdam")
MORNING = datetime(2026, 11, 30, 9, 15, tzinfo=AMS)  # a Monday


@pytest.fixture(scope="module")
def location():  # type: ignore[no-untyped-def]
    return load_location("ijsselmonde")


class Robot:
    """Feeds events to ``handle`` and keeps the state, the time and the commands."""

    def __init__(self, state: HostState, now: datetime = MORNING) -> None:
        self.state = state
        self.now = now
        self.commands: list[object] = []

    def __call__(self, event: object, seconds: float = 0.5) -> list[object]:
        self.now += timedelta(seconds=seconds)
        self.state, commands = handle(self.state, event, self.now)  # type: ignore[arg-type]
        self.commands += commands
        return commands

    def engage(self, person: int = 1) -> None:
        self(PersonEntered(person))
        self(SpeechFinished())

    @property
    def mode(self) -> str:
        return self.state.mode


def said(commands: list[object]) -> list[str]:
    return [c.text for c in commands if isinstance(c, Say)]


@pytest.fixture
def robot(location) -> Robot:  # type: ignore[no-untyped-def]
    return Robot(initial_state(location))


def test_a_person_entering_is_greeted_by_time_of_day_in_dutch_with_the_location_name(robot: Robot) -> None:
    commands = robot(PersonEntered(1))
    assert said(commands) == ["Goedemorgen, welkom bij Rotterdam IJsselmonde!"]
    assert commands[0].animated and commands[0].language == "nl"
    assert ShowTablet("menu", "nl") in commands
    assert robot.mode == GREETING


@pytest.mark.parametrize(("hour", "greeting"), [(13, "Goedemiddag"), (18, "Goedenavond")])
def test_the_greeting_follows_the_time_of_day(location, hour: int, greeting: str) -> None:  # type: ignore[no-untyped-def]
    robot = Robot(initial_state(location), MORNING.replace(hour=hour))
    assert said(robot(PersonEntered(1)))[0].startswith(greeting + ", welkom bij")


def test_the_robot_listens_once_the_greeting_is_finished(robot: Robot) -> None:
    robot(PersonEntered(1))
    commands = robot(SpeechFinished())
    assert robot.mode == LISTENING
    listen = commands[0]
    assert isinstance(listen, Listen) and listen.language == "nl"
    assert "paspoort" in listen.vocabulary and "balie 4" in listen.vocabulary


def test_the_robot_listens_after_the_greeting_even_without_a_finished_signal(robot: Robot) -> None:
    robot(PersonEntered(1))
    commands = robot(Tick(), seconds=7)
    assert robot.mode == LISTENING and any(isinstance(c, Listen) for c in commands)


def test_asking_for_a_service_draws_a_ticket_and_speaks_its_number(robot: Robot) -> None:
    robot.engage()
    commands = robot(SpeechRecognised("paspoort", 0.8, "nl"))
    draw = next(c for c in commands if isinstance(c, DrawTicket))
    assert (draw.service, draw.language) == ("paspoort", "nl")
    assert robot.mode == SERVING
    commands = robot(TicketIssued(draw.action_key, "P012", "paspoort", "http://x/t/abc"))
    assert said(commands)[0].startswith("Uw nummer is P 12.")
    assert ShowTablet("ticket", "nl", "http://x/t/abc") in commands
    assert robot.mode == LISTENING


def test_a_repeated_request_for_the_same_service_reuses_its_action_key(robot: Robot) -> None:
    robot.engage()
    first = next(c for c in robot(SpeechRecognised("paspoort", 0.8)) if isinstance(c, DrawTicket))
    robot(Tick(), seconds=11)  # the answer took too long; the visitor asks again
    second = next(c for c in robot(SpeechRecognised("paspoort", 0.8)) if isinstance(c, DrawTicket))
    assert first.action_key == second.action_key


def test_the_next_visitor_gets_a_new_action_key(robot: Robot) -> None:
    robot.engage(1)
    first = next(c for c in robot(SpeechRecognised("paspoort", 0.8)) if isinstance(c, DrawTicket))
    robot(PersonLeft(1))
    robot.engage(2)
    second = next(c for c in robot(SpeechRecognised("paspoort", 0.8)) if isinstance(c, DrawTicket))
    assert first.action_key != second.action_key


def test_a_second_request_while_a_ticket_is_being_drawn_is_ignored(robot: Robot) -> None:
    robot.engage()
    robot(SpeechRecognised("paspoort", 0.8))
    assert robot(SpeechRecognised("paspoort", 0.8)) == []
    assert robot(TabletTapped("service:paspoort")) == []


def test_the_same_ticket_answer_twice_is_spoken_once(robot: Robot) -> None:
    robot.engage()
    draw = next(c for c in robot(SpeechRecognised("paspoort", 0.8)) if isinstance(c, DrawTicket))
    robot(TicketIssued(draw.action_key, "P012", "paspoort"))
    assert robot(TicketIssued(draw.action_key, "P012", "paspoort")) == []


def test_asking_again_after_the_ticket_repeats_the_same_request_not_a_new_one(robot: Robot) -> None:
    robot.engage()
    draw = next(c for c in robot(SpeechRecognised("paspoort", 0.8)) if isinstance(c, DrawTicket))
    robot(TicketIssued(draw.action_key, "P012", "paspoort"))
    again = next(c for c in robot(SpeechRecognised("paspoort", 0.8)) if isinstance(c, DrawTicket))
    assert again.action_key == draw.action_key
    assert said(robot(TicketIssued(draw.action_key, "P012", "paspoort")))[0].startswith("Uw nummer is P 12")


def test_an_answer_for_a_previous_visitor_is_ignored(robot: Robot) -> None:
    robot.engage(1)
    draw = next(c for c in robot(SpeechRecognised("paspoort", 0.8)) if isinstance(c, DrawTicket))
    robot(PersonLeft(1))
    robot.engage(2)
    assert robot(TicketIssued(draw.action_key, "P012", "paspoort")) == []


def test_english_speech_switches_the_language(robot: Robot) -> None:
    robot.engage()
    commands = robot(SpeechRecognised("passport", 0.9, "en"))
    assert SetLanguage("en") in commands
    assert next(c for c in commands if isinstance(c, DrawTicket)).language == "en"
    draw = next(c for c in commands if isinstance(c, DrawTicket))
    assert said(robot(TicketIssued(draw.action_key, "P012", "paspoort")))[0].startswith("Your number is P 12.")


def test_tapping_english_switches_the_language_and_asks_how_to_help(robot: Robot) -> None:
    robot.engage()
    commands = robot(TabletTapped("language:en"))
    assert SetLanguage("en") in commands and said(commands) == ["How can I help you?"]
    assert next(c for c in commands if isinstance(c, Listen)).language == "en"


def test_the_language_is_reset_to_dutch_for_the_next_visitor(robot: Robot) -> None:
    robot.engage(1)
    robot(TabletTapped("language:en"))
    robot(PersonLeft(1))
    assert said(robot(PersonEntered(2)))[0].startswith("Goedemorgen")


def test_where_is_a_desk_gives_directions_and_points_at_it(robot: Robot, location) -> None:  # type: ignore[no-untyped-def]
    robot.engage()
    desk = next(d for d in location.desks if d.number == 4)
    commands = robot(SpeechRecognised("waar is balie 4", 0.8))
    assert said(commands) == [desk.wayfinding["nl"]]
    assert PointAt(desk.position.x, desk.position.y) in commands
    assert robot.mode == DIRECTING
    robot(SpeechFinished())
    assert robot.mode == LISTENING


@pytest.mark.parametrize(("text", "landmark"), [("waar zijn de toiletten", "toilets"), ("toilet", "toilets"),
                                                 ("where is the exit", "exit"), ("uitgang", "exit")])
def test_where_are_the_toilets_or_the_exit_points_at_the_landmark(robot: Robot, location, text: str,  # type: ignore[no-untyped-def]
                                                                   landmark: str) -> None:
    robot.engage()
    spot = next(m for m in location.landmarks if m.id == landmark)
    commands = robot(SpeechRecognised(text, 0.8, "en" if "the" in text.split() else "nl"))
    assert PointAt(spot.position.x, spot.position.y) in commands
    assert said(commands)[-1] in spot.wayfinding.values()


def test_opening_hours_are_today_s_from_the_location_config(robot: Robot) -> None:
    robot.engage()
    assert said(robot(SpeechRecognised("openingstijden", 0.8))) == ["Vandaag zijn we open van 08:30 - 17:00."]


def test_on_a_closed_day_the_robot_says_it_is_closed(location) -> None:  # type: ignore[no-untyped-def]
    robot = Robot(initial_state(location), datetime(2026, 11, 29, 11, 0, tzinfo=AMS))  # a Sunday
    robot.engage()
    assert said(robot(SpeechRecognised("openingstijden", 0.8))) == ["Vandaag zijn we gesloten."]


def test_what_to_bring_lists_the_service_s_items(robot: Robot, location) -> None:  # type: ignore[no-untyped-def]
    robot.engage()
    text = said(robot(SpeechRecognised("wat moet ik meenemen voor paspoort", 0.8)))[0]
    assert text.startswith("Voor paspoort neemt u mee:")
    assert location.service("paspoort").bring["nl"][0] in text


def test_asking_for_a_person_calls_a_host_without_personal_data(robot: Robot) -> None:
    robot.engage()
    commands = robot(SpeechRecognised("ik wil een medewerker", 0.8))
    assert RequestAssist("visitor_needs_help", "asked for a person") in commands
    assert robot.mode == HAND_OFF


def test_a_spoken_check_in_code_checks_in(robot: Robot) -> None:
    robot.engage()
    commands = robot(SpeechRecognised("afspraak code 4821", 0.8))
    check_in = next(c for c in commands if isinstance(c, CheckIn))
    assert check_in.code == "4821" and robot.mode == SERVING
    assert said(robot(CheckedIn(check_in.action_key, "A003")))[0] == "U bent aangemeld. Uw nummer is A 3."


def test_check_in_without_a_code_asks_for_it_on_the_tablet(robot: Robot) -> None:
    robot.engage()
    commands = robot(SpeechRecognised("ik heb een afspraak", 0.8))
    assert ShowTablet("check_in", "nl") in commands
    commands = robot(TabletTapped("check_in:k7h2p9"))
    assert next(c for c in commands if isinstance(c, CheckIn)).code == "K7H2P9"


def test_an_unknown_check_in_code_is_explained(robot: Robot) -> None:
    robot.engage()
    check_in = next(c for c in robot(TabletTapped("check_in:XXXX1")) if isinstance(c, CheckIn))
    commands = robot(CheckInFailed(check_in.action_key, "not_found"))
    assert said(commands)[0].startswith("Ik kan die afspraak niet vinden")


def test_low_confidence_asks_once_then_offers_the_tablet_then_calls_a_host(robot: Robot) -> None:
    robot.engage()
    first = robot(SpeechRecognised("pasp", 0.2))
    assert said(first) == ["Sorry, dat verstond ik niet. Wilt u het nog een keer zeggen?"]
    assert robot.mode == CLARIFYING
    second = robot(SpeechRecognised("pasp", 0.3))
    assert ShowTablet("menu", "nl") in second
    third = robot(SpeechRecognised("pasp", 0.3))
    assert RequestAssist("visitor_needs_help", "robot did not understand") in third and robot.mode == HAND_OFF


def test_understanding_after_a_clarification_starts_counting_again(robot: Robot) -> None:
    robot.engage()
    robot(SpeechRecognised("pasp", 0.2))
    robot(SpeechRecognised("openingstijden", 0.9))
    assert said(robot(SpeechRecognised("pasp", 0.2)))[0].startswith("Sorry, dat verstond ik niet")


def test_a_visitor_who_leaves_mid_sentence_stops_the_speech_without_a_goodbye(robot: Robot) -> None:
    robot(PersonEntered(1))
    commands = robot(PersonLeft(1))
    assert commands == [StopSpeech(), Reset()]
    assert robot.mode == IDLE


def test_a_second_person_is_told_to_wait_a_moment_and_greeted_next(robot: Robot) -> None:
    robot.engage(1)
    assert said(robot(PersonEntered(2))) == ["Ik help u zo."]
    commands = robot(PersonLeft(1))
    assert commands[:2] == [StopSpeech(), Reset()]
    assert said(commands)[0].startswith("Goedemorgen") and robot.state.person == 2


def test_a_waiting_person_who_leaves_is_forgotten(robot: Robot) -> None:
    robot.engage(1)
    robot(PersonEntered(2))
    robot(PersonLeft(2))
    robot(PersonLeft(1))
    assert robot.mode == IDLE and robot.state.person is None


def test_duplicated_person_events_are_harmless(robot: Robot) -> None:
    robot(PersonEntered(1))
    assert robot(PersonEntered(1)) == []
    robot(PersonLeft(1))
    assert robot(PersonLeft(1)) == []
    assert robot.mode == IDLE


def test_a_person_left_before_entered_is_harmless(robot: Robot) -> None:
    assert robot(PersonLeft(3)) == []
    assert robot.mode == IDLE


def test_service_down_when_idle_degrades_and_recovers(robot: Robot) -> None:
    robot(ServiceDown())
    assert robot.mode == DEGRADED
    robot(ServiceUp())
    assert robot.mode == IDLE


def test_while_the_service_is_down_a_visitor_is_sent_to_the_kiosk_or_a_host(robot: Robot) -> None:
    robot(ServiceDown())
    greeting = said(robot(PersonEntered(1)))
    assert "zuil bij de ingang" in greeting[-1]
    robot(SpeechFinished())
    commands = robot(SpeechRecognised("paspoort", 0.8))
    assert not any(isinstance(c, DrawTicket) for c in commands)
    assert "zuil bij de ingang" in said(commands)[0]


def test_a_ticket_that_fails_offline_apologises_and_marks_the_service_down(robot: Robot) -> None:
    robot.engage()
    draw = next(c for c in robot(SpeechRecognised("paspoort", 0.8)) if isinstance(c, DrawTicket))
    commands = robot(TicketFailed(draw.action_key, "offline"))
    assert said(commands)[0].startswith("Het spijt me")
    assert not robot.state.service_up
    robot(PersonLeft(1))
    assert robot.mode == DEGRADED


def test_a_late_ticket_after_a_timeout_is_still_told(robot: Robot) -> None:
    robot.engage()
    draw = next(c for c in robot(SpeechRecognised("paspoort", 0.8)) if isinstance(c, DrawTicket))
    robot(Tick(), seconds=11)
    assert said(robot(TicketIssued(draw.action_key, "P012", "paspoort")))[0].startswith("Uw nummer is P 12")


def test_low_battery_tells_the_hosts_and_stops_engaging(robot: Robot) -> None:
    commands = robot(BatteryLevel(18))
    assert ReportStatus(18, "low_battery") in commands and RequestAssist("low_battery", "robot battery low") in commands
    assert robot.mode == LOW_BATTERY
    assert robot(PersonEntered(1)) == []


def test_low_battery_finishes_the_current_visitor_first(robot: Robot) -> None:
    robot.engage()
    robot(BatteryLevel(15))
    assert robot.mode == LISTENING
    assert any(isinstance(c, DrawTicket) for c in robot(SpeechRecognised("paspoort", 0.8)))
    robot(PersonLeft(1))
    assert robot.mode == LOW_BATTERY


def test_battery_recovers_only_above_the_hysteresis_threshold(robot: Robot) -> None:
    robot(BatteryLevel(20))
    assert robot(BatteryLevel(25)) == [] and robot.mode == LOW_BATTERY
    assert robot(BatteryLevel(19)) == []  # already low: the hosts are not told twice
    robot(BatteryLevel(30))
    assert robot.mode == IDLE


def test_pause_stops_speech_and_ignores_visitors_until_resumed(robot: Robot) -> None:
    robot.engage()
    commands = robot(HostPaused())
    assert StopSpeech() in commands and ShowTablet("paused", "nl") in commands
    assert robot.mode == PAUSED
    assert robot(PersonEntered(2)) == []
    assert robot(HostPaused()) == []
    robot(HostResumed())
    assert robot.mode == IDLE
    assert said(robot(PersonEntered(2)))[0].startswith("Goedemorgen")


def test_resume_without_pause_is_harmless(robot: Robot) -> None:
    assert robot(HostResumed()) == []


def test_the_status_is_reported_every_minute(robot: Robot) -> None:
    robot(BatteryLevel(80))
    assert any(isinstance(c, ReportStatus) for c in robot(Tick()))
    assert not any(isinstance(c, ReportStatus) for c in robot(Tick(), seconds=30))
    assert any(isinstance(c, ReportStatus) for c in robot(Tick(), seconds=31))


def test_speech_when_nobody_is_engaged_is_ignored(robot: Robot) -> None:
    assert robot(SpeechRecognised("paspoort", 0.9)) == []
    assert robot(TabletTapped("service:paspoort")) == []


def test_tapping_a_service_draws_a_ticket(robot: Robot) -> None:
    robot.engage()
    assert any(isinstance(c, DrawTicket) and c.service == "rijbewijs" for c in robot(TabletTapped("service:rijbewijs")))


def test_after_the_robot_reconnects_it_starts_afresh_and_greets_the_next_person(robot: Robot) -> None:
    robot.engage(1)
    robot(SpeechRecognised("paspoort", 0.8))
    assert robot(RobotReconnected()) == [Reset()]
    assert robot.mode == IDLE and robot.state.pending is None
    assert said(robot(PersonEntered(1)))[0].startswith("Goedemorgen")


def test_a_visitor_who_steps_back_out_of_the_zone_is_let_go(robot: Robot) -> None:
    robot.engage()
    commands = robot(PersonMovedAway(1))
    assert commands == [StopSpeech(), Reset()] and robot.mode == IDLE
    assert robot(PersonLeft(1)) == []  # people perception's late JustLeft is only a backstop
    assert said(robot(PersonEntered(1)))[0].startswith("Goedemorgen")  # back again: greeted again


@pytest.mark.parametrize(("language", "text"), [("tr", "Size nasıl yardımcı olabilirim?"),
                                                ("pl", "W czym mogę pomóc?"),
                                                ("ar", "كيف يمكنني مساعدتك؟")])
def test_tapping_a_language_the_robot_has_a_pack_for_switches_speech_and_listening(
        location, language: str, text: str) -> None:  # type: ignore[no-untyped-def]
    robot = Robot(initial_state(location))
    robot(RobotLanguages(("nl", "en", language)))
    robot.engage()
    commands = robot(TabletTapped(f"language:{language}"))
    assert SetLanguage(language) in commands and ShowTablet("menu", language) in commands
    assert said(commands) == [text]
    listen = next(c for c in commands if isinstance(c, Listen))
    assert listen.language == language
    assert location.service("paspoort").names[language].lower() in listen.vocabulary
    assert "paspoort" not in listen.vocabulary  # no Dutch words in another language's grammar


def test_a_language_without_a_pack_switches_the_tablet_and_the_robot_answers_in_english(location) -> None:  # type: ignore[no-untyped-def]
    robot = Robot(initial_state(location))
    robot(RobotLanguages(("nl", "en")))
    robot.engage()
    commands = robot(TabletTapped("language:pl"))
    assert ShowTablet("menu", "pl") in commands
    assert SetLanguage("en") in commands and said(commands) == ["How can I help you?"]
    assert next(c for c in commands if isinstance(c, Listen)).language == "en"


def test_a_language_can_be_chosen_by_voice_in_every_grammar(robot: Robot) -> None:
    robot(RobotLanguages(("nl", "en", "tr")))
    robot.engage()
    commands = robot(SpeechRecognised("turks", 0.9, "nl"))
    assert SetLanguage("tr") in commands and ShowTablet("menu", "tr") in commands
    assert "türkçe" in next(c for c in commands if isinstance(c, Listen)).vocabulary


def test_a_robot_without_dutch_greets_in_english(location) -> None:  # type: ignore[no-untyped-def]
    robot = Robot(initial_state(location))
    robot(RobotLanguages(("en", "tr")))
    assert said(robot(PersonEntered(1))) == ["Good morning, welcome to Rotterdam IJsselmonde!"]


def test_the_tablet_s_wifi_and_page_errors_reach_the_hosts_at_once(robot: Robot) -> None:
    assert robot(TabletStatus("CONNECTED")) == [ReportStatus(None, IDLE, "ok")]
    assert robot(TabletStatus("CONNECTED")) == []
    assert robot(TabletStatus("DISCONNECTED")) == [ReportStatus(None, IDLE, "wifi_disconnected")]
    assert robot(TabletStatus(None, "page_error")) == [ReportStatus(None, IDLE, "page_error")]
    assert robot(TabletStatus(None)) == [ReportStatus(None, IDLE, "missing")]
