"""A year (or any number of days) of plausible visits to one location, for reports and benchmarks.

``python -m queue_ticketing simulate-history --location ijsselmonde --days 365`` makes, for every
day the location is open (its opening hours and holidays), walk-in and appointment visitors who
arrive by a profile of hour, weekday and season, wait in the queue of their service, are called by
the location's desks in the order of its call policy (the domain's own ``call_order``, so a policy
is simulated exactly as the server applies it), sometimes give up waiting or do not come when
called, and are served for a time around the service's typical minutes. Everything is written in
bulk; only days before today are simulated, so live numbering is untouched.

Generation is pure (a seeded ``random.Random``): the same seed gives the same history."""

from __future__ import annotations

import heapq
import itertools
import math
import random
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import cast

from location_config import Desk, Location

from .domain.appointments import Appointment, AppointmentStatus, new_code
from .domain.call_order import next_ticket_for
from .domain.numbering import BUSINESS_TIMEZONE, ticket_number
from .domain.tickets import Channel, Step, Ticket, TicketKind, TicketStatus, TimelineEntry
from .domain.wait_estimate import ServiceTime

HOUR_WEIGHT = {8: 0.7, 9: 1.25, 10: 1.4, 11: 1.3, 12: 0.85, 13: 0.95, 14: 1.1, 15: 1.0, 16: 0.75, 17: 0.6,
               18: 0.6, 19: 0.5}
"""Arrivals by hour of the day: a morning peak, a lunch dip, a smaller afternoon peak."""
WEEKDAY_WEIGHT = (1.3, 1.05, 0.95, 1.05, 0.8, 0.6, 0.5)
"""Monday is the busiest day, Friday the quietest working day."""
MONTH_WEIGHT = (0.95, 0.95, 1.0, 1.05, 1.15, 1.2, 0.95, 0.85, 1.0, 1.0, 1.0, 0.9)
"""Travel documents before the summer holidays; quiet in August and December."""
SERVICE_MIX = {"paspoort": 0.2, "identiteitskaart": 0.16, "rijbewijs": 0.1, "uittreksel_brp": 0.07,
               "verhuizing": 0.06, "geboorteaangifte": 0.03, "afhalen_reisdocument": 0.18, "melding_klacht": 0.05,
               "informatie": 0.08, "huwelijk": 0.01}
APPOINTMENT_SHARE = 0.3
"""Of visitors for a service that takes appointments (and all of those that take only appointments)."""
LOAD = 0.65
"""Visitors per day as a share of what the desks can serve in the opening hours."""
NO_SHOW = 0.04
RECALL = 0.06
PATIENCE_MINUTES = 120.0
"""Mean time a walk-in waits before giving up (exponential)."""
LUNCH = timedelta(minutes=30)
LUNCH_FROM = time(11, 30)
"""Desks take a half-hour lunch in turns from 11:30 (a quarter of them at a time), after the visit
they are in; a desk closes for it without telling anyone in advance."""


@dataclass(frozen=True)
class Arrival:
    """What the location looks like the moment a walk-in draws a ticket, as the server would know it:
    for measuring wait estimates against the waits that followed."""

    ticket_id: str
    service: str
    now: datetime
    waiting: list[Ticket]
    """Everyone waiting, the new ticket included."""
    busy: dict[str, tuple[str, datetime]]
    """Desk id -> (service, called at) of the visit at that desk."""
    open_desks: list[Desk]
    finished: list[ServiceTime]
    """Visits finished so far today: from the call to done."""


Observer = Callable[[Arrival], None]


@dataclass(frozen=True)
class History:
    tickets: list[Ticket]
    appointments: list[Appointment]


@dataclass
class _Waiting:
    ticket_id: str
    service: str
    issued_at: datetime
    appointment_at: datetime | None
    number: str
    steps: list[TimelineEntry] = field(default_factory=list)

    def as_waiting_ticket(self, location: str, day: date) -> Ticket:
        """The ticket as the call order sees it while it waits."""
        return Ticket(id=self.ticket_id, location=location, service=self.service, number=self.number,
                      business_day=day,
                      kind=TicketKind.APPOINTMENT if self.appointment_at else TicketKind.WALK_IN,
                      channel=Channel.KIOSK, language="nl", status=TicketStatus.WAITING,
                      issued_at=self.issued_at, queued_at=self.issued_at, appointment_at=self.appointment_at)


def visitors_per_day(location: Location, load: float = LOAD) -> float:
    """What an average weekday brings: ``load`` of the desks' capacity over the usual opening hours."""
    weekday_minutes = [sum(_minutes(r.opens, r.closes) for r in location.opening_hours.weekly.get(d, ()))
                       for d in range(5)]
    minutes = sum(weekday_minutes) / max(1, sum(1 for m in weekday_minutes if m))
    mix = _mix(location)
    typical = {s.id: s.typical_service_minutes for s in location.services}
    mean_service = sum(share * typical[s] for s, share in mix.items())
    return load * len(location.desks) * minutes / (mean_service + 1.0)


def _minutes(opens: time, closes: time) -> float:
    return (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)


def _mix(location: Location) -> dict[str, float]:
    offered = {s.id: SERVICE_MIX.get(s.id, 0.05) for s in location.services}
    total = sum(offered.values())
    return {service: share / total for service, share in offered.items()}


def simulate(location: Location, first_day: date, last_day: date, seed: int = 2026,
             load: float = LOAD, observe: Observer | None = None) -> History:
    """Visits of every open day from ``first_day`` to ``last_day``; ``load`` is the share of the
    desks' capacity that an average weekday brings; ``observe`` sees every walk-in's arrival."""
    rng = random.Random(seed)
    per_day = visitors_per_day(location, load)
    tickets: list[Ticket] = []
    appointments: list[Appointment] = []
    day = first_day
    while day <= last_day:
        if location.opening_hours.on(day):
            day_tickets, day_appointments = _simulate_day(location, day, per_day, rng, observe)
            tickets.extend(day_tickets)
            appointments.extend(day_appointments)
        day += timedelta(days=1)
    return History(tickets, appointments)


def _arrivals(location: Location, day: date, per_day: float, rng: random.Random) -> list[datetime]:
    """Poisson arrivals over the open periods, thinned by the hour profile."""
    expected = per_day * WEEKDAY_WEIGHT[day.weekday()] * MONTH_WEIGHT[day.month - 1]
    periods = [(datetime.combine(day, r.opens, BUSINESS_TIMEZONE), datetime.combine(day, r.closes, BUSINESS_TIMEZONE))
               for r in location.opening_hours.on(day)]
    weight_minutes = sum(HOUR_WEIGHT.get(m.hour, 0.4) for start, end in periods for m in _each_minute(start, end))
    if weight_minutes == 0:
        return []
    peak = max(HOUR_WEIGHT.values())
    rate = expected / weight_minutes * peak  # arrivals per minute at the peak weight
    arrivals = []
    for start, end in periods:
        closing = end - timedelta(minutes=10)  # the kiosk stops drawing tickets 10 minutes before closing
        moment = start
        while True:
            moment += timedelta(minutes=rng.expovariate(rate))
            if moment >= closing:
                break
            if rng.random() < HOUR_WEIGHT.get(moment.hour, 0.4) / peak:
                arrivals.append(moment)
    return arrivals


def _each_minute(start: datetime, end: datetime) -> Iterator[datetime]:
    moment = start
    while moment < end:
        yield moment
        moment += timedelta(minutes=1)


def _service_minutes(location: Location, service: str, rng: random.Random) -> float:
    typical = location.service(service).typical_service_minutes  # type: ignore[union-attr]
    sigma = 0.45  # log-normal with mean ``typical``: most visits short, a few long
    return max(1.0, rng.lognormvariate(math.log(typical) - sigma * sigma / 2, sigma))


def _simulate_day(location: Location, day: date, per_day: float, rng: random.Random,
                  observe: Observer | None = None) -> tuple[list[Ticket], list[Appointment]]:
    mix = _mix(location)
    services, shares = list(mix), list(mix.values())
    sequences: dict[str, itertools.count[int]] = {}
    counter = itertools.count()
    events: list[tuple[datetime, int, str, object]] = []
    waiting: dict[str, tuple[_Waiting, Ticket]] = {}
    done: list[_Waiting] = []
    appointments: list[Appointment] = []

    def number_for(service: str) -> str:
        letter = location.service(service).letter  # type: ignore[union-attr]
        return ticket_number(letter, next(sequences.setdefault(letter, itertools.count(1))))

    for arrival in _arrivals(location, day, per_day, rng):
        service = rng.choices(services, shares)[0]
        offer = location.service(service)
        assert offer is not None
        by_appointment = offer.appointment and (not offer.walk_in or rng.random() < APPOINTMENT_SHARE)
        # An appointment's visitor checks in up to 20 minutes before the slot, on the quarter hour.
        slot = _quarter_after(arrival + timedelta(minutes=rng.uniform(0, 20))) if by_appointment else None
        heapq.heappush(events, (arrival, next(counter), "arrive", (service, slot)))
    free_desks = list(location.desks)
    busy: dict[str, tuple[str, datetime]] = {}
    finished: list[ServiceTime] = []
    at_lunch: set[str] = set()
    if any(r.opens <= LUNCH_FROM and r.closes >= time(14, 0) for r in location.opening_hours.on(day)):
        for index, desk in enumerate(location.desks):
            start = datetime.combine(day, LUNCH_FROM, BUSINESS_TIMEZONE) + LUNCH * (index % 4)
            heapq.heappush(events, (start, next(counter), "lunch", desk.id))
            heapq.heappush(events, (start + LUNCH, next(counter), "back", desk.id))

    def start_visits(now: datetime) -> None:
        for desk in list(free_desks):
            if not waiting:
                return
            if desk.id in at_lunch:
                continue
            ticket = next_ticket_for(desk, [t for _, t in waiting.values()], now, location.call_policy)
            if ticket is None:
                continue
            visitor, _ = waiting.pop(ticket.id)
            free_desks.remove(desk)
            heapq.heappush(events, (_serve(visitor, desk.id, now, location, rng), next(counter), "free", desk))
            busy[desk.id] = (visitor.service, now)
            if visitor.steps[-1].step is Step.DONE:
                finished.append(ServiceTime(visitor.service, visitor.steps[-1].at,
                                            (visitor.steps[-1].at - now).total_seconds() / 60))
            done.append(visitor)

    while events:
        now, _, kind, data = heapq.heappop(events)
        if kind == "arrive":
            service, slot = cast(tuple[str, datetime | None], data)
            visitor = _Waiting(secrets.token_urlsafe(16), service, now, slot, number_for(service))
            visitor.steps.append(TimelineEntry(Step.ISSUED, now, None, service))
            waiting[visitor.ticket_id] = (visitor, visitor.as_waiting_ticket(location.id, day))
            if observe is not None and slot is None:
                observe(Arrival(visitor.ticket_id, service, now, [t for _, t in waiting.values()], dict(busy),
                                [d for d in location.desks if d.id not in at_lunch],
                                [f for f in finished if f.finished_at <= now]))
            if slot is None:
                patience = timedelta(minutes=rng.expovariate(1 / PATIENCE_MINUTES))
                heapq.heappush(events, (now + patience, next(counter), "give_up", visitor))
            else:
                # Wake the desks when the slot falls due: the appointment may now jump the queue.
                due = slot - timedelta(minutes=location.call_policy.appointment_due_before_minutes)
                heapq.heappush(events, (max(now, due), next(counter), "due", None))
        elif kind == "give_up":
            visitor = cast(_Waiting, data)
            if waiting.pop(visitor.ticket_id, None) is not None:
                visitor.steps.append(TimelineEntry(Step.CANCELLED, now, None, visitor.service))
                done.append(visitor)
        elif kind == "free":
            free_desks.append(cast(Desk, data))
            busy.pop(cast(Desk, data).id, None)
        elif kind == "lunch":
            at_lunch.add(cast(str, data))
        elif kind == "back":
            at_lunch.discard(cast(str, data))
        start_visits(now)
    return _tickets(location, day, done, appointments)


def _quarter_after(moment: datetime) -> datetime:
    minutes = (moment.minute // 15 + 1) * 15
    return moment.replace(minute=0, second=0, microsecond=0) + timedelta(minutes=minutes)


def _serve(visitor: _Waiting, desk: str, now: datetime, location: Location, rng: random.Random) -> datetime:
    """Adds the visit's steps; returns when the desk is free again."""
    steps = visitor.steps
    steps.append(TimelineEntry(Step.CALLED, now, desk, visitor.service))
    moment = now
    if rng.random() < RECALL:
        moment += timedelta(minutes=rng.uniform(1, 2))
        steps.append(TimelineEntry(Step.RECALLED, moment, desk, visitor.service))
    if rng.random() < NO_SHOW:
        moment += timedelta(minutes=rng.uniform(2, 4))
        steps.append(TimelineEntry(Step.NO_SHOW, moment, desk, visitor.service))
        return moment
    moment += timedelta(minutes=rng.uniform(0.3, 1.5))
    steps.append(TimelineEntry(Step.SERVING, moment, desk, visitor.service))
    moment += timedelta(minutes=_service_minutes(location, visitor.service, rng))
    steps.append(TimelineEntry(Step.DONE, moment, desk, visitor.service))
    return moment + timedelta(minutes=rng.uniform(0.2, 1.0))


_FINAL = {Step.DONE: TicketStatus.DONE, Step.NO_SHOW: TicketStatus.NO_SHOW, Step.CANCELLED: TicketStatus.CANCELLED}


def _tickets(location: Location, day: date, visitors: list[_Waiting],
             appointments: list[Appointment]) -> tuple[list[Ticket], list[Appointment]]:
    tickets = []
    for v in visitors:
        appointment_id = None
        if v.appointment_at is not None:
            appointment_id = secrets.token_hex(8)
            appointments.append(Appointment(id=appointment_id, code=new_code(), location=location.id,
                                            service=v.service, starts_at=v.appointment_at,
                                            status=AppointmentStatus.CHECKED_IN, ticket_id=v.ticket_id))
        last = v.steps[-1]
        tickets.append(Ticket(
            id=v.ticket_id, location=location.id, service=v.service, number=v.number, business_day=day,
            kind=TicketKind.APPOINTMENT if appointment_id else TicketKind.WALK_IN, channel=Channel.KIOSK,
            language="nl", status=_FINAL[last.step], issued_at=v.issued_at, queued_at=v.issued_at,
            desk=last.desk, appointment_id=appointment_id, appointment_at=v.appointment_at, timeline=tuple(v.steps)))
    return tickets, appointments
