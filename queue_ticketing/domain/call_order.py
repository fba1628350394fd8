"""Which waiting ticket a desk calls next.

The order is a list of criteria from the location's call policy, applied in turn:
``appointment_due`` (appointment tickets whose slot is due), ``priority``, ``norm_urgency`` (by the
wait relative to the service's norm, below), ``service_order`` (the desk's services in its priority
order) and ``longest_wait``. A location may reorder or drop them.

``norm_urgency`` keeps the order fair. Without it a service that every desk lists after another is
called only when the earlier services are empty, and its visitors wait for hours on a busy day. With
it, a service is as urgent as the longest-waiting ticket in its queue, in three tiers: long overdue
(waited ``long_overdue_share`` times the norm or more, 7 unless the location sets it; the most
overdue first, so nobody starves), then services whose first visitor can still be helped within the
norm (the least time left first), then those already past it. The long-overdue share is high on
purpose: at 3 times the norm, visitors who could no longer be helped in time were called before
those who still could, and fewer walk-ins were helped within the norm than with the strict order.
Urgency is judged per service, not per ticket, so within one service the visitor who came first is
always called first: a later number of the same letter never jumps the queue in front of the people
who watch the display. ``bench/fair_call_order.py`` measures the effect per service against the
strict order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from location_config.model import CallPolicy, Desk, Position

from .tickets import Ticket, TicketKind


def _criteria(desk: Desk, now: datetime, policy: CallPolicy,
              first_queued: Mapping[str, datetime]) -> dict[str, Callable[[Ticket], Any]]:
    due_by = now + timedelta(minutes=policy.appointment_due_before_minutes)
    rank = {service: i for i, service in enumerate(desk.services)}
    norms = policy.norm_minutes
    long_overdue = policy.long_overdue_share

    def appointment_due(t: Ticket) -> tuple[int, datetime]:
        due = t.kind is TicketKind.APPOINTMENT and t.appointment_at is not None and t.appointment_at <= due_by
        # Due appointments first, earliest slot first; everything else ties here.
        return (0, t.appointment_at) if due and t.appointment_at else (1, now)

    def norm_urgency(t: Ticket) -> tuple[int, float]:
        norm = norms.get(t.service)
        if not norm:
            return (1, math.inf)
        share = (now - first_queued.get(t.service, t.queued_at)).total_seconds() / 60.0 / norm
        if share >= long_overdue:
            return (0, -share)
        if share <= 1.0:
            return (1, (1.0 - share) * norm)  # minutes left before the norm is missed
        return (2, -share)

    return {
        "appointment_due": appointment_due,
        "norm_urgency": norm_urgency,
        "priority": lambda t: 0 if t.priority else 1,
        "service_order": lambda t: rank.get(t.service, len(rank)),
        "longest_wait": lambda t: t.queued_at,
    }


def call_order(desk: Desk, waiting: Sequence[Ticket], now: datetime, policy: CallPolicy) -> list[Ticket]:
    """The waiting tickets this desk may call, best first."""
    eligible = [t for t in waiting if t.is_waiting and t.service in desk.services]
    first_queued: dict[str, datetime] = {}
    for t in eligible:
        if t.service not in first_queued or t.queued_at < first_queued[t.service]:
            first_queued[t.service] = t.queued_at
    criteria = _criteria(desk, now, policy, first_queued)
    keys = [criteria[name] for name in policy.order]

    def sort_key(t: Ticket) -> tuple[Any, ...]:
        # queued_at and the number break remaining ties so the order is total and stable.
        return (*(k(t) for k in keys), t.queued_at, len(t.number), t.number)

    return sorted(eligible, key=sort_key)


def next_ticket_for(desk: Desk, waiting: Sequence[Ticket], now: datetime, policy: CallPolicy) -> Ticket | None:
    """The ticket this desk should call now, or None."""
    ordered = call_order(desk, waiting, now, policy)
    return ordered[0] if ordered else None


def position_in_line(ticket: Ticket, waiting: Sequence[Ticket], now: datetime, policy: CallPolicy) -> int:
    """1 for the next visitor of this service, 2 for the one after, ...; 0 when not waiting."""
    if not ticket.is_waiting:
        return 0
    only_this_service = Desk(id="", number=0, services=(ticket.service,), floor=0, wayfinding={},
                             position=Position(0.0, 0.0))
    ordered = call_order(only_this_service, [*(t for t in waiting if t.id != ticket.id), ticket], now, policy)
    return next(i for i, t in enumerate(ordered, start=1) if t.id == ticket.id)
