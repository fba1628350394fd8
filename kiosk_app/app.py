"""The kiosk application: view-models on Kivy properties, one ``ScreenManager`` with a screen per
flow (layout in each screen's .kv file), the inactivity reset, spoken feedback on request, the camera
while the check-in screen shows, and kiosk mode (full screen, no cursor, no exit, one touch at a time).
Where the kiosk goes is decided by ``navigation.handle``; the app only carries out its commands.

``KioskApp(parts)`` gets everything from outside (client, clock, printer, scanner, speaker), so tests
run the real app in a real window against the real central service with their own clock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from queue_ticketing.client import Client, LocationInfo

from . import navigation, systemd
from .navigation import (
    BeginVisit,
    CallHost,
    DrawTicket,
    HideTiles,
    LoadFlow,
    ReadAloud,
    ResetFlow,
    ResetVisit,
    ShowScreen,
    StartCamera,
    StopCamera,
)
from .printing import TicketPrinter
from .texts import ENDONYMS
from .theme import Theme
from .viewmodels import (
    AssistViewModel,
    BookingViewModel,
    CaseStatusViewModel,
    CheckInViewModel,
    ConnectionViewModel,
    HomeViewModel,
    InactivityViewModel,
    InformationViewModel,
    LanguageViewModel,
    ReportViewModel,
    WalkInViewModel,
)
from .worker import ThreadWorker, Worker, kivy_schedule

log = logging.getLogger(__name__)

CASE_QUESTIONS_SERVICE = "informatie"
"""The walk-in service for a visitor who wants to talk about their case (the general questions desk)."""


class Scanner(Protocol):
    def start(self) -> None: ...
    def stop(self) -> object: ...
    def latest_frame(self) -> Any: ...


class Speaker(Protocol):
    enabled: bool

    @property
    def available(self) -> bool: ...

    def say(self, text: str, language: str) -> None: ...
    def stop(self) -> None: ...


@dataclass
class KioskParts:
    """What the kiosk is given: its client and location, a clock, and the optional devices."""

    client: Client
    location: str
    clock: Callable[[], datetime]
    printer: TicketPrinter | None = None
    scanner_factory: Callable[[Callable[[Any], None]], Scanner] | None = None
    """Makes the camera's QR scanner given the callback for what it reads (on the UI thread)."""
    speaker: Speaker | None = None
    worker: Worker | None = None
    device_id: str = "kiosk-1"
    location_name: str = ""
    local_info: LocationInfo | None = None
    """The location from the kiosk's own copy of the configuration, for when the service is unreachable."""


def _refuse_close(*_args: Any, **_kwargs: Any) -> bool:
    return True


class KioskRoot(FloatLayout):
    """The window's root: one touch at a time (a second finger or a leaning palm is ignored)."""

    _active: Any = None

    def on_touch_down(self, touch: Any) -> bool:
        if self._active is not None and getattr(self._active, "time_end", -1) != -1:
            self._active = None  # that finger left without its touch-up reaching us (a lost event)
        if self._active is not None and self._active is not touch:
            return True
        self._active = touch
        return bool(super().on_touch_down(touch))

    def on_touch_move(self, touch: Any) -> bool:
        if self._active is not None and self._active is not touch:
            return True
        return bool(super().on_touch_move(touch))

    def on_touch_up(self, touch: Any) -> bool:
        if self._active is not None and self._active is not touch:
            return True
        self._active = None
        return bool(super().on_touch_up(touch))


class KioskApp(App):
    theme = ObjectProperty(None)
    language = ObjectProperty(None)
    home = ObjectProperty(None)
    walk_in = ObjectProperty(None)
    check_in = ObjectProperty(None)
    information = ObjectProperty(None)
    assist = ObjectProperty(None)
    case_status = ObjectProperty(None)
    report = ObjectProperty(None)
    booking = ObjectProperty(None)
    inactivity = ObjectProperty(None)
    connection = ObjectProperty(None)
    lang = StringProperty("nl")
    """The visitor's language; kv texts are ``app.t("English text", app.lang)`` so they follow it."""
    location_name = StringProperty("")
    speech_on = BooleanProperty(False)
    speech_available = BooleanProperty(False)
    camera_on = BooleanProperty(False)
    camera_state = StringProperty("")
    """The scanner's status while the camera is on (``scanning``, ``no_camera``, ...), for the screen."""
    screen = StringProperty("welcome")

    def __init__(self, parts: KioskParts, kiosk_mode: bool = False, screenshot: Path | None = None,
                 screenshot_every: float = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.title = "Gastvrij kiosk"
        self.parts = parts
        self.kiosk_mode = kiosk_mode
        self._screenshot = screenshot
        self._screenshot_every = screenshot_every
        worker = parts.worker or ThreadWorker(kivy_schedule)
        self._worker = worker
        client, location = parts.client, parts.location
        self.theme = Theme()
        self.language = LanguageViewModel()
        self.language.bind(language=self._language_changed)
        self._navigation = navigation.KioskState()
        self.home = HomeViewModel(self.language, hidden=self._navigation.hidden_tiles)  # until services are known
        self.walk_in = WalkInViewModel(client, location, self.language, worker, printer=parts.printer,
                                       local_info=parts.local_info)
        self.walk_in.bind(services=self._services_known, state=self._walk_in_state)
        self.check_in = CheckInViewModel(client, location, self.language, worker)
        self.information = InformationViewModel(client, location, self.language, worker, parts.clock,
                                                local_info=parts.local_info)
        self.assist = AssistViewModel(client, location, self.language, worker, place=parts.device_id)
        self.case_status = CaseStatusViewModel(client, self.language, worker)
        self.report = ReportViewModel(client, location, self.language, worker, printer=parts.printer,
                                      location_name=parts.location_name or location)
        self.booking = BookingViewModel(client, location, self.language, worker, parts.clock, printer=parts.printer,
                                        location_name=parts.location_name or location)
        self.booking.bind(state=self._booking_state)
        self._flows: dict[str, Any] = {
            navigation.WALK_IN: self.walk_in, navigation.CHECK_IN: self.check_in, navigation.CALL_HOST: self.assist,
            navigation.CASE_STATUS: self.case_status, navigation.REPORT: self.report,
            navigation.INFORMATION: self.information, navigation.BOOK: self.booking,
        }
        """Each screen's view-model by the screen's name: reset at the visit's end, and as the flow opens."""
        self.inactivity = InactivityViewModel(parts.clock, self.end_visit)
        self.connection = ConnectionViewModel(client, kivy_schedule)
        self.location_name = parts.location_name or location
        self.speech_available = bool(parts.speaker and parts.speaker.available)
        self._scanner: Scanner | None = None
        self._manager: ScreenManager | None = None
        self._screens: dict[str, Any] = {}
        self._events: list[Any] = []

    # ------------------------------------------------------------------------------ building

    def build(self) -> KioskRoot:
        from . import screens  # loads the .kv files; needs the App (for ``app`` in kv rules)

        Window.clearcolor = (0, 0, 0, 1)
        manager = ScreenManager(transition=NoTransition())
        self._manager = manager
        self._screens = screens.SCREENS
        # The welcome screen first, so it shows at once; the others one per frame after it (a visitor
        # cannot reach them sooner), or at once when asked for.
        self._ensure_screen("welcome")
        for name in self._screens:
            self._events.append(Clock.schedule_once(lambda _dt, n=name: self._ensure_screen(n), 0))
        root = KioskRoot()
        root.add_widget(manager)
        root.add_widget(screens.StillThere())
        Window.bind(on_touch_down=self._touched)
        self._events.append(Clock.schedule_interval(lambda _dt: self.inactivity.tick(), 1.0))
        for vm in self._flows.values():
            vm.bind(message=self._speak_message)
        self.walk_in.load_services()
        self.information.load()
        return root

    def on_start(self) -> None:
        if self.kiosk_mode:
            Window.bind(on_request_close=_refuse_close)  # no way out for a visitor
        # Ready once the first frame is drawn: systemd (Type=notify) then counts the kiosk as started.
        self._events.append(Clock.schedule_once(lambda _dt: systemd.notify("READY=1"), 0))
        interval = systemd.watchdog_interval()
        if interval:
            # Pinged from the UI thread's clock: a hung main loop stops the pings and systemd restarts us.
            self._events.append(Clock.schedule_interval(lambda _dt: systemd.notify("WATCHDOG=1"), interval))
        if self._screenshot is not None:
            path = self._screenshot
            self._events.append(Clock.schedule_once(lambda _dt: self.save_screenshot(path), 1.0))
            if self._screenshot_every > 0:
                self._events.append(Clock.schedule_interval(lambda _dt: self.save_screenshot(path),
                                                            self._screenshot_every))

    def save_screenshot(self, path: Path) -> Path:
        """A PNG of what the screen shows now."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.png")
        self.root.export_to_png(str(partial))
        partial.replace(path)  # a viewer never sees half a picture
        return path

    def on_stop(self) -> None:
        for event in self._events:
            event.cancel()
        Window.unbind(on_touch_down=self._touched)
        Window.unbind(on_request_close=_refuse_close)
        self.stop_camera()
        if self.parts.speaker is not None:
            self.parts.speaker.stop()
        self.connection.close()
        if hasattr(self._worker, "close"):
            self._worker.close()

    # ---------------------------------------------------------------------------- navigation

    def t(self, text: str, *_bound: object) -> str:
        """``text`` in the visitor's language. Extra arguments only make kv re-evaluate on a change."""
        return self.language.gettext(text)

    def endonym(self, language: str) -> str:
        return ENDONYMS.get(language, language)

    def _ensure_screen(self, name: str) -> None:
        if self._manager is not None and not self._manager.has_screen(name):
            self._manager.add_widget(self._screens[name]())

    def show(self, name: str) -> None:
        self._handle(navigation.ScreenAsked(name))

    def go_back(self) -> None:
        self._handle(navigation.BackPressed())

    def go_home(self) -> None:
        self._handle(navigation.HomePressed())

    def start_visit(self, language: str) -> None:
        """A language was chosen on the welcome screen: the visit starts (or goes on) at home."""
        self._handle(navigation.LanguageChosen(language))

    def end_visit(self) -> None:
        """Everything entered is cleared, the camera stopped, the welcome screen shown in Dutch."""
        self._handle(navigation.VisitEnded())
        log.info("visit ended")

    def open_tile(self, tile: str) -> None:
        self._handle(navigation.TileOpened(tile))

    def call_host(self, reason: str = "visitor_needs_help") -> None:
        self._handle(navigation.HostCalled(reason))

    @property
    def can_talk_about_cases(self) -> bool:
        return any(s["id"] == CASE_QUESTIONS_SERVICE for s in self.walk_in.services)

    def draw_ticket_about_case(self) -> None:
        """A ticket for the questions desk that carries the case just looked up: the clerk sees which
        case the visitor comes about (never its contents on the ticket or the screens)."""
        if self.case_status.state == "found" and self.can_talk_about_cases:
            self.walk_in.reset()
            self.walk_in.draw(CASE_QUESTIONS_SERVICE, case_reference=self.case_status.identificatie)

    # ------------------------------------------------------------------------------- devices

    def start_camera(self) -> None:
        if self._scanner is not None or self.parts.scanner_factory is None:
            return
        try:
            self._scanner = self.parts.scanner_factory(self._code_scanned)
            self._scanner.start()
            self.camera_on = True
        except Exception as error:  # the typed code still works
            log.warning("camera failed", extra={"fields": {"error": type(error).__name__}})
            self._scanner = None
            self.camera_on = False

    def stop_camera(self) -> None:
        scanner, self._scanner = self._scanner, None
        self.camera_on = False
        self.camera_state = ""
        if scanner is not None:
            scanner.stop()

    def camera_frame(self) -> Any:
        """The scanner's newest preview frame (pulled by the preview ~15 times a second), and its status."""
        if self._scanner is None:
            return None
        status = getattr(self._scanner, "status", None)
        self.camera_state = str(getattr(status, "value", status or ""))
        return self._scanner.latest_frame()

    def _code_scanned(self, read: Any) -> None:
        """A QR the camera saw (a ``QrRead``, delivered on the UI thread)."""
        if self.screen != "check_in":
            return
        if read.code:
            self.check_in.scanned(read.code)
        else:
            self.check_in.not_an_appointment()

    def toggle_speech(self) -> None:
        self.speech_on = not self.speech_on and self.speech_available
        if self.parts.speaker is not None:
            self.parts.speaker.enabled = self.speech_on
        if self.speech_on:
            self.say(self.t("Read aloud is on."))

    def say(self, text: str) -> None:
        if self.speech_on and text and self.parts.speaker is not None:
            self.parts.speaker.say(text, self.language.language)

    # ------------------------------------------------------------------------------ internals

    def _handle(self, event: navigation.Event) -> None:
        self._navigation, commands = navigation.handle(self._navigation, event)
        for command in commands:
            self._carry_out(command)

    def _carry_out(self, command: navigation.Command) -> None:
        match command:
            case ShowScreen(screen=name):
                if self._manager is not None:
                    self._ensure_screen(name)
                    self._manager.current = name
                self.screen = name
                log.info("screen shown", extra={"fields": {"screen": name}})
            case StartCamera():
                self.start_camera()
            case StopCamera():
                self.stop_camera()
            case ReadAloud(screen=name):
                spoken = getattr(self._manager.get_screen(name), "spoken", None) if self._manager else None
                if callable(spoken):
                    self.say(spoken())
            case BeginVisit(language=language):
                self.language.choose(language)
                self.inactivity.touched()
            case ResetFlow(flow=flow):
                self._flows[flow].reset()
            case LoadFlow(flow=navigation.WALK_IN):
                self.walk_in.load_services()  # it could not be loaded before: try again now
            case LoadFlow(flow=navigation.INFORMATION):
                self.information.load()
            case DrawTicket(service=service):
                self.walk_in.draw(service)
            case CallHost(reason=reason):
                self.assist.call(reason)
            case ResetVisit():
                self._reset_visit()
            case HideTiles(tiles=tiles):
                self.home.hide(tiles)

    def _reset_visit(self) -> None:
        if self.parts.speaker is not None:
            self.parts.speaker.stop()
        for vm in self._flows.values():
            vm.reset()
        self.theme.reset()
        self.speech_on = False
        if self.parts.speaker is not None:
            self.parts.speaker.enabled = False
        self.language.reset()
        self.inactivity.rest()

    def _touched(self, _window: Any, _touch: Any) -> None:
        if self.screen != "welcome":
            # After this touch has gone through the widgets: the "still there?" overlay must still see
            # itself asked, and keep the touch from the screen beneath.
            Clock.schedule_once(lambda _dt: self.inactivity.touched(), 0)

    def _speak_message(self, _vm: Any, message: str) -> None:
        self.say(message)

    def _language_changed(self, _vm: Any, language: str) -> None:
        self.lang = language

    def _services_known(self, _vm: Any, services: list[dict[str, Any]]) -> None:
        if self.walk_in.location is not None:
            self.language.offer(self.walk_in.location.languages)  # the welcome screen's languages
        self.booking.know(self.walk_in.location)
        self._handle(navigation.ServicesKnown(tuple(s["id"] for s in services), self.walk_in.location is not None,
                                              booking=self.booking.offered))

    def _walk_in_state(self, _vm: Any, state: str) -> None:
        self._handle(navigation.WalkInChanged(state))

    def _booking_state(self, _vm: Any, state: str) -> None:
        self._handle(navigation.BookingChanged(state))
