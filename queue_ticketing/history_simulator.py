"""A year (or any number of days) of plausible visits to one location, for reports and benchmarks.

``python -m queue_ticketing simulate-history --location ijsselmonde --days 365`` makes, for every
day the location is open (its opening hours and holidays), walk-in and appointment visitors who
arrive by a profile of hour, weekday and season, wait in the queue of their service, are called by
the location's desks in the order of its call policy (the domain's own ``call_order``, so a policy
is simulated exactly as the server applies it), sometimes give up waiting or do not come when
called, and are served for a time around the service's typical minutes. About one walk-in in ten
comes for two or three services (a passport and a change of address): finishing one sends the
ticket to the next service's queue, and a few visitors are transferred to another service after a
short talk. Every step is the domain's own lifecycle function (``domain/tickets.py``: call, start,
finish, transfer, ...), so timelines and queue places follow the server's rules, the location's
``next_service_queued_by`` included. Everything is written in bulk; only days before today are
simulated, so live numbering is untouched.

Generation is pure (a seeded ``random.Random``): the same seed gives the same history (only the
ticket ids and appointment codes are drawn from ``secrets``, so two runs never collide)."""

from __future__ import annotations

import heapq
import itertools
import math
import random
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import cast

from location_config import Desk, Location

from .domain import tickets as lifecycle
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
SEVERAL_SERVICES_SHARE = 0.1
"""Of walk-ins: visitors with two or three services in one visit (``SEVERAL_SERVICES``)."""
SEVERAL_SERVICES: dict[tuple[str, ...], float] = {
    ("paspoort", "verhuizing"): 3.0,
    ("identiteitskaart", "uittreksel_brp"): 3.0,
    ("verhuizing", "uittreksel_brp"): 2.0,
    ("paspoort", "identiteitskaart"): 2.0,
    ("rijbewijs", "identiteitskaart"): 1.5,
    ("rijbewijs", "paspoort"): 1.0,
    ("geboorteaangifte", "uittreksel_brp"): 1.0,
    ("afhalen_reisdocument", "rijbewijs"): 1.0,
    ("paspoort", "identiteitskaart", "uittreksel_brp"): 0.5,
    ("verhuizing", "paspoort", "uittreksel_brp"): 0.5,
}
"""Visits of several services, in the order the visitor asks for them, by how often they occur."""
TRANSFER = 0.025
"""Of visits called to a desk: the clerk finds after a short talk that another service is needed
(``TRANSFERS``) and transfers the ticket; once per ticket at most."""
TRANSFERS: dict[str, tuple[str, ...]] = {
    "informatie": ("uittreksel_brp", "verhuizing", "paspoort", "melding_klacht"),
    "melding_klacht": ("informatie",),
    "paspoort": ("identiteitskaart",),
    "identiteitskaart": ("paspoort",),
    "afhalen_reisdocument": ("paspoort", "identiteitskaart"),
    "uittreksel_brp": ("verhuizing",),
    "verhuizing": ("uittreksel_brp",),
}
PATIENCE_MINUTES = 120.0
"""Mean time a walk-in waits before giving up (exponential)."""
LUNCH = timedelta(minutes=30)
LUNCH_FROM = time(11, 30)
"""Desks take a half-hour lunch in turns from 11:30 (a quarter of them at a time), after the visit
they are in; a desk closes for it without telling anyone in advance."""


@dataclass(frozen=True)
class Arrival:
    """What the location looks like the moment a walk-in's ticket enters a queue (drawn, sent on to
    its visit's next service, or transferred), as the server would know it: for measuring wait
    estimates against the waits that followed."""

    ticket_id: str
    service: str
    now: datetime
    waiting: list[Ticket]
    """Everyone waiting, this ticket included."""
    at_desks: dict[str, Ticket]
    """Desk id -> the ticket called to or served at that desk (its timeline says when)."""
    open_desks: list[Desk]
    finished: list[ServiceTime]
    """Visits finished so far today: from the call to done."""
    entered: Step = Step.ISSUED
    """How the ticket entered this queue: ``ISSUED``, ``NEXT_SERVICE`` or ``TRANSFERRED``."""


Observer = Callable[[Arrival], None]


@dataclass(frozen=True)
class History:
    tickets: list[Ticket]
    appointments: list[Appointment]


def visitors_per_day(location: Location, load: float = LOAD) -> float:
    """What an average weekday brings: ``load`` of the desks' capacity over the usual opening hours."""
    weekday_minutes = [sum(_minutes(r.opens, r.closes) for r in location.opening_hours.weekly.get(d, ()))
                       for d in range(5)]
    minutes = sum(weekday_minutes) / max(1, sum(1 for m in weekday_minutes if m))
    return load * len(location.desks) * minutes / _desk_minutes_per_visitor(location)


def _desk_minutes_per_visitor(location: Location) -> float:
    """A visitor's expected minutes at the desks (a minute more per visit, to call and change
    over), a visit of several services counting all of them: ``load`` stays the desks' share."""
    mix = _mix(location)
    desk_minutes = {s.id: s.typical_service_minutes + 1.0 for s in location.services}
    one = sum(share * desk_minutes[s] for s, share in mix.items())
    several = _visits_of_several(location)
    if not several:
        return one
    walk_ins = sum(share * (1.0 if not offer.appointment else 1.0 - APPOINTMENT_SHARE if offer.walk_in else 0.0)
                   for s, share in mix.items() if (offer := location.service(s)) is not None)
    of_several = (sum(weight * sum(desk_minutes[s] for s in visit) for visit, weight in several)
                  / sum(weight for _, weight in several))
    share = SEVERAL_SERVICES_SHARE * walk_ins
    return (1 - share) * one + share * of_several


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
    several = _visits_of_several(location)
    policy = location.call_policy
    sequences: dict[str, itertools.count[int]] = {}
    counter = itertools.count()
    events: list[tuple[datetime, int, str, object]] = []
    tickets: dict[str, Ticket] = {}
    """Every ticket of the day as it is now, in the order drawn."""
    waiting: dict[str, Ticket] = {}
    entries: dict[str, int] = {}
    """Ticket id -> how many queues it entered: a visitor gives up on one wait, not on a later one."""
    transferred: set[str] = set()

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
        visit: tuple[str, ...] = (service,)
        if slot is None and several and rng.random() < SEVERAL_SERVICES_SHARE:
            visit = rng.choices([v for v, _ in several], [w for _, w in several])[0]
        heapq.heappush(events, (arrival, next(counter), "arrive", (visit, slot)))
    free_desks = list(location.desks)
    at_desks: dict[str, Ticket] = {}
    finished: list[ServiceTime] = []
    at_lunch: set[str] = set()
    if any(r.opens <= LUNCH_FROM and r.closes >= time(14, 0) for r in location.opening_hours.on(day)):
        for index, desk in enumerate(location.desks):
            start = datetime.combine(day, LUNCH_FROM, BUSINESS_TIMEZONE) + LUNCH * (index % 4)
            heapq.heappush(events, (start, next(counter), "lunch", desk.id))
            heapq.heappush(events, (start + LUNCH, next(counter), "back", desk.id))

    def push(moment: datetime, kind: str, data: object) -> None:
        heapq.heappush(events, (moment, next(counter), kind, data))

    def enter_queue(ticket: Ticket, now: datetime, entered: Step) -> None:
        tickets[ticket.id] = waiting[ticket.id] = ticket
        entries[ticket.id] = entries.get(ticket.id, 0) + 1
        if ticket.kind is TicketKind.APPOINTMENT:
            # Wake the desks when the slot falls due: the appointment may now jump the queue.
            due = cast(datetime, ticket.appointment_at) - timedelta(minutes=policy.appointment_due_before_minutes)
            push(max(now, due), "due", None)
            return
        if observe is not None:
            observe(Arrival(ticket.id, ticket.service, now, list(waiting.values()), dict(at_desks),
                            [d for d in location.desks if d.id not in at_lunch], list(finished), entered))
        patience = timedelta(minutes=rng.expovariate(1 / PATIENCE_MINUTES))
        push(now + patience, "give_up", (ticket.id, entries[ticket.id]))

    def start_visits(now: datetime) -> None:
        for desk in list(free_desks):
            if not waiting:
                return
            if desk.id in at_lunch:
                continue
            chosen = next_ticket_for(desk, list(waiting.values()), now, policy)
            if chosen is None:
                continue
            del waiting[chosen.id]
            free_desks.remove(desk)
            tickets[chosen.id] = at_desks[desk.id] = lifecycle.call(chosen, desk.id, now)
            _plan_visit(at_desks[desk.id], desk, now, location, rng, push,
                        None if chosen.id in transferred else _transfer_to(location, chosen, rng))

    while events:
        now, _, kind, data = heapq.heappop(events)
        if kind == "arrive":
            visit, slot = cast(tuple[tuple[str, ...], datetime | None], data)
            appointment_id = secrets.token_hex(8) if slot is not None else None
            ticket = Ticket(id=secrets.token_urlsafe(16), location=location.id, service=visit[0],
                            number=number_for(visit[0]), business_day=day,
                            kind=TicketKind.APPOINTMENT if slot else TicketKind.WALK_IN, channel=Channel.KIOSK,
                            language="nl", status=TicketStatus.WAITING, issued_at=now, queued_at=now,
                            appointment_id=appointment_id, appointment_at=slot,
                            timeline=(TimelineEntry(Step.ISSUED, now, None, visit[0]),), services=visit)
            enter_queue(ticket, now, Step.ISSUED)
        elif kind == "give_up":
            ticket_id, entry = cast(tuple[str, int], data)
            if ticket_id in waiting and entries[ticket_id] == entry:
                tickets[ticket_id] = lifecycle.cancel(waiting.pop(ticket_id), now)
        elif kind in ("done", "no_show", "transfer"):
            desk, planned, to_service = cast(tuple[Desk, Ticket, str | None], data)
            del at_desks[desk.id]
            if kind == "no_show":
                tickets[planned.id] = lifecycle.no_show(planned, now)
                free_desks.append(desk)
            elif kind == "transfer":
                transferred.add(planned.id)
                enter_queue(lifecycle.transfer(planned, cast(str, to_service), now), now, Step.TRANSFERRED)
                push(now + timedelta(minutes=rng.uniform(0.2, 1.0)), "free", desk)
            else:
                called = cast(TimelineEntry, planned.last(Step.CALLED))
                finished.append(ServiceTime(planned.service, now, (now - called.at).total_seconds() / 60))
                ticket = lifecycle.finish(planned, now, next_by_arrival=policy.next_service_by_arrival)
                if ticket.status is TicketStatus.WAITING:
                    enter_queue(ticket, now, Step.NEXT_SERVICE)
                else:
                    tickets[ticket.id] = ticket
                push(now + timedelta(minutes=rng.uniform(0.2, 1.0)), "free", desk)
        elif kind == "free":
            free_desks.append(cast(Desk, data))
        elif kind == "lunch":
            at_lunch.add(cast(str, data))
        elif kind == "back":
            at_lunch.discard(cast(str, data))
        start_visits(now)
    appointments = [Appointment(id=t.appointment_id, code=new_code(), location=location.id, service=t.services[0],
                                starts_at=t.appointment_at, status=AppointmentStatus.CHECKED_IN, ticket_id=t.id)
                    for t in tickets.values() if t.appointment_id is not None and t.appointment_at is not None]
    return list(tickets.values()), appointments


def _visits_of_several(location: Location) -> list[tuple[tuple[str, ...], float]]:
    """The visits of several services this location offers (every service walk-in, with a desk)."""
    served = {s for d in location.desks for s in d.services}
    offered = {s.id for s in location.services if s.walk_in and s.id in served}
    return [(visit, weight) for visit, weight in SEVERAL_SERVICES.items() if set(visit) <= offered]


def _transfer_to(location: Location, ticket: Ticket, rng: random.Random) -> str | None:
    """Where the clerk sends this visitor after a short talk, or None (almost always)."""
    if rng.random() >= TRANSFER:
        return None
    served = {s for d in location.desks for s in d.services}
    targets = [s for s in TRANSFERS.get(ticket.service, ())
               if s in served and s not in ticket.services]
    return rng.choice(targets) if targets else None


def _plan_visit(ticket: Ticket, desk: Desk, now: datetime, location: Location, rng: random.Random,
                push: Callable[[datetime, str, object], None], transfer_to: str | None) -> None:
    """What happens to a ticket just called: a recall, then it does not come, is sent to another
    service after a short talk, or is served; the outcome is an event at its moment."""
    moment = now
    if rng.random() < RECALL:
        moment += timedelta(minutes=rng.uniform(1, 2))
        ticket = lifecycle.recall(ticket, moment)
    if rng.random() < NO_SHOW:
        push(moment + timedelta(minutes=rng.uniform(2, 4)), "no_show", (desk, ticket, None))
        return
    moment += timedelta(minutes=rng.uniform(0.3, 1.5))
    ticket = lifecycle.start(ticket, moment)
    if transfer_to is not None:
        push(moment + timedelta(minutes=rng.uniform(1, 3)), "transfer", (desk, ticket, transfer_to))
        return
    push(moment + timedelta(minutes=_service_minutes(location, ticket.service, rng)), "done", (desk, ticket, None))


def _quarter_after(moment: datetime) -> datetime:
    minutes = (moment.minute // 15 + 1) * 15
    return moment.replace(minute=0, second=0, microsecond=0) + timedelta(minutes=minutes)
