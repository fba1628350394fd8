"""What every screen shares: the theme's background and ``spoken()``, the sentence read aloud when the
screen appears (with read-aloud on); and the "Are you still there?" overlay."""

from __future__ import annotations

from kivy.app import App
from kivy.input.motionevent import MotionEvent
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import Screen


class KioskScreen(Screen):
    heading = ""
    """The English heading (a message id); the .kv shows it translated."""

    def spoken(self) -> str:
        app = App.get_running_app()
        return app.t(self.heading) if self.heading else ""


class StillThere(FloatLayout):
    """Covers the screen while ``app.inactivity.asking``: a countdown and one big "Yes" button. A touch
    that begins while it shows is its own to the end (any touch means the visitor is still there):
    none reaches the screen beneath, even after the question is gone."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._held: set[int] = set()

    def on_touch_down(self, touch: MotionEvent) -> bool:
        if not App.get_running_app().inactivity.asking and touch.uid not in self._held:
            return False
        self._held.add(touch.uid)
        super().on_touch_down(touch)
        return True

    def on_touch_move(self, touch: MotionEvent) -> bool:
        if touch.uid not in self._held:
            return False
        super().on_touch_move(touch)
        return True

    def on_touch_up(self, touch: MotionEvent) -> bool:
        if touch.uid not in self._held:
            return False
        self._held.discard(touch.uid)
        super().on_touch_up(touch)
        return True
