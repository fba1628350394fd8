"""Making an appointment at the kiosk: a bookable service, a day with free places, a free time, then
the booking (one Idempotency-Key per chosen time in this visit: a double tap books once), printed and
shown with its check-in code and the QR of the visitor's page. No personal data is asked. Where the
location's calendar lets one booking hold several (``max_per_booking``: a couple both renewing their
passports), the visitor says for how many people, only the times from which that many slots one after
another are free are offered, and one booking makes the appointments one after another, each with its
own code, all on one confirmation.

Booking needs the connection (the client never queues it offline): offline, or when the service
fails, the visitor is told so and the rest of the kiosk keeps working. Where the city books on its
website, the visitor gets its address and a QR of it instead (nothing is booked here). A time taken
by someone else a moment before is answered kindly with the next free times."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from babel.dates import format_date
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, OptionProperty, StringProperty

from queue_ticketing.client import Appointment, Client, LocationInfo, Rejected, Slots

from ..printing import AppointmentPrint, PrinterStatus, TicketPrinter
from ..texts import N_, RIGHT_TO_LEFT
from ..worker import Worker
from .language import LanguageViewModel
from .visit_step import VisitStep

STATES = ["idle", "service", "elsewhere", "loading", "day", "time", "confirm", "booking", "booked", "unavailable"]
"""``service``: choose a service; ``elsewhere``: the city books on its website; ``day``, ``time``,
``confirm``: the steps; ``loading``/``booking``: waiting for the service; ``booked``: the appointment;
``unavailable``: booking cannot be done now (offline, or the service failed), ``message`` says so."""
DAYS_PER_PAGE = 8
TIMES_PER_PAGE = 15
MAX_DAYS = 24
"""At most this many days with free places are offered (the next ones first)."""


class BookingViewModel(VisitStep):
    state = OptionProperty("idle", options=STATES)
    services = ListProperty([])
    """Bookable services as dicts ``id``, ``name`` (visitor's language), ``name_nl``."""
    booking_url = StringProperty("")
    """Where the city books when this location does not (shown with its QR)."""
    service = StringProperty("")
    service_name = StringProperty("")
    days = ListProperty([])
    """Days with a free place as dicts ``day`` (ISO date) and ``words`` (weekday and date, two lines)."""
    day_page = NumericProperty(0)
    times = ListProperty([])
    """Free times of the chosen day (or the next free ones after a time was taken) as dicts
    ``starts_at`` (ISO) and ``words`` ("09:30", with the date when it is not the chosen day)."""
    time_page = NumericProperty(0)
    day_words = StringProperty("")
    """The chosen day, e.g. "Maandag 30 november"."""
    time_words = StringProperty("")
    """The chosen time, e.g. "09:30 – 09:45" (no line break inside)."""
    place_words = StringProperty("")
    """The location's name and address."""
    taken = BooleanProperty(False)
    """The time chosen was taken by someone else a moment before: ``times`` are the next free ones."""
    people = NumericProperty(1)
    """For how many people (appointments one after another in one booking), 1 to ``max_people``."""
    max_people = NumericProperty(1)
    """The location's ``max_per_booking``: 1 where a booking holds one appointment."""
    people_words = StringProperty("")
    """For more than one person: their times ("One appointment each, one after another: 09:30 and 09:45")."""
    code = StringProperty("")
    visitor_url = StringProperty("")
    """The first appointment's code and visitor page (the only ones for one person)."""
    booked = ListProperty([])
    """Every appointment of the booking, in order, as dicts ``time_words``, ``code``, ``visitor_url``,
    ``check_in_words``."""
    check_in_words = StringProperty("")
    message = StringProperty("")
    printed = BooleanProperty(False)
    show_on_screen = BooleanProperty(False)
    """True when the confirmation could not be printed (the screen keeps code and QR, and says so)."""
    printer_status = StringProperty("")

    def __init__(self, client: Client, location: str, language: LanguageViewModel, worker: Worker,
                 clock: Callable[[], datetime], printer: TicketPrinter | None = None,
                 location_name: str = "", **kwargs: object) -> None:
        super().__init__(client, location, language, worker, **kwargs)
        self._clock = clock
        self._printer = printer
        self._location_name = location_name or location
        self._info: LocationInfo | None = None
        self._keys: dict[str, str] = {}
        self._day: date | None = None
        self._starts_at: datetime | None = None
        self._length = timedelta(minutes=15)
        self._appointment: Appointment | None = None
        self._told = ""
        language.bind(language=lambda *_: self._relabel())

    # ------------------------------------------------------------------------------ the location

    def know(self, info: LocationInfo | None) -> None:
        """The location's public configuration (from the service or the kiosk's own copy)."""
        self._info = info
        self.place_words = self._place()
        if self.state in ("idle", "service", "elsewhere"):
            self._start()

    @property
    def offered(self) -> str:
        """``here`` (booked at this kiosk), ``elsewhere`` (on the city's website) or "" (neither)."""
        booking = self._info.booking if self._info is not None else None
        if booking is None:
            return ""
        if booking.books_here and booking.services:
            return "here"
        return "elsewhere" if booking.booking_url else ""

    def _start(self) -> None:
        booking = self._info.booking if self._info is not None else None
        self.booking_url = (booking.booking_url or "") if booking is not None else ""
        self.max_people = max(1, booking.max_per_booking) if booking is not None else 1
        self.people = min(self.people, self.max_people)
        self._fill_services()
        self.state = {"here": "service", "elsewhere": "elsewhere"}.get(self.offered, "idle")

    def _fill_services(self) -> None:
        if self._info is None or self._info.booking is None:
            self.services = []
            return
        lang = self._language.language
        found = []
        for service_id in self._info.booking.services:
            service = self._info.service(service_id)
            names = service.names if service is not None else {}
            found.append({"id": service_id, "name": names.get(lang) or names.get("nl", service_id),
                          "name_nl": names.get("nl", service_id)})
        self.services = found

    # ---------------------------------------------------------------------------------- the steps

    def choose_people(self, people: int) -> None:
        """For how many people (chosen with the service, before a day and time)."""
        if self.state in ("loading", "booking") or not 1 <= people <= self.max_people:
            return
        self.people = people

    def choose_service(self, service: str) -> None:
        if self.state in ("loading", "booking") or not any(s["id"] == service for s in self.services):
            return
        self.service = service
        self.service_name = next(s["name"] for s in self.services if s["id"] == service)
        self._wait()
        self._worker.submit(lambda: self._client.slot_days(self._location, service), self._days_known, self._failed)

    def choose_day(self, day: str) -> None:
        if self.state in ("loading", "booking") or not self.service:
            return
        chosen = date.fromisoformat(day)
        self._day = chosen
        self.day_words = self._day_words(chosen, one_line=True)
        self._wait()
        service = self.service
        self._worker.submit(lambda: self._client.slots(self._location, service, day=chosen), self._times_known,
                            self._failed)

    def choose_time(self, starts_at: str) -> None:
        if self.state in ("loading", "booking") or not self.service:
            return
        start = datetime.fromisoformat(starts_at)
        self._starts_at = start
        self.day_words = self._day_words(start.date(), one_line=True)
        self.time_words = f"{start:%H:%M}\u00a0–\u00a0{start + self._length * self.people:%H:%M}"
        self.people_words = self._people_words([start + n * self._length for n in range(self.people)])
        self._tell("")
        self.state = "time"  # passes through, so that choosing again after "back" moves on again
        self.state = "confirm"

    def book(self) -> None:
        """Book the chosen time. The same time tapped again in this visit carries the same key, so the
        service answers with the same appointment (a double tap books once)."""
        if self.state == "booking" or self._starts_at is None or not self.service:
            return
        service, start, language, count = self.service, self._starts_at, self._language.language, self.people
        key = self._keys.setdefault(f"{service} {start.isoformat()} {count}", str(uuid.uuid4()))
        self.state = "booking"
        self._tell("")
        self._worker.submit(
            lambda: self._client.book_appointment(self._location, service, start, language=language, count=count,
                                                  key=key),
            self._booked, self._failed)

    def next_days(self, step: int) -> None:
        self.day_page = max(0, min(self.day_page + step, _pages(self.days, DAYS_PER_PAGE) - 1))

    def next_times(self, step: int) -> None:
        self.time_page = max(0, min(self.time_page + step, _pages(self.times, TIMES_PER_PAGE) - 1))

    @property
    def shown_days(self) -> list[dict[str, str]]:
        return list(self.days[self.day_page * DAYS_PER_PAGE:(self.day_page + 1) * DAYS_PER_PAGE])

    @property
    def shown_times(self) -> list[dict[str, str]]:
        return list(self.times[self.time_page * TIMES_PER_PAGE:(self.time_page + 1) * TIMES_PER_PAGE])

    def _wait(self) -> None:
        self._tell("")
        self.state = "loading"

    def _tell(self, text: str) -> None:
        """``message`` is ``text`` (an English message id) in the visitor's language, also after a change."""
        self._told = text
        self.message = self._language.gettext(text) if text else ""

    # -------------------------------------------------------------------------------- the answers

    def _days_known(self, days: tuple[date, ...]) -> None:
        self.days = [{"day": d.isoformat(), "words": self._day_words(d)} for d in days[:MAX_DAYS]]
        self.day_page = 0
        if not self.days:
            self.state = "service"
            self._tell(N_("There are no free places for this service in the coming weeks. Please ask a host."))
            return
        self.state = "day"

    def _times_known(self, slots: Slots, taken: bool = False) -> None:
        """The day's free times, for as many people as chosen; ``taken``: after the time chosen went."""
        self._length = timedelta(minutes=slots.length_minutes)
        self._set_times(self._for_everyone([slot.starts_at for slot in slots.slots]), taken=taken)
        if taken:
            self.state = "time"
            self._tell(N_("Sorry, someone else booked that time a moment ago. These times are still free:")
                       if self.times else
                       N_("Sorry, someone else booked that time a moment ago, and this day has no other times for "
                          "all of you one after another. Please choose another day, or ask a host."))
            return
        if not self.times:  # taken in the meantime: the day's last places went
            self.state = "day"
            self._tell(N_("This day is full by now. Please choose another day.") if self.people == 1 else
                       N_("This day has no times left for all of you one after another. Please choose another day."))
            return
        self.state = "time"

    def _for_everyone(self, starts: list[datetime]) -> list[datetime]:
        """The times from which a free slot waits for each person, one after another."""
        free = set(starts)
        return [s for s in starts if all(s + n * self._length in free for n in range(1, self.people))]

    def _set_times(self, starts: list[datetime], taken: bool) -> None:
        self.taken = taken
        self.times = [{"starts_at": s.isoformat(), "words": self._time_words(s)} for s in starts]
        self.time_page = 0

    def _booked(self, appointment: Appointment) -> None:
        self._appointment = appointment
        self.code = appointment.code
        self.visitor_url = appointment.visitor_url
        last = (appointment.also or (appointment,))[-1]
        self.time_words = f"{appointment.starts_at:%H:%M}\u00a0–\u00a0{last.ends_at:%H:%M}"
        self._booked_words(appointment)
        self.place_words = self._place()
        self.printed = False
        self.show_on_screen = self._printer is None
        self.state = "booked"
        if self._printer is not None:
            job = self._print_job(appointment)
            printer = self._printer
            self._worker.submit(lambda: self._print_and_report(printer, job), self._print_done,
                                lambda _error: self._print_done(PrinterStatus.OFFLINE))

    def _failed(self, error: Exception) -> None:
        if isinstance(error, Rejected) and error.code == "slot_taken" and self.people > 1 and self._starts_at:
            # The next free single slots rarely lie one after another: the day's times for everyone again.
            service, day = self.service, self._starts_at.date()
            self._worker.submit(lambda: self._client.slots(self._location, service, day=day),
                                lambda slots: self._times_known(slots, taken=True), self._failed)
            return
        if isinstance(error, Rejected) and error.code == "slot_taken":
            after = [_time(text) for text in error.problem.get("next_free", []) if isinstance(text, str)]
            self._set_times([start for start in after if start is not None], taken=True)
            self.state = "time"
            self._tell(N_("Sorry, someone else booked that time a moment ago. These times are still free:")
                       if self.times else
                       N_("Sorry, someone else booked that time a moment ago, and no other time is free soon. "
                          "Please ask a host."))
            return
        if isinstance(error, Rejected) and error.code == "booked_elsewhere":
            url = error.problem.get("booking_url")
            self.booking_url = url if isinstance(url, str) else self.booking_url
            self.state = "elsewhere"
            return
        self.state = "unavailable"
        if isinstance(error, Rejected):
            self._tell(N_("This appointment could not be booked. Please choose another time, or ask a host."))
        else:  # offline, or the service failed: booking needs the connection, everything else still works
            self._tell(N_("Booking an appointment needs our connection, which is not working right now. "
                          "Please try again later, or ask a host. You can still draw a ticket."))

    # ----------------------------------------------------------------------------------- printing

    def _print_job(self, appointment: Appointment) -> AppointmentPrint:
        _ = self._language.gettext
        service = next((s for s in self.services if s["id"] == appointment.service), None)
        each = (tuple((b["time_words"], b["code"], b["check_in_words"]) for b in self.booked)
                if len(self.booked) > 1 else ())
        return AppointmentPrint(
            location_name=self._info.name if self._info is not None else self._location_name,
            address=str(self._info.raw.get("address", "")) if self._info is not None else "",
            heading=_("Your appointment"),
            service_name=service["name"] if service else appointment.service,
            service_name_nl=service["name_nl"] if service else appointment.service,
            day=self.day_words, time=self.time_words, code_label=_("Your check-in code"), code=appointment.code,
            check_in=self.check_in_words, visitor_url=appointment.visitor_url,
            follow_text=(_("When you come, each of you holds their own code in front of the kiosk's camera, or types "
                           "it.") if each else
                         _("When you come, hold this code in front of the kiosk's camera, or type the code above.")),
            each=each, each_text=self.people_words if each else "")

    def _print_and_report(self, printer: TicketPrinter, job: AppointmentPrint) -> PrinterStatus:
        status = printer.print_appointment(job)
        with contextlib.suppress(Exception):  # the hosts hear of it with the next report
            self._client.report_status(printer=status.value)
        return status

    def _print_done(self, status: PrinterStatus) -> None:
        self.printer_status = status.value
        self.printed = status.printed
        if not self.printed:
            self.show_on_screen = True

    # -------------------------------------------------------------------------------------- words

    def _place(self) -> str:
        if self._info is None:
            return self._location_name
        address = str(self._info.raw.get("address", ""))
        return f"{self._info.name}, {address}" if address else self._info.name

    def _day_words(self, day: date, one_line: bool = False) -> str:
        _ = self._language.gettext
        lang = self._language.language
        weekday = format_date(day, "EEEE", locale=lang)
        today = self._clock().date()
        if day in (today, today + timedelta(days=1)):
            comma = "، " if lang in RIGHT_TO_LEFT else ", "  # the Arabic comma in Arabic
            weekday = f"{_('Today') if day == today else _('Tomorrow')}{comma}{weekday}"
        words = f"{weekday}{' ' if one_line else chr(10)}{format_date(day, 'd MMMM', locale=lang)}"
        return words[:1].upper() + words[1:]

    def _time_words(self, start: datetime) -> str:
        if self._day is not None and start.date() == self._day:
            return f"{start:%H:%M}"
        lang = self._language.language
        return f"{format_date(start.date(), 'EEE d MMM', locale=lang)}\n{start:%H:%M}"

    def _relabel(self) -> None:
        """The visitor changed language: the service names, days, times and message in it."""
        self._tell(self._told)
        self._fill_services()
        if self.service:
            self.service_name = next((s["name"] for s in self.services if s["id"] == self.service), self.service)
        if self.days:
            self.days = [{"day": d["day"], "words": self._day_words(date.fromisoformat(d["day"]))} for d in self.days]
        if self.times:
            starts = [datetime.fromisoformat(t["starts_at"]) for t in self.times]
            self.times = [{"starts_at": s.isoformat(), "words": self._time_words(s)} for s in starts]
        if self._appointment is not None and self.state == "booked":
            self._booked_words(self._appointment)
        elif self._starts_at is not None:
            self.day_words = self._day_words(self._starts_at.date(), one_line=True)
            self.people_words = self._people_words([self._starts_at + n * self._length for n in range(self.people)])
        elif self._day is not None:
            self.day_words = self._day_words(self._day, one_line=True)

    def _booked_words(self, appointment: Appointment) -> None:
        self.day_words = self._day_words(appointment.starts_at.date(), one_line=True)
        self.check_in_words = self._check_in_words(appointment)
        every = (appointment, *appointment.also)
        self.people_words = self._people_words([a.starts_at for a in every]) if len(every) > 1 else ""
        self.booked = [{"time_words": f"{a.starts_at:%H:%M}\u00a0–\u00a0{a.ends_at:%H:%M}", "code": a.code,
                        "visitor_url": a.visitor_url, "check_in_words": self._check_in_words(a)} for a in every]

    def _check_in_words(self, appointment: Appointment) -> str:
        return self._language.gettext("Check in at the kiosk with this code from {time}.").format(
            time=f"{appointment.check_in_opens_at:%H:%M}")

    def _people_words(self, starts: list[datetime]) -> str:
        """"One appointment each, one after another: 09:30 and 09:45" (empty for one person)."""
        if len(starts) < 2:
            return ""
        _ = self._language.gettext
        times = [f"{s:%H:%M}" for s in starts]
        listed = _("{times} and {last}").format(times=", ".join(times[:-1]), last=times[-1])
        return _("One appointment each, one after another: {times}").format(times=listed)

    # -------------------------------------------------------------------------------------- reset

    def reset(self) -> None:
        """A new visitor (or the tile opened afresh): nothing chosen, no keys, nothing booked."""
        self._keys.clear()
        self._day = self._starts_at = None
        self._appointment = None
        values: dict[str, Any] = {"service": "", "service_name": "", "days": [], "day_page": 0, "times": [],
                                  "time_page": 0, "day_words": "", "time_words": "", "taken": False, "code": "",
                                  "people": 1, "people_words": "", "booked": [],
                                  "visitor_url": "", "check_in_words": "", "printed": False,
                                  "show_on_screen": False, "printer_status": "", "place_words": self._place()}
        for name, value in values.items():
            setattr(self, name, value)
        self._tell("")
        self._start()


def _pages(items: list[Any], size: int) -> int:
    return max(1, -(-len(items) // size))


def _time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None
