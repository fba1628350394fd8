"""One small day at IJsselmonde (Monday 30 November 2026), small enough to compute its service
norms by hand. Times are Rotterdam time. Norms: paspoort 80% within 10 min, informatie 90% within 5.

    ticket  service      kind         issued  first call  end                 wait  within norm
    A       paspoort     walk-in      09:00   09:04       done                   4  yes
    B       paspoort     walk-in      09:10   09:22       done                  12  no
    C       paspoort     walk-in      09:30   09:38       no-show                8  yes
    G       paspoort     appointment  09:50   10:15       done                   -  (appointment)
    D       paspoort     walk-in      10:05   10:11       done                   6  yes
    E       paspoort     walk-in      10:20   -           cancelled 10:25        -  not judged (left within 10)
    F       paspoort     walk-in      10:40   -           cancelled 11:00        -  no (waited 20)
    H       informatie   walk-in      09:15   09:18       done                   3  yes
    I       informatie   walk-in      11:05   11:15       done                  10  no

paspoort:   7 visitors (6 walk-in, 1 appointment), 1 no-show; waits 4 6 8 12: median 7, p80 9.6,
            p95 11.4; judged A B C D F, within A C D: 3/5 = 0.6 (norm 0.8 missed)
            09h: A B C G: waits 4 8 12: median 8, p80 10.4, p95 11.6; within 2/3. 10h: D E F: wait 6; 1/2
informatie: 2 visitors; waits 3 10: median 6.5, p80 8.6, p95 9.65; within 1/2 (norm 0.9 missed)
all:        9 visitors, 1 no-show; waits 3 4 6 8 10 12: median 7, p80 10, p95 11.5; within 4/7
            09h: 5 visitors, waits 3 4 8 12 (median 6), within 3/4; 10h: 3 visitors; 11h: 1 visitor
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from queue_ticketing.domain.service_norms import Visit
from queue_ticketing.domain.tickets import Channel, Step, Ticket, TicketKind, TicketStatus, TimelineEntry

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 11, 30, hour, minute, tzinfo=AMSTERDAM)


# ticket: (service, walk_in, issued, first call, end step, end time)
DAY: dict[str, tuple[str, bool, str, str | None, Step, str]] = {
    "A": ("paspoort", True, "09:00", "09:04", Step.DONE, "09:12"),
    "B": ("paspoort", True, "09:10", "09:22", Step.DONE, "09:30"),
    "C": ("paspoort", True, "09:30", "09:38", Step.NO_SHOW, "09:41"),
    "G": ("paspoort", False, "09:50", "10:15", Step.DONE, "10:25"),
    "D": ("paspoort", True, "10:05", "10:11", Step.DONE, "10:20"),
    "E": ("paspoort", True, "10:20", None, Step.CANCELLED, "10:25"),
    "F": ("paspoort", True, "10:40", None, Step.CANCELLED, "11:00"),
    "H": ("informatie", True, "09:15", "09:18", Step.DONE, "09:22"),
    "I": ("informatie", True, "11:05", "11:15", Step.DONE, "11:20"),
}


def visits() -> list[Visit]:
    return [Visit(service, walk_in, at(issued), at(called) if called else None,
                  at(end_at) if called is None else None, end is Step.NO_SHOW)
            for service, walk_in, issued, called, end, end_at in DAY.values()]


def tickets() -> list[Ticket]:
    """The same day as tickets with timelines (a recall and a serving step for realism)."""
    made = []
    for number, (name, (service, walk_in, issued, called, end, end_at)) in enumerate(DAY.items(), start=1):
        steps = [TimelineEntry(Step.ISSUED, at(issued), None, service)]
        if called:
            steps.append(TimelineEntry(Step.CALLED, at(called), "balie-1", service))
            if name == "B":
                steps.append(TimelineEntry(Step.RECALLED, at("09:24"), "balie-1", service))
            if end is Step.DONE:
                steps.append(TimelineEntry(Step.SERVING, at(called), "balie-1", service))
        steps.append(TimelineEntry(end, at(end_at), "balie-1" if called else None, service))
        status = {Step.DONE: TicketStatus.DONE, Step.NO_SHOW: TicketStatus.NO_SHOW,
                  Step.CANCELLED: TicketStatus.CANCELLED}[end]
        made.append(Ticket(
            id=f"small-day-{name}", location="ijsselmonde", service=service, number=f"X{number:03d}",
            business_day=at(issued).date(), kind=TicketKind.WALK_IN if walk_in else TicketKind.APPOINTMENT,
            channel=Channel.KIOSK, language="nl", status=status, issued_at=at(issued), queued_at=at(issued),
            desk="balie-1" if called else None, appointment_at=None if walk_in else at("10:00"),
            timeline=tuple(steps)))
    return made
