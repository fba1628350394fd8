"""Vector icons drawn with Kivy's canvas on a 24 × 24 grid: crisp at every size, in the theme's colour
(so they follow the high-contrast switch), mirrored for right-to-left where they point a direction.
Every icon stands next to words: an icon never carries meaning alone."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.graphics import Color, Ellipse, Line
from kivy.properties import BooleanProperty, ColorProperty, StringProperty
from kivy.uix.widget import Widget

from ..icon_shapes import DIRECTIONAL, SHAPES


class Icon(Widget):
    name = StringProperty("")
    color = ColorProperty("#000000")
    mirrored = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Drawn once per frame at most, after the layout has placed it (-1: before the next frame).
        self._redraw = Clock.create_trigger(self._draw, -1)
        self.bind(pos=self._redraw, size=self._redraw, name=self._redraw, color=self._redraw, mirrored=self._redraw)
        self._redraw()

    def _draw(self, *_: object) -> None:
        self.canvas.clear()
        shapes = SHAPES.get(self.name)
        if not shapes:
            return
        side = min(self.width, self.height)
        unit = side / 24
        x0 = self.center_x - side / 2
        y0 = self.center_y - side / 2
        flip = self.mirrored and self.name in DIRECTIONAL

        def x(value: float) -> float:
            return x0 + (24 - value if flip else value) * unit

        def y(value: float) -> float:
            return y0 + value * unit

        width = max(1.0, unit * 0.95)  # Kivy draws a Line about twice its ``width``
        with self.canvas:
            Color(rgba=self.color)
            for kind, *n in shapes:
                if kind == "line":
                    points = [x(v) if i % 2 == 0 else y(v) for i, v in enumerate(n)]
                    Line(points=points, width=width, cap="round", joint="round")
                elif kind == "box":
                    bx, by, bw, bh, radius = n
                    left = min(x(bx), x(bx + bw))
                    Line(rounded_rectangle=(left, y(by), bw * unit, bh * unit, max(radius * unit, 0.1)), width=width)
                elif kind == "ring":
                    Line(circle=(x(n[0]), y(n[1]), n[2] * unit), width=width)
                elif kind == "dot":
                    r = n[2] * unit
                    Ellipse(pos=(x(n[0]) - r, y(n[1]) - r), size=(2 * r, 2 * r))
                elif kind == "arc":
                    Line(circle=(x(n[0]), y(n[1]), n[2] * unit, n[3], n[4]), width=width)
                elif kind == "half":
                    r = n[2] * unit
                    Ellipse(pos=(x(n[0]) - r, y(n[1]) - r), size=(2 * r, 2 * r), angle_start=180, angle_end=360)
