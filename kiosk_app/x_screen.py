"""The size of the X screen the kiosk shows on, asked of the X server itself (libX11 through ctypes).

Kiosk mode needs it before Kivy opens its window: SDL's full screen on X is a request to the window
manager (``_NET_WM_STATE_FULLSCREEN``), and on a kiosk PC's bare X server nobody answers it. SDL then
believes the window is full screen and Kivy lays out the whole screen, while the X window keeps its
first size (800x600, centred): the picture is clipped and touches land beside what they aim at. A
borderless window placed at the screen's corner with the screen's size is full screen with or
without a window manager, and under XWayland (a Wayland kiosk compositor such as cage) too."""

from __future__ import annotations

import ctypes
import ctypes.util
import os


def x_screen_size(display: str | None = None) -> tuple[int, int] | None:
    """(width, height) in pixels of the default screen of ``display`` (default ``$DISPLAY``), or None
    without an X server there or without libX11. A screen spanning several monitors gives the whole."""
    name = display if display is not None else os.environ.get("DISPLAY")
    library = ctypes.util.find_library("X11")
    if not name or library is None:
        return None
    x11 = ctypes.CDLL(library)
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XDefaultScreen.argtypes = [ctypes.c_void_p]
    x11.XDisplayWidth.argtypes = x11.XDisplayHeight.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    connection = x11.XOpenDisplay(name.encode())
    if not connection:
        return None
    try:
        screen = x11.XDefaultScreen(connection)
        return int(x11.XDisplayWidth(connection, screen)), int(x11.XDisplayHeight(connection, screen))
    finally:
        x11.XCloseDisplay(connection)
