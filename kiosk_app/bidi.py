"""Right-to-left text for Kivy's SDL2 text provider. HarfBuzz shapes Arabic correctly when a label sets
``font_script_name="Arab"`` and ``font_direction="rtl"``, but it does not run the Unicode bidi algorithm:
in right-to-left mode every run is laid out right to left, so "12" would read "21" and "P012" "210P".
``for_rtl_shaping`` reverses each left-to-right run (digits, Latin words, codes) beforehand, so that the
shaper's reversal puts them back in reading order. Pure: no Kivy."""

from __future__ import annotations

import unicodedata

_STRONG_LTR = {"L", "EN", "AN"}
"""Bidi classes kept in reading order inside right-to-left text: Latin letters and both kinds of digits."""
_JOINERS = {"ES", "ET", "CS", "NSM"}
"""Separators that belong to the run around them (12:30, 3078-AK, 10,5, P-012, 80%)."""
_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def has_arabic(text: str) -> bool:
    """True when ``text`` holds an Arabic letter: such a label needs Arabic shaping and right-to-left."""
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _ARABIC_RANGES)


def for_rtl_shaping(text: str) -> str:
    """``text`` prepared for a right-to-left shaper without bidi: every left-to-right run reversed.
    A run is strong left-to-right characters, with the separators and spaces between two of them
    (so "P 012", "12:30" and "Herenwaard 16, 3078 AK" stay whole)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if not _is_ltr(text[i]):
            out.append(text[i])
            i += 1
            continue
        end = i + 1
        while end < n:
            if _is_ltr(text[end]):
                end += 1
            else:
                gap = end
                while gap < n and (text[gap] == " " or _bidi(text[gap]) in _JOINERS):
                    gap += 1
                if gap in (end, n) or not _is_ltr(text[gap]):
                    break
                end = gap + 1
        out.append(text[i:end][::-1])
        i = end
    return "".join(out)


def _bidi(ch: str) -> str:
    return unicodedata.bidirectional(ch)


def _is_ltr(ch: str) -> bool:
    return _bidi(ch) in _STRONG_LTR
