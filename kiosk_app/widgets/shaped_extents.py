"""Right-to-left lines that end where they should. Kivy's SDL2 text provider keeps one font object per
font and size, set up for the direction of the first label that used it; when that was a Dutch label,
Arabic text is measured unshaped (each letter in its wide isolated form) but rendered shaped (joined,
narrower): a right-aligned Arabic line then stops 10-30 % short of the right edge, and every line of a
paragraph by a different amount. ``install()`` makes the provider measure right-to-left text as it
renders it: the text is drawn once off screen and its ink's extent taken (a few ms for a sentence).

Kivy 2.3's ``LabelSDL2.get_extents`` is the one place changed; left-to-right text is untouched."""

from __future__ import annotations

from typing import Any

import numpy as np
from kivy.core.text.text_sdl2 import LabelSDL2

try:
    from kivy.core.text._text_sdl2 import _get_extents, _SurfaceContainer
except ImportError:  # another text provider: nothing to correct
    _get_extents = None


def shaped_extents(label: Any, text: str) -> tuple[int, int]:
    """(width, height) of ``text`` as the label draws it: for right-to-left text the shaped ink's width."""
    width, height = _get_extents(label, text)
    if label.options.get("font_direction") != "rtl" or not text.strip() or width <= 0 or height <= 0:
        return width, height
    surface = _SurfaceContainer(width, height)
    surface.render(label, text, 0, 0)
    alpha = np.frombuffer(surface.get_data().data, np.uint8).reshape(height, width, 4)[:, :, 3]
    inked = np.flatnonzero(alpha.any(axis=0))
    return (int(inked[-1]) + 2 if inked.size else width), height


def install() -> None:
    if _get_extents is not None and LabelSDL2.get_extents is not shaped_extents:
        LabelSDL2.get_extents = shaped_extents
