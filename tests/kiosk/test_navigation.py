"""The kiosk's navigation as a pure state machine: what the visitor does in, commands out."""

from __future__ import annotations

import pytest

from kiosk_app.navigation import (
    BOOK,
    BOOK_CONFIRM,
    BOOK_DAY,
    BOOK_TIME,
    BOOKED,
    CALL_HOST,
    CASE_STATUS,
    CHECK_IN,
    HOME,
    INFORMATION,
    MAX_HISTORY,
    REPORT,
    TICKET,
    WALK_IN,
    WALK_IN_SEVERAL,
    WELCOME,
    BackPressed,
    BeginVisit,
    BookingChanged,
    CallHost,
    Command,
    DrawTicket,
    Event,
    HideTiles,
    HomePressed,
    HostCalled,
    KioskState,
    LanguageChosen,
    LoadFlow,
    ReadAloud,
    ResetFlow,
    ResetVisit,
    ScreenAsked,
    ServicesKnown,
    ShowScreen,
    StartCamera,
    StopCamera,
    TileOpened,
    VisitEnded,
    WalkInChanged,
    handle,
)

SERVICES = ("paspoort", "rijbewijs", "afhalen_reisdocument", "informatie")


class Kiosk:
    """Feeds events to ``handle`` and keeps the state and every command."""

    def __init__(self, state: KioskState | None = None) -> None:
        self.state = state or KioskState()
        self.commands: list[Command] = []

    def __call__(self, event: Event) -> list[Command]:
        self.state, commands = handle(self.state, event)
        self.commands += commands
        return commands

    def at_home(self, services: tuple[str, ...] = SERVICES) -> Kiosk:
        self(ServicesKnown(services, loaded=True))
        self(LanguageChosen("en"))
        return self

    @property
    def screen(self) -> str:
        return self.state.screen


@pytest.fixture
def kiosk() -> Kiosk:
    return Kiosk().at_home()


def test_choosing_a_language_begins_the_visit_at_home() -> None:
    kiosk = Kiosk()
    commands = kiosk(LanguageChosen("ar"))
    assert commands == [BeginVisit("ar"), ShowScreen(HOME), ReadAloud(HOME)]
    assert kiosk.screen == HOME and kiosk.state.history == ()


@pytest.mark.parametrize(("tile", "screen", "prepare"), [
    ("appointment", CHECK_IN, ResetFlow(CHECK_IN)),
    ("walk_in", WALK_IN, ResetFlow(WALK_IN)),
    ("case_status", CASE_STATUS, ResetFlow(CASE_STATUS)),
    ("report", REPORT, ResetFlow(REPORT)),
    ("information", INFORMATION, LoadFlow(INFORMATION)),
])
def test_a_tile_prepares_its_flow_then_shows_its_screen(kiosk: Kiosk, tile: str, screen: str,
                                                        prepare: Command) -> None:
    commands = kiosk(TileOpened(tile))
    assert commands[0] == prepare
    assert ShowScreen(screen) in commands and commands[-1] == ReadAloud(screen)
    assert kiosk.screen == screen and kiosk.state.history == (HOME,)


def test_the_camera_runs_while_the_check_in_screen_shows_and_only_then(kiosk: Kiosk) -> None:
    assert kiosk(TileOpened("appointment")) == [ResetFlow(CHECK_IN), ShowScreen(CHECK_IN), StartCamera(),
                                                ReadAloud(CHECK_IN)]
    assert kiosk(ScreenAsked(WALK_IN)) == [StopCamera(), ShowScreen(WALK_IN), ReadAloud(WALK_IN)]
    assert kiosk(BackPressed()) == [ShowScreen(CHECK_IN), StartCamera(), ReadAloud(CHECK_IN)]
    assert kiosk(HomePressed()) == [StopCamera(), ShowScreen(HOME), ReadAloud(HOME)]


def test_the_walk_in_tile_loads_the_services_again_when_they_never_came() -> None:
    kiosk = Kiosk()
    kiosk(LanguageChosen("nl"))
    assert kiosk(TileOpened("walk_in"))[:2] == [ResetFlow(WALK_IN), LoadFlow(WALK_IN)]
    kiosk(ServicesKnown(SERVICES, loaded=True))
    kiosk(HomePressed())
    assert LoadFlow(WALK_IN) not in kiosk(TileOpened("walk_in"))


def test_back_returns_the_way_the_visitor_came_then_home(kiosk: Kiosk) -> None:
    kiosk(TileOpened("case_status"))
    kiosk(HostCalled())
    assert kiosk.state.history == (HOME, CASE_STATUS)
    kiosk(BackPressed())
    assert kiosk.screen == CASE_STATUS
    kiosk(BackPressed())
    assert kiosk.screen == HOME
    kiosk(BackPressed())
    assert kiosk.screen == HOME and kiosk.state.history == ()


def test_back_remembers_a_bounded_number_of_screens(kiosk: Kiosk) -> None:
    for _ in range(MAX_HISTORY):
        kiosk(ScreenAsked(INFORMATION))
        kiosk(ScreenAsked(REPORT))
    assert len(kiosk.state.history) == MAX_HISTORY


def test_asking_for_the_screen_already_shown_does_nothing(kiosk: Kiosk) -> None:
    assert kiosk(ScreenAsked(HOME)) == []
    assert kiosk.state.history == ()


def test_the_language_button_goes_to_the_welcome_screen_and_a_new_choice_goes_home(kiosk: Kiosk) -> None:
    kiosk(TileOpened("information"))
    kiosk(ScreenAsked(WELCOME))
    assert kiosk.screen == WELCOME and kiosk.state.history == (HOME,)
    assert kiosk(LanguageChosen("tr"))[0] == BeginVisit("tr")
    assert kiosk.screen == HOME and kiosk.state.history == ()


def test_calling_a_host_sends_the_call_and_shows_its_screen(kiosk: Kiosk) -> None:
    assert kiosk(TileOpened("call_host")) == [CallHost("visitor_needs_help"), ShowScreen(CALL_HOST),
                                              ReadAloud(CALL_HOST)]
    kiosk(BackPressed())
    kiosk(TileOpened("appointment"))
    assert kiosk(HostCalled("check_in_problem"))[:3] == [CallHost("check_in_problem"), StopCamera(),
                                                         ShowScreen(CALL_HOST)]


def test_pick_up_draws_a_ticket_at_once_and_the_ticket_screen_follows_the_answer(kiosk: Kiosk) -> None:
    assert kiosk(TileOpened("pick_up")) == [ResetFlow(WALK_IN), DrawTicket("afhalen_reisdocument")]
    assert kiosk.screen == HOME
    assert kiosk(WalkInChanged("drawing")) == []
    assert kiosk(WalkInChanged("drawn"))[0] == ShowScreen(TICKET)
    assert kiosk.screen == TICKET


def test_a_failed_draw_from_home_or_a_case_shows_the_walk_in_screen_that_says_why(kiosk: Kiosk) -> None:
    kiosk(TileOpened("case_status"))
    kiosk(WalkInChanged("failed"))
    assert kiosk.screen == WALK_IN
    kiosk(WalkInChanged("failed"))  # on the walk-in screen it says so itself
    assert kiosk.screen == WALK_IN


def test_a_walk_in_answer_elsewhere_moves_nobody(kiosk: Kiosk) -> None:
    kiosk(TileOpened("information"))
    assert kiosk(WalkInChanged("drawn")) == []
    assert kiosk.screen == INFORMATION


def test_the_pick_up_tile_is_hidden_where_the_location_has_no_pick_up_service() -> None:
    kiosk = Kiosk()
    assert kiosk.state.hidden_tiles == frozenset({"pick_up", "book"})  # until the services are known
    assert kiosk(ServicesKnown(SERVICES, loaded=True, booking="here")) == [HideTiles(frozenset())]
    assert kiosk(ServicesKnown(("paspoort",), loaded=True, booking="here")) == [HideTiles(frozenset({"pick_up"}))]
    kiosk(LanguageChosen("nl"))
    assert kiosk(TileOpened("pick_up")) == []


def test_the_visit_ends_on_the_welcome_screen_with_everything_forgotten_and_the_camera_off(kiosk: Kiosk) -> None:
    kiosk(TileOpened("appointment"))
    commands = kiosk(VisitEnded())
    assert commands == [ResetVisit(), StopCamera(), ShowScreen(WELCOME), ReadAloud(WELCOME)]
    assert kiosk.screen == WELCOME and kiosk.state.history == ()
    assert kiosk(VisitEnded()) == [ResetVisit(), StopCamera()]  # already there: forgotten again, nothing shown


def test_an_unknown_tile_does_nothing(kiosk: Kiosk) -> None:
    assert kiosk(TileOpened("weather")) == []
    assert kiosk.screen == HOME


def test_the_booking_tile_shows_where_the_location_books_here_or_on_its_website() -> None:
    kiosk = Kiosk()
    assert kiosk(ServicesKnown(SERVICES, loaded=True, booking="elsewhere")) == [HideTiles(frozenset())]
    assert kiosk(ServicesKnown(SERVICES, loaded=True, booking="")) == [HideTiles(frozenset({"book"}))]


def test_booking_goes_step_by_step_and_back_goes_a_step_back(kiosk: Kiosk) -> None:
    commands = kiosk(TileOpened("book"))
    assert commands[0] == ResetFlow(BOOK) and ShowScreen(BOOK) in commands
    assert kiosk(BookingChanged("loading")) == []  # waiting keeps the screen
    for state, screen in (("day", BOOK_DAY), ("time", BOOK_TIME), ("confirm", BOOK_CONFIRM)):
        assert ShowScreen(screen) in kiosk(BookingChanged(state))
    kiosk(BackPressed())
    assert kiosk.screen == BOOK_TIME
    kiosk(BookingChanged("confirm"))
    kiosk(BookingChanged("booked"))
    assert kiosk.screen == BOOKED
    kiosk(VisitEnded())
    assert kiosk.screen == WELCOME


def test_a_time_taken_at_the_last_moment_returns_to_the_times_and_back_then_goes_to_the_days(kiosk: Kiosk) -> None:
    kiosk(TileOpened("book"))
    for state in ("day", "time", "confirm"):
        kiosk(BookingChanged(state))
    kiosk(BookingChanged("unavailable"))  # offline: the screen stays and says so
    assert kiosk.screen == BOOK_CONFIRM
    kiosk(BookingChanged("time"))
    assert kiosk.screen == BOOK_TIME
    kiosk(BackPressed())
    assert kiosk.screen == BOOK_DAY


def test_a_booking_answer_elsewhere_moves_nobody(kiosk: Kiosk) -> None:
    kiosk(TileOpened("information"))
    assert kiosk(BookingChanged("day")) == []
    assert kiosk.screen == INFORMATION


def test_a_tapped_walk_in_service_goes_straight_to_the_ticket(kiosk: Kiosk) -> None:
    kiosk(TileOpened("walk_in"))
    assert kiosk(WalkInChanged("drawing")) == []
    assert ShowScreen(TICKET) in kiosk(WalkInChanged("drawn"))


def test_more_than_one_thing_chooses_several_then_the_ticket_and_back_returns_to_the_services(
        kiosk: Kiosk) -> None:
    kiosk(TileOpened("walk_in"))
    assert ShowScreen(WALK_IN_SEVERAL) in kiosk(WalkInChanged("several"))
    kiosk(BackPressed())
    assert kiosk.screen == WALK_IN
    kiosk(WalkInChanged("several"))
    assert kiosk(WalkInChanged("drawing")) == []
    assert ShowScreen(TICKET) in kiosk(WalkInChanged("drawn"))
    assert kiosk(WalkInChanged("several")) == []  # only from the services
