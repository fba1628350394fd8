"""The kiosk's look: colours for the normal and the high-contrast theme, text size (normal or larger),
and the fonts. One ``Theme`` on the app; every .kv rule binds to it, so a switch changes every screen
at once. Colour never carries information alone: every state also has words or an icon."""

from __future__ import annotations

import logging
from pathlib import Path

from kivy.event import EventDispatcher
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty

log = logging.getLogger(__name__)

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path(__file__).resolve().parents[1] / "assets" / "fonts")
"""DejaVu Sans covers Latin (Turkish and Polish letters too) and Arabic: one font for every language."""

LARGER_TEXT = 1.3
MIN_TOUCH = 44
"""Smallest touch target, in pixels (WCAG 2.5.5); the kiosk's own buttons are far larger."""

# (normal, high contrast). Normal: Rotterdam green on a calm light background, contrast >= 4.5:1 for
# every text colour on its background; high contrast: white and yellow on black (>= 15:1). Outlines
# of fields, code slots, tiles and keys are >= 3:1 against both the screen and the white inside them
# (WCAG 1.4.11); a disabled button keeps readable words (>= 4.5:1) and a clear outline, not a fade.
PALETTE: dict[str, tuple[str, str]] = {
    "background": ("#F2F4F3", "#000000"),
    "surface": ("#FFFFFF", "#000000"),
    "border": ("#6F7A75", "#FFFFFF"),
    "text": ("#1B1F1D", "#FFFFFF"),
    "muted": ("#4A524E", "#FFFFFF"),
    "accent": ("#00703C", "#FFE600"),
    "accent_ink": ("#FFFFFF", "#000000"),
    "bar": ("#00582F", "#000000"),
    "bar_ink": ("#FFFFFF", "#FFE600"),
    "warning": ("#9E1C14", "#FFE600"),
    "warning_ink": ("#FFFFFF", "#000000"),
    "pressed": ("#D7E6DD", "#333333"),
    "disabled": ("#E6EAE8", "#000000"),
    "disabled_ink": ("#4A524E", "#A6A6A6"),
}


def _font(name: str) -> str:
    for folder in FONT_DIRS:
        candidate = folder / name
        if candidate.exists():
            return str(candidate)
    log.warning("font not found: Arabic and some letters may not show", extra={"fields": {"font": name}})
    return "Roboto" if "Bold" not in name else "Roboto-Bold"


class Theme(EventDispatcher):
    high_contrast = BooleanProperty(False)
    large_text = BooleanProperty(False)
    scale = NumericProperty(1.0)
    """Multiplier for every text size: 1.0 or ``LARGER_TEXT``."""
    font = StringProperty(_font("DejaVuSans.ttf"))
    font_bold = StringProperty(_font("DejaVuSans-Bold.ttf"))

    background = ColorProperty(PALETTE["background"][0])
    surface = ColorProperty(PALETTE["surface"][0])
    border = ColorProperty(PALETTE["border"][0])
    text = ColorProperty(PALETTE["text"][0])
    muted = ColorProperty(PALETTE["muted"][0])
    accent = ColorProperty(PALETTE["accent"][0])
    accent_ink = ColorProperty(PALETTE["accent_ink"][0])
    bar = ColorProperty(PALETTE["bar"][0])
    bar_ink = ColorProperty(PALETTE["bar_ink"][0])
    warning = ColorProperty(PALETTE["warning"][0])
    warning_ink = ColorProperty(PALETTE["warning_ink"][0])
    pressed = ColorProperty(PALETTE["pressed"][0])
    disabled = ColorProperty(PALETTE["disabled"][0])
    disabled_ink = ColorProperty(PALETTE["disabled_ink"][0])
    border_width = NumericProperty(2)

    def on_high_contrast(self, _instance: Theme, value: bool) -> None:
        for name, (normal, contrast) in PALETTE.items():
            setattr(self, name, contrast if value else normal)
        self.border_width = 3 if value else 2

    def on_large_text(self, _instance: Theme, value: bool) -> None:
        self.scale = LARGER_TEXT if value else 1.0

    def size(self, points: float) -> float:
        """A text size in density-independent points, scaled by the larger-text switch."""
        return dp(points) * self.scale

    def reset(self) -> None:
        """Next visitor: the standard look again."""
        self.high_contrast = False
        self.large_text = False
