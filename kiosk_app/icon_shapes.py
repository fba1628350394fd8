"""The kiosk's icons as data: strokes on a 24 x 24 grid, y up (``widgets.icons.Icon`` draws them).
Plain Python, so tests and tools can read them without a window."""

from __future__ import annotations

from typing import Any

# Each icon: a list of (kind, *numbers) on a 24 × 24 grid, y up.
# line: x1, y1, x2, y2, ...   box: x, y, w, h, radius   ring: cx, cy, r   dot: cx, cy, r (filled)
# arc: cx, cy, r, from_degrees, to_degrees   half: cx, cy, r (left half filled)
SHAPES: dict[str, list[tuple[Any, ...]]] = {
    "calendar-check": [("box", 3, 3, 18, 16, 2), ("line", 3, 14, 21, 14), ("line", 8, 17, 8, 21),
                       ("line", 16, 17, 16, 21), ("line", 8, 8.5, 11, 5.5, 16.5, 11)],
    "calendar-plus": [("box", 3, 3, 18, 16, 2), ("line", 3, 14, 21, 14), ("line", 8, 17, 8, 21),
                      ("line", 16, 17, 16, 21), ("line", 12, 5.5, 12, 11.5), ("line", 9, 8.5, 15, 8.5)],
    "plus": [("line", 12, 4, 12, 20), ("line", 4, 12, 20, 12)],
    "close": [("line", 5.5, 5.5, 18.5, 18.5), ("line", 5.5, 18.5, 18.5, 5.5)],
    "ticket": [("box", 2, 6, 20, 12, 2), ("dot", 15, 8, 0.9), ("dot", 15, 12, 0.9), ("dot", 15, 16, 0.9),
               ("line", 5.5, 12, 11, 12)],
    "id-card": [("box", 2, 5, 20, 14, 2), ("ring", 8, 13.5, 2.2), ("line", 4.8, 8, 5.5, 9.5, 10.5, 9.5, 11.2, 8),
                ("line", 14, 14, 19, 14), ("line", 14, 10.5, 19, 10.5)],
    "folder-search": [("line", 11, 4, 3, 4, 3, 19, 9, 19, 11, 17, 21, 17, 21, 11),
                      ("ring", 15.5, 8.5, 3.5), ("line", 18, 6, 21.5, 2.5)],
    "message-alert": [("box", 3, 7, 18, 13, 2), ("line", 7, 7, 5, 3, 11, 7), ("line", 12, 17, 12, 12.5),
                      ("dot", 12, 10, 1)],
    "information": [("ring", 12, 12, 9.5), ("line", 12, 6.5, 12, 12.5), ("dot", 12, 16, 1.1)],
    "person": [("ring", 12, 16.5, 3.8), ("line", 4.5, 3, 4.5, 6, 7.5, 10, 16.5, 10, 19.5, 6, 19.5, 3)],
    "back": [("line", 20, 12, 4.5, 12), ("line", 10.5, 18, 4.5, 12, 10.5, 6)],
    "forward": [("line", 4, 12, 19.5, 12), ("line", 13.5, 18, 19.5, 12, 13.5, 6)],
    "home": [("line", 3, 11, 12, 20, 21, 11), ("line", 5.5, 12.5, 5.5, 3.5, 18.5, 3.5, 18.5, 12.5),
             ("line", 10, 3.5, 10, 9, 14, 9, 14, 3.5)],
    "contrast": [("ring", 12, 12, 9), ("half", 12, 12, 9)],
    "speaker": [("line", 3, 9, 7, 9, 12, 4.5, 12, 19.5, 7, 15, 3, 15, 3, 9), ("arc", 13, 12, 4, 45, 135),
                ("arc", 13, 12, 7.5, 45, 135)],
    "globe": [("ring", 12, 12, 9.5), ("line", 2.5, 12, 21.5, 12), ("line", 12, 2.5, 12, 21.5),
              ("arc", 20.5, 12, 12.5, 220, 320), ("arc", 3.5, 12, 12.5, 40, 140)],
    "offline": [("ring", 12, 12, 9), ("line", 5.6, 5.6, 18.4, 18.4)],
    "check": [("line", 4, 12.5, 9.5, 7, 20, 17.5)],
    "warning": [("line", 12, 21, 22, 3.5, 2, 3.5, 12, 21), ("line", 12, 15, 12, 9.5), ("dot", 12, 6.5, 1.1)],
    "printer": [("box", 3, 8, 18, 9, 1.5), ("line", 7, 17, 7, 21, 17, 21, 17, 17), ("line", 7, 11, 7, 4, 17, 4, 17, 11),
                ("line", 9, 8, 15, 8)],
    "qr": [("box", 3, 14, 7, 7, 0.5), ("box", 14, 14, 7, 7, 0.5), ("box", 3, 3, 7, 7, 0.5),
           ("dot", 6.5, 17.5, 1.2), ("dot", 17.5, 17.5, 1.2), ("dot", 6.5, 6.5, 1.2), ("line", 14, 10, 14, 3, 21, 3),
           ("line", 17.5, 6.5, 21, 10)],
    "keyboard": [("box", 2, 6, 20, 12, 2), ("dot", 6, 14, 0.9), ("dot", 10, 14, 0.9), ("dot", 14, 14, 0.9),
                 ("dot", 18, 14, 0.9), ("line", 7, 9.5, 17, 9.5)],
    "clock": [("ring", 12, 12, 9.5), ("line", 12, 18, 12, 12, 16, 9.5)],
}
DIRECTIONAL = {"back", "forward"}
"""Icons that point a way and are mirrored in right-to-left layouts."""
