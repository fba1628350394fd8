"""Does every service get its turn? Waits per service under two call orders, side by side.

Simulates the same days of one location (the history simulator: the same seed gives the same
visitors) twice: with the strict order (due appointments, priority, the desk's service order,
longest wait) and with the location's configured order (which adds ``norm_urgency``, see
``queue_ticketing/domain/call_order.py``). Prints, per service, the median and 90th-percentile wait
of walk-ins from entering that service's queue (the ticket's issue, or for a visit's next service
the end of the previous one) to the first call for it (a visitor who gave up counts with the time
until leaving), the share helped within the norm and how many gave up waiting; then the largest
ratio of one service's median wait to the whole location's. As in the service-norm report, a
transfer does not start a new wait.

    .venv/bin/python -m bench.fair_call_order --location ijsselmonde --days 28 --load 0.65 --load 0.85
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass, replace
from datetime import date, timedelta

from location_config import Location, load_location
from queue_ticketing.domain.tickets import Step, Ticket, TimelineEntry
from queue_ticketing.history_simulator import simulate

STRICT = ("appointment_due", "priority", "service_order", "longest_wait")


@dataclass(frozen=True)
class ServiceWaits:
    service: str
    visitors: int
    median: float
    p90: float
    within_norm: float
    gave_up: int


def queue_waits(ticket: Ticket) -> list[tuple[str, float, bool]]:
    """(service, minutes, gave up) for each queue the ticket entered (its issue, and each
    ``NEXT_SERVICE``): to the first call after entering, or to giving up; a queue left no other
    way (a day that ended) is left out."""
    waits = []
    entered: TimelineEntry | None = None
    for entry in ticket.timeline:
        if entry.step in (Step.ISSUED, Step.NEXT_SERVICE):
            entered = entry
        elif entered is not None and entry.step in (Step.CALLED, Step.CANCELLED):
            minutes = (entry.at - entered.at).total_seconds() / 60
            waits.append((entered.service or ticket.service, minutes, entry.step is Step.CANCELLED))
            entered = None
    return waits


def waits_by_service(location: Location, tickets: list[Ticket]) -> dict[str, ServiceWaits]:
    """Walk-in waits per service, and the whole location as ``all``: from entering the queue to
    the first call, or to giving up for a visitor who left (a lower bound of the wait, and never
    within the norm)."""
    per_service: dict[str, list[float]] = {}
    gave_up: dict[str, int] = {}
    norms: dict[str, list[bool]] = {}
    for ticket in tickets:
        if ticket.appointment_id is not None:
            continue
        for service, minutes, left in queue_waits(ticket):
            if left:
                gave_up[service] = gave_up.get(service, 0) + 1
            norm = location.service(service).norm_minutes  # type: ignore[union-attr]
            for key in (service, "all"):
                per_service.setdefault(key, []).append(minutes)
                norms.setdefault(key, []).append(not left and minutes <= norm)
    out = {}
    for service, waits in per_service.items():
        waits.sort()
        out[service] = ServiceWaits(
            service, len(waits), statistics.median(waits), waits[int(0.9 * (len(waits) - 1))],
            sum(norms[service]) / len(norms[service]),
            sum(gave_up.values()) if service == "all" else gave_up.get(service, 0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--location", default="ijsselmonde")
    parser.add_argument("--days", type=int, default=28, help="calendar days ending --last-day")
    parser.add_argument("--last-day", type=date.fromisoformat, default=date(2026, 11, 28))
    parser.add_argument("--load", type=float, action="append",
                        help="share of the desks' capacity on an average weekday (repeatable)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    configured = load_location(args.location)
    first_day = args.last_day - timedelta(days=args.days - 1)
    for load in args.load or [0.65]:
        runs = {}
        for label, order in (("strict", STRICT), ("configured", configured.call_policy.order)):
            location = replace(configured, call_policy=replace(configured.call_policy, order=order))
            history = simulate(location, first_day, args.last_day, args.seed, load=load)
            runs[label] = waits_by_service(location, history.tickets)
        print(f"\n{args.location}, {first_day} to {args.last_day}, load {load:.2f}, seed {args.seed}")
        print(f"strict: {' > '.join(STRICT)}\nconfigured: {' > '.join(configured.call_policy.order)}")
        print("| service (norm) | walk-ins | median wait strict / configured | p90 strict / configured "
              "| within norm strict / configured | gave up strict / configured |")
        print("| --- | --- | --- | --- | --- | --- |")
        services = [s.id for s in configured.services if s.id in runs["strict"]] + ["all"]
        for service in services:
            a, b = runs["strict"][service], runs["configured"][service]
            norm = "" if service == "all" else f" ({configured.service(service).norm_minutes} min)"  # type: ignore[union-attr]
            print(f"| {service}{norm} | {a.visitors} | {a.median:.0f} / {b.median:.0f} min "
                  f"| {a.p90:.0f} / {b.p90:.0f} min | {a.within_norm:.0%} / {b.within_norm:.0%} "
                  f"| {a.gave_up} / {b.gave_up} |")
        for label, run in runs.items():
            overall = run["all"].median
            worst = max((w for s, w in run.items() if s != "all"), key=lambda w: w.median)
            ratio = worst.median / overall if overall else float("inf")
            print(f"{label}: largest median wait {worst.service} {worst.median:.0f} min = {ratio:.1f}x the location's "
                  f"median ({overall:.0f} min)")


if __name__ == "__main__":
    main()
