"""Do the estimated waits come true? Three estimators against the waits that followed.

Simulates days of one location (the history simulator, with the location's call order, desks
closing in turns for lunch, no-shows, recalls, visitors who give up, visits of several services and
transfers) and, the moment a walk-in's ticket enters a queue (drawn, sent on to its visit's next
service, or transferred), asks three estimators what they would have told that visitor, knowing
only what the server knows then:

- ``simple``: people of the same service ahead x the configured typical minutes / open desks that
  offer the service;
- ``shared``: the same people ahead x the median of recent visits / the desks' capacity, a desk
  counting fully for its first service and shared for the others;
- ``projected``: the open desks play the call order forward (``domain/wait_projection.py``), each
  visit taking the mean of its service's recent visits, visits of several services joining their
  next queue when the projected visit ends (also those at a desk now).

Then compares each with the real wait in that queue, from entering it to the call for that service
(visitors who gave up are left out): median absolute error, the share within 5 minutes and the
median signed error (negative: too optimistic). Rows per service count every queue entered; the
rows below them single out the next services of visits of several services, transfers, and the
estimate for a visit's second service given when the ticket is drawn (the mobile page's "next";
``shared`` has none).

    .venv/bin/python -m bench.wait_estimates --location ijsselmonde --days 14 --load 0.5 --load 0.65 --load 0.85
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from location_config import Location, load_location
from queue_ticketing.domain.call_order import position_in_line
from queue_ticketing.domain.tickets import Step, Ticket
from queue_ticketing.domain.wait_estimate import desk_capacity, typical_minutes
from queue_ticketing.domain.wait_projection import (
    CALL_GAP_MINUTES,
    Projection,
    learned_visit_minutes,
    next_queue_joiners,
    project,
)
from queue_ticketing.history_simulator import Arrival, simulate

Estimator = Callable[[Location, Arrival], float]
NEXT_SERVICES = "next service of a visit"
TRANSFERRED = "after a transfer"
NEXT_AT_ISSUE = "second service, estimated at issue"


def _ahead(seen: Arrival, service: str) -> int:
    """People waiting for ``service`` in front of the ticket (all of them when it waits elsewhere)."""
    mine = next(t for t in seen.waiting if t.id == seen.ticket_id)
    if mine.service != service:
        return sum(1 for t in seen.waiting if t.service == service)
    return sum(1 for t in seen.waiting if t.service == service and t.id != mine.id
               and (t.queued_at, t.number) < (mine.queued_at, mine.number))


def _simple_wait(location: Location, seen: Arrival, service_id: str) -> float:
    service = location.service(service_id)
    assert service is not None
    desks = sum(1 for d in seen.open_desks if service_id in d.services)
    return _ahead(seen, service_id) * service.typical_service_minutes / max(1, desks)


def simple(location: Location, seen: Arrival) -> float:
    return _simple_wait(location, seen, seen.service)


def simple_next(location: Location, seen: Arrival, following: str) -> float:
    """The simple estimate of the visit's second service: the first wait, the first visit's
    typical minutes, then the second service's queue as it is now."""
    first = location.service(seen.service)
    assert first is not None
    return simple(location, seen) + first.typical_service_minutes + _simple_wait(location, seen, following)


def shared(location: Location, seen: Arrival) -> float:
    service = location.service(seen.service)
    assert service is not None
    mine = next(t for t in seen.waiting if t.id == seen.ticket_id)
    same = [t for t in seen.waiting if t.service == seen.service]
    ahead = position_in_line(mine, same, seen.now, location.call_policy) - 1
    minutes = typical_minutes(seen.service, seen.finished, service.typical_service_minutes, seen.now)
    return ahead * minutes / max(desk_capacity(seen.service, seen.open_desks), 1.0)


def projection(location: Location, seen: Arrival, every_desk: bool = False) -> Projection:
    """The server's projection at this moment: busy desks call again when their visit is expected
    to end, and a visitor at a desk with a next service joins that queue then."""
    configured = {s.id: s.typical_service_minutes for s in location.services}
    minutes = learned_visit_minutes(configured, seen.finished, seen.now)
    free_at: dict[str, datetime] = {}
    ends: list[tuple[Ticket, datetime]] = []
    for desk, ticket in seen.at_desks.items():
        called = ticket.last(Step.CALLED)
        assert called is not None
        free_at[desk] = called.at + timedelta(minutes=minutes.of(ticket.service))
        ends.append((ticket, max(seen.now, free_at[desk] - timedelta(minutes=CALL_GAP_MINUTES))))
    joining = next_queue_joiners(ends, location.call_policy)
    desks = location.desks if every_desk else seen.open_desks
    return project(desks, free_at, seen.waiting, seen.now, location.call_policy, minutes, joining=joining)


def projected(location: Location, seen: Arrival) -> float:
    at = projection(location, seen).calls.get(seen.ticket_id)
    if at is None:  # no open desk offers it: as if the location's desks that do will open
        at = projection(location, seen, every_desk=True).calls[seen.ticket_id]
    return max(0.0, (at - seen.now).total_seconds() / 60)


def projected_next(location: Location, seen: Arrival, following: str) -> float:
    at = projection(location, seen).later.get(seen.ticket_id, {}).get(following)
    if at is None:
        at = projection(location, seen, every_desk=True).later[seen.ticket_id][following]
    return max(0.0, (at - seen.now).total_seconds() / 60)


ESTIMATORS: dict[str, Estimator] = {"simple": simple, "shared": shared, "projected": projected}
NEXT_ESTIMATORS = {"simple": simple_next, "projected": projected_next}


@dataclass(frozen=True)
class Entry:
    """A walk-in's ticket entering a queue, and what each estimator said then."""

    ticket_id: str
    service: str
    at: datetime
    entered: Step
    estimates: dict[str, float]
    next_estimates: dict[str, float]
    following: str | None


def _called_after(ticket: Ticket, entered: Step, at: datetime, service: str) -> datetime | None:
    """The call for ``service`` after the ticket entered its queue at ``at`` (None: it gave up)."""
    entries = [i for i, e in enumerate(ticket.timeline) if e.step is entered and e.at == at]
    for entry in ticket.timeline[entries[0] + 1:] if entries else ():
        if entry.step is Step.CALLED and entry.service == service:
            return entry.at
        if entry.step in (Step.CANCELLED, Step.TRANSFERRED):
            return None
    return None


def measure(location: Location, first_day: date, last_day: date, seed: int, load: float
            ) -> dict[str, dict[str, list[float]]]:
    """Estimator -> row (a service, ``all``, or one of the rows for visits of several services and
    transfers) -> signed errors in minutes (estimate minus real wait)."""
    entries: list[Entry] = []

    def observe(seen: Arrival) -> None:
        mine = next(t for t in seen.waiting if t.id == seen.ticket_id)
        following = mine.next_services[0] if seen.entered is Step.ISSUED and mine.next_services else None
        entries.append(Entry(
            seen.ticket_id, seen.service, seen.now, seen.entered,
            {name: estimator(location, seen) for name, estimator in ESTIMATORS.items()},
            {name: estimator(location, seen, following) for name, estimator in NEXT_ESTIMATORS.items()}
            if following else {}, following))

    history = simulate(location, first_day, last_day, seed, load=load, observe=observe)
    tickets = {t.id: t for t in history.tickets}
    errors: dict[str, dict[str, list[float]]] = {name: {} for name in ESTIMATORS}
    for entry in entries:
        ticket = tickets[entry.ticket_id]
        called = _called_after(ticket, entry.entered, entry.at, entry.service)
        if called is None:
            continue
        real = (called - entry.at).total_seconds() / 60
        rows = [entry.service, "all"]
        if entry.entered is Step.NEXT_SERVICE:
            rows.append(NEXT_SERVICES)
        elif entry.entered is Step.TRANSFERRED:
            rows.append(TRANSFERRED)
        for name, estimate in entry.estimates.items():
            for row in rows:
                errors[name].setdefault(row, []).append(estimate - real)
        if entry.following is not None:
            next_entry = ticket.first(Step.NEXT_SERVICE)
            if next_entry is None or next_entry.service != entry.following:
                continue  # gave up, did not come, or was transferred before the second service
            second = _called_after(ticket, Step.NEXT_SERVICE, next_entry.at, entry.following)
            if second is None:
                continue
            real_next = (second - entry.at).total_seconds() / 60
            for name, estimate in entry.next_estimates.items():
                errors[name].setdefault(NEXT_AT_ISSUE, []).append(estimate - real_next)
    return errors


def summary(errors: list[float]) -> tuple[float, float, float]:
    """Median absolute error, share within 5 minutes, median signed error."""
    absolute = [abs(e) for e in errors]
    return statistics.median(absolute), sum(a <= 5 for a in absolute) / len(absolute), statistics.median(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--location", default="ijsselmonde")
    parser.add_argument("--days", type=int, default=14, help="calendar days ending --last-day")
    parser.add_argument("--last-day", type=date.fromisoformat, default=date(2026, 11, 28))
    parser.add_argument("--load", type=float, action="append",
                        help="share of the desks' capacity on an average weekday (repeatable)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    location = load_location(args.location)
    first_day = args.last_day - timedelta(days=args.days - 1)
    names = list(ESTIMATORS)
    for load in args.load or [0.65]:
        started = time.perf_counter()
        errors = measure(location, first_day, args.last_day, args.seed, load)
        seconds = time.perf_counter() - started
        print(f"\n{args.location}, {first_day} to {args.last_day}, load {load:.2f}, seed {args.seed}: "
              f"{len(errors['simple']['all'])} queue waits of walk-ins measured ({seconds:.1f} s)")
        print("| wait | " + " | ".join(f"{n}: median abs error / within 5 min / bias" for n in names) + " |")
        print("| --- |" + " --- |" * len(names))
        rows = [s.id for s in location.services if s.id in errors["simple"]] + ["all"]
        rows += [row for row in (NEXT_SERVICES, TRANSFERRED, NEXT_AT_ISSUE) if row in errors["simple"]]
        for row in rows:
            cells = []
            for name in names:
                if row not in errors[name]:
                    cells.append("–")
                    continue
                mae, within, bias = summary(errors[name][row])
                cells.append(f"{mae:.1f} min / {within:.0%} / {bias:+.1f}")
            print(f"| {row} ({len(errors['simple'][row])}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
