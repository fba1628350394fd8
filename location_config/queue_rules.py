"""How a location runs its queue: which ticket a desk calls next, and when appointments check in."""

from __future__ import annotations

from location_config.model import CALL_CRITERIA, NEXT_SERVICE_PLACES, CallPolicy, CheckInWindow
from location_config.toml_table import Table, child_path, suggestion


def read_call_policy(root: Table) -> CallPolicy:
    """``[call_policy]``; anything left out keeps the default of :class:`CallPolicy`."""
    table = root.table("call_policy", required=False)
    if table is None:
        return CallPolicy()
    defaults = CallPolicy()
    order = _read_order(table)
    due_before = table.integer("appointment_due_before_minutes", required=False, minimum=0)
    long_overdue_share = table.number("long_overdue_share", required=False)
    if long_overdue_share is not None and not 0.1 <= long_overdue_share <= 10.0:
        table.problem("long_overdue_share", f"must be between 0.1 and 10 (times the norm), got {long_overdue_share}")
        long_overdue_share = None
    next_service = table.text("next_service_queued_by", required=False)
    if next_service is not None and next_service not in NEXT_SERVICE_PLACES:
        hint = suggestion(next_service, NEXT_SERVICE_PLACES)
        table.problem("next_service_queued_by",
                      f"must be one of {', '.join(NEXT_SERVICE_PLACES)}, got {next_service!r}{hint}")
        next_service = None
    table.finish()
    return CallPolicy(
        order=defaults.order if order is None else order,
        appointment_due_before_minutes=(
            defaults.appointment_due_before_minutes if due_before is None else due_before
        ),
        long_overdue_share=defaults.long_overdue_share if long_overdue_share is None else long_overdue_share,
        next_service_queued_by=defaults.next_service_queued_by if next_service is None else next_service,
    )


def read_check_in(root: Table) -> CheckInWindow:
    """``[check_in]``; anything left out keeps the default of :class:`CheckInWindow`."""
    table = root.table("check_in", required=False)
    if table is None:
        return CheckInWindow()
    defaults = CheckInWindow()
    early = table.integer("early_minutes", required=False, minimum=0)
    late = table.integer("late_minutes", required=False, minimum=0)
    table.finish()
    return CheckInWindow(
        early_minutes=defaults.early_minutes if early is None else early,
        late_minutes=defaults.late_minutes if late is None else late,
    )


def _read_order(table: Table) -> tuple[str, ...] | None:
    order = table.text_list("order", required=False)
    if order is None:
        return None
    if not order:
        table.problem("order", f"must name at least one criterion ({', '.join(CALL_CRITERIA)})")
    ok = bool(order)
    for index, criterion in enumerate(order):
        path = child_path(table.at("order"), index)
        if criterion not in CALL_CRITERIA:
            hint = suggestion(criterion, CALL_CRITERIA)
            table.log.add(path, f"unknown criterion {criterion!r} (known: {', '.join(CALL_CRITERIA)}){hint}")
            ok = False
        elif criterion in order[:index]:
            table.log.add(path, f"criterion {criterion!r} is listed twice")
            ok = False
    return tuple(order) if ok else None
