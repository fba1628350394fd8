"""The camera's preview: pulls the scanner's latest frame about 15 times a second while the camera is
on and blits it into one texture, created once and reused (no allocation per frame)."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.graphics import Color, Rectangle
from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.widget import Widget

PREVIEW_FPS = 15


class CameraPreview(Widget):
    active = BooleanProperty(False)
    frames_shown = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._texture: Texture | None = None
        self._last = -1
        self._event = None
        with self.canvas:
            self._color = Color(1, 1, 1, 0)
            self._rect = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._place, size=self._place, active=self._switch)

    def _switch(self, _instance: Any, active: bool) -> None:
        if active and self._event is None:
            self._event = Clock.schedule_interval(self._pull, 1 / PREVIEW_FPS)
        elif not active and self._event is not None:
            self._event.cancel()
            self._event = None
            self._color.a = 0

    def _pull(self, _dt: float) -> None:
        frame = App.get_running_app().camera_frame()
        if frame is None or frame.number == self._last:
            return
        self._last = frame.number
        size = (frame.width, frame.height)
        if self._texture is None or self._texture.size != size:
            self._texture = Texture.create(size=size, colorfmt="rgb")
            self._rect.texture = self._texture
        self._texture.blit_buffer(frame.pixels, colorfmt="rgb", bufferfmt="ubyte")
        self._color.a = 1
        self.frames_shown += 1
        self._place()
        self.canvas.ask_update()

    def _place(self, *_: object) -> None:
        if self._texture is None:
            self._rect.pos, self._rect.size = self.pos, self.size
            return
        tw, th = self._texture.size
        scale = min(self.width / tw, self.height / th)
        w, h = tw * scale, th * scale
        self._rect.size = (w, h)
        self._rect.pos = (self.center_x - w / 2, self.center_y - h / 2)
