"""A QR code drawn on screen from its content (segno): dark modules as rectangles on a light quiet
zone, so a phone can scan it from the kiosk's screen, also in the high-contrast theme."""

from __future__ import annotations

from typing import Any

import segno
from kivy.graphics import Color, Rectangle
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

QUIET_ZONE = 4


class QrCode(Widget):
    content = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(content=self._draw, pos=self._draw, size=self._draw)

    def _draw(self, *_: object) -> None:
        self.canvas.clear()
        if not self.content:
            return
        matrix = [list(row) for row in segno.make_qr(self.content, error="m").matrix]
        count = len(matrix) + 2 * QUIET_ZONE
        side = min(self.width, self.height)
        module = side / count
        x0 = self.center_x - side / 2
        top = self.center_y + side / 2
        with self.canvas:
            Color(1, 1, 1, 1)  # a QR needs dark on light whatever the theme
            Rectangle(pos=(x0, top - side), size=(side, side))
            Color(0, 0, 0, 1)
            for r, row in enumerate(matrix):
                for c, dark in enumerate(row):
                    if dark:
                        Rectangle(pos=(x0 + (c + QUIET_ZONE) * module, top - (r + QUIET_ZONE + 1) * module),
                                  size=(module + 0.5, module + 0.5))
