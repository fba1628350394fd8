"""A QR code drawn on screen from its content (segno): its modules blitted once into a small texture
(one texel per module, scaled up without smoothing), on a white quiet zone, so a phone can scan it
from the kiosk's screen, also in the high-contrast theme. One rectangle to draw, whatever the size."""

from __future__ import annotations

from typing import Any

import segno
from kivy.graphics import Color, Rectangle
from kivy.graphics.texture import Texture
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

QUIET_ZONE = 4


def qr_pixels(content: str) -> tuple[int, bytes]:
    """(side in modules with the quiet zone, grey pixels bottom row first for a Kivy texture)."""
    matrix = segno.make_qr(content, error="m").matrix
    side = len(matrix) + 2 * QUIET_ZONE
    light, dark = b"\xff", b"\x00"
    blank = light * side
    rows = [blank] * QUIET_ZONE
    rows += [light * QUIET_ZONE + b"".join(dark if m else light for m in row) + light * QUIET_ZONE for row in matrix]
    rows += [blank] * QUIET_ZONE
    return side, b"".join(reversed(rows))


class QrCode(Widget):
    content = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        with self.canvas:
            self._color = Color(1, 1, 1, 0)
            self._rect = Rectangle(pos=self.pos, size=(0, 0))
        self.bind(content=self._encode, pos=self._place, size=self._place)

    def _encode(self, *_: object) -> None:
        if not self.content:
            self._color.a = 0
            return
        side, pixels = qr_pixels(self.content)
        texture = Texture.create(size=(side, side), colorfmt="luminance")
        texture.mag_filter = "nearest"
        texture.min_filter = "nearest"
        texture.blit_buffer(pixels, colorfmt="luminance", bufferfmt="ubyte")
        self._rect.texture = texture
        self._color.a = 1
        self._place()

    def _place(self, *_: object) -> None:
        side = min(self.width, self.height)
        self._rect.size = (side, side)
        self._rect.pos = (self.center_x - side / 2, self.center_y - side / 2)
