"""A plain-text picture of a printed ticket, for tests and for the log of a kiosk without a printer."""

from __future__ import annotations

from .layout import Line, TicketPrint, layout_lines

WIDTH = 42
"""Characters per line on 80 mm paper in the printer's font A."""


def preview_text(ticket: TicketPrint | list[Line]) -> str:
    """A ticket (or any printout's lines, e.g. ``appointment_lines(...)``) as text."""
    out = []
    for line in layout_lines(ticket) if isinstance(ticket, TicketPrint) else ticket:
        if line.kind == "rule":
            out.append("-" * WIDTH)
        elif line.kind == "number":
            out.append(f"[ {line.value} ]".center(WIDTH))
        elif line.kind == "qr":
            out.append(f"[QR {line.value}]".center(WIDTH))
        else:
            out.append(line.value.center(WIDTH))
    return "\n".join(out) + "\n"
