"""The kiosk's buttons: big, bordered, with words and an optional icon. ``KioskButton`` lays icon and
words side by side, ``Tile`` stacks them (the home screen). ``kind`` picks the colours: ``primary``
(the main step), ``secondary`` or ``warning``; pressing shows a different background and a thicker
border, so the feedback does not depend on colour."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, OptionProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior

from .layout import DirectionalBox


class KioskButton(ButtonBehavior, DirectionalBox):
    words = StringProperty("")
    icon = StringProperty("")
    kind = OptionProperty("secondary", options=["primary", "secondary", "warning"])
    points = NumericProperty(22)
    action = StringProperty("")
    """A stable name for tests and logs (``walk_in``, ``language:ar``, ``key:7`` ...)."""
    scaled = BooleanProperty(True)
    """Whether the words follow the larger-text switch (not in the top bar)."""
    icon_scale = NumericProperty(1.6)
    """The icon's size relative to the text size."""
    visible = NumericProperty(1)
    """0 hides the button where it stands (it keeps its place); disabled buttons show dimmed."""
    icon_room = NumericProperty(10_000)
    """The most room for the icon in px (a ``Tile`` gives what its words leave)."""
    min_height = NumericProperty(76)
    """The smallest height in dp (the top bar's buttons are lower; never under 44 px)."""
    fill = ColorProperty("#FFFFFF")
    ink = ColorProperty("#000000")


class Tile(KioskButton):
    """A home or service tile: the icon large above the words (its look is in widgets.kv)."""


class ToggleChip(KioskButton):
    """A switch in the top bar (larger text, high contrast, read aloud, language)."""
