"""Driving the real kiosk app in a real Kivy window (under Xvfb): frames advanced by hand, simulated
touches through Kivy's whole input pipeline, and waiting for what a visitor would see (polling with a
deadline, never sleeping).

Drawing the window is what costs (Mesa's software renderer, about 0.1 s of CPU for a full kiosk screen), and
a touch is found by the widgets' places, not by pixels: a tap turns Kivy's event loop as often as a frame
does (the clock, the input, the layout, the canvases) without drawing; waiting, ``frames`` and a screenshot
draw the window once, when the layout has settled. Screenshots render the screen itself (``export_to_png``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.lang.parser import global_idmap
from kivy.tests.common import UnitTestTouch
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.widget import Widget

from kiosk_app.app import KioskApp


class Kiosk:
    """One running kiosk app in the test process's window."""

    def __init__(self, app: KioskApp) -> None:
        self.app = app

    # ------------------------------------------------------------------------------- running

    def start(self) -> Kiosk:
        self.app._run_prepare()  # build, put the root in the window, on_start (what App.run does first)
        self.wait_until(lambda: self.app.screen == "welcome" and self.visible("language:nl"), "the welcome screen")
        return self

    def stop(self) -> None:
        app = self.app
        app.dispatch("on_stop")  # cancels its clock events, stops camera and speech, closes the worker
        self.turns(3)  # answers already scheduled on the clock still find their app
        for child in list(Window.children):
            Window.remove_widget(child)
        self.turns(1)
        App._running_app = None
        # kv's ``app`` is a proxy that caches the running app until its on_stop; the frames above may have
        # cached this one again, so the next test's app would be read through a stale proxy.
        object.__setattr__(global_idmap["app"], "_obj", None)

    def turns(self, count: int = 1) -> None:
        """``count`` turns of Kivy's event loop (``EventLoop.idle`` less the drawing): the clock (at most
        the app's frame rate), the input, the layout and the canvases. The next frame draws the result."""
        for _ in range(count):
            Clock.tick()
            EventLoop.dispatch_input()
            Builder.sync()
            Clock.tick_draw()
            Builder.sync()

    def frames(self, count: int = 1) -> None:
        """``count`` frames; the window is drawn on the last one (when anything on it changed)."""
        self.turns(count - 1)
        EventLoop.idle()

    def wait_until(self, condition: Callable[[], object], what: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what} (screen: {self.app.screen})")
            self.turns(1)
        self.frames(2)  # let the layout settle on what just changed

    # ------------------------------------------------------------------------------ touching

    def widgets(self) -> Iterator[Widget]:
        """Every widget in the window now (the current screen and the overlay)."""
        yield from Window.children[0].walk(restrict=True) if Window.children else iter(())

    def shown(self) -> Iterator[Widget]:
        """Widgets a visitor can see: in the window, on the current screen, not transparent."""
        manager = self.app._manager
        current = manager.current_screen if manager else None
        for widget in self.widgets():
            if widget.get_root_window() is None or _opacity(widget) == 0:
                continue
            if isinstance(widget, Widget) and not _on(widget, current):
                continue
            yield widget

    def find(self, action: str) -> Widget:
        for widget in self.shown():
            if getattr(widget, "action", None) == action:
                return widget
        raise LookupError(f"no visible button {action!r} on screen {self.app.screen!r}: "
                          f"{sorted({getattr(w, 'action', '') for w in self.shown()} - {''})}")

    def visible(self, action: str) -> bool:
        try:
            self.find(action)
        except LookupError:
            return False
        return True

    def tap(self, action: str) -> None:
        """A finger on the button's centre and off again, through the window's input pipeline."""
        widget = self.find(action)
        assert not widget.disabled, f"{action!r} is disabled"
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.turns(1)
        touch.touch_up()
        self.turns(2)

    def double_tap(self, action: str) -> None:
        """Two quick taps: the second lands before any answer came back."""
        widget = self.find(action)
        x, y = widget.to_window(*widget.center)
        for _ in range(2):
            touch = UnitTestTouch(x, y)
            touch.touch_down()
            touch.touch_up()
        self.turns(2)

    def type(self, text: str) -> None:
        for char in text:
            self.tap(f"key:{char}")

    def texts(self) -> list[str]:
        """Every text a visitor can read now (the ``words`` of every visible label)."""
        return [w.words for w in self.shown() if getattr(w, "words", "")]

    def buttons(self) -> list[Widget]:
        return [w for w in self.shown() if isinstance(w, ButtonBehavior)]

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.frames(2)
        self.app.root.export_to_png(str(path))
        return path


def _opacity(widget: Widget) -> float:
    value = 1.0
    node: Any = widget
    while node is not None and node is not Window:
        value *= getattr(node, "opacity", 1.0)
        node = node.parent
    return value


def _on(widget: Widget, screen: Widget | None) -> bool:
    """Whether ``widget`` is on ``screen`` or on the overlay above every screen (not on a hidden screen)."""
    from kivy.uix.screenmanager import Screen

    node: Any = widget
    while node is not None and node is not Window:
        if isinstance(node, Screen):
            return node is screen
        node = node.parent
    return True
