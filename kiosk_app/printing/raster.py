"""Lines a receipt printer's code pages cannot print right, as a picture: Arabic (a thermal printer's
code page 864 prints isolated letters left to right, i.e. backwards and unjoined). Pillow with raqm
shapes and orders the line (bidi) as a screen does; the printer gets it as a raster image."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from ..bidi import has_arabic

PAPER_DOTS = 512
"""Printable width of 80 mm paper at 203 dpi (576 dots) less the printer's margins."""
FONT_PX = 30
FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
         Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"))


def needs_raster(text: str) -> bool:
    """Whether ``text`` must be printed as a picture (a right-to-left script)."""
    return has_arabic(text)


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    for path in FONTS:
        if path.exists():
            return ImageFont.truetype(str(path), FONT_PX, layout_engine=engine)
    raise FileNotFoundError("no font with Arabic letters (fonts-dejavu-core)")


def line_image(text: str, width: int = PAPER_DOTS) -> Image.Image:
    """``text`` shaped right to left, wrapped to ``width`` dots, centred, black on white, 1 bit."""
    font = _font()
    lines = _wrap(text, font, width)
    height = FONT_PX + 10
    image = Image.new("1", (width, height * len(lines)), 1)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((width // 2, row * height + height // 2), line, font=font, fill=0, anchor="mm", direction="rtl")
    return image


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate, direction="rtl") > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines or [""]
