"""Do the estimated waits come true? Three estimators against the waits that followed.

Simulates days of one location (the history simulator, with the location's call order, desks
closing in turns for lunch, no-shows, recalls and visitors who give up) and, the moment each walk-in
draws a ticket, asks three estimators what they would have told that visitor, knowing only what the
server knows then:

- ``simple``: people of the same service ahead x the configured typical minutes / open desks that
  offer the service;
- ``shared``: the same people ahead x the median of recent visits / the desks' capacity, a desk
  counting fully for its first service and shared for the others;
- ``projected``: the open desks play the call order forward (``domain/wait_projection.py``), each
  visit taking the mean of its service's recent visits.

Then compares each with the real wait to the first call (visitors who gave up are left out): median
absolute error, the share within 5 minutes and the median signed error (negative: too optimistic).

    .venv/bin/python -m bench.wait_estimates --location ijsselmonde --days 14 --load 0.5 --load 0.65 --load 0.85
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable
from datetime import date, timedelta

from location_config import Location, load_location
from queue_ticketing.domain.call_order import position_in_line
from queue_ticketing.domain.tickets import Step
from queue_ticketing.domain.wait_estimate import desk_capacity, typical_minutes
from queue_ticketing.domain.wait_projection import learned_visit_minutes, projected_wait
from queue_ticketing.history_simulator import Arrival, simulate

Estimator = Callable[[Location, Arrival], float]


def simple(location: Location, seen: Arrival) -> float:
    service = location.service(seen.service)
    assert service is not None
    ahead = sum(1 for t in seen.waiting if t.service == seen.service and t.id != seen.ticket_id)
    desks = sum(1 for d in seen.open_desks if seen.service in d.services)
    return ahead * service.typical_service_minutes / max(1, desks)


def shared(location: Location, seen: Arrival) -> float:
    service = location.service(seen.service)
    assert service is not None
    mine = next(t for t in seen.waiting if t.id == seen.ticket_id)
    same = [t for t in seen.waiting if t.service == seen.service]
    ahead = position_in_line(mine, same, seen.now, location.call_policy) - 1
    minutes = typical_minutes(seen.service, seen.finished, service.typical_service_minutes, seen.now)
    return ahead * minutes / max(desk_capacity(seen.service, seen.open_desks), 1.0)


def projected(location: Location, seen: Arrival) -> float:
    configured = {s.id: s.typical_service_minutes for s in location.services}
    minutes = learned_visit_minutes(configured, seen.finished, seen.now)
    free_at = {desk: called + timedelta(minutes=minutes.of(service)) for desk, (service, called) in seen.busy.items()}
    wait = projected_wait(seen.ticket_id, seen.open_desks, location.desks, free_at, seen.waiting, seen.now,
                          location.call_policy, minutes)
    assert wait is not None  # every simulated service has a desk
    return wait


ESTIMATORS: dict[str, Estimator] = {"simple": simple, "shared": shared, "projected": projected}


def measure(location: Location, first_day: date, last_day: date, seed: int, load: float
            ) -> dict[str, dict[str, list[float]]]:
    """Estimator -> service (and ``all``) -> signed errors in minutes (estimate minus real wait)."""
    estimates: dict[str, dict[str, float]] = {name: {} for name in ESTIMATORS}
    service_of: dict[str, str] = {}

    def observe(seen: Arrival) -> None:
        service_of[seen.ticket_id] = seen.service
        for name, estimator in ESTIMATORS.items():
            estimates[name][seen.ticket_id] = estimator(location, seen)

    history = simulate(location, first_day, last_day, seed, load=load, observe=observe)
    errors: dict[str, dict[str, list[float]]] = {name: {} for name in ESTIMATORS}
    for ticket in history.tickets:
        called = ticket.first(Step.CALLED)
        if ticket.id not in service_of or called is None:
            continue
        real = (called.at - ticket.issued_at).total_seconds() / 60
        for name in ESTIMATORS:
            error = estimates[name][ticket.id] - real
            for key in (ticket.service, "all"):
                errors[name].setdefault(key, []).append(error)
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
        errors = measure(location, first_day, args.last_day, args.seed, load)
        print(f"\n{args.location}, {first_day} to {args.last_day}, load {load:.2f}, seed {args.seed}: "
              f"{len(errors['simple']['all'])} walk-ins called")
        print("| service | " + " | ".join(f"{n}: median abs error / within 5 min / bias" for n in names) + " |")
        print("| --- |" + " --- |" * len(names))
        services = [s.id for s in location.services if s.id in errors["simple"]] + ["all"]
        for service in services:
            cells = []
            for name in names:
                mae, within, bias = summary(errors[name][service])
                cells.append(f"{mae:.1f} min / {within:.0%} / {bias:+.1f}")
            print(f"| {service} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
