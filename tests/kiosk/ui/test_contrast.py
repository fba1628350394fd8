"""Contrast over the widget tree of every screen, in the normal and the high-contrast theme, measured
on the colours Kivy really paints (the canvas instructions, with every opacity on the way): each
field, code slot, tile, key and button is told apart from what surrounds it at 3:1 or more (its
fill, or else its outline against both the screen and its inside; WCAG 1.4.11), each icon and scroll
indicator at 3:1, and every text at 4.5:1 against what is beneath it (WCAG 1.4.3)."""

from __future__ import annotations

from typing import Any

import pytest

from .test_accessibility import every_screen

RGB = tuple[float, float, float]


def luminance(colour: RGB) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(colour: Any, alpha: float, ground: RGB) -> RGB:
    """``colour`` painted with ``alpha`` on ``ground``."""
    a = alpha * colour[3]
    r, g, b = (colour[i] * a + ground[i] * (1 - a) for i in range(3))
    return (r, g, b)


def painted(widget: Any) -> list[tuple[str, tuple[float, ...]]]:
    """What the widget paints beneath its children: ("fill" | "line", rgba) in order. Shapes with no
    colour of their own and a stencil's mask (a ScrollView's clip) paint nothing."""
    from kivy.graphics import Color, Line, Rectangle, RoundedRectangle, StencilPush, StencilUse

    shapes: list[tuple[str, tuple[float, ...]]] = []
    colour: tuple[float, ...] | None = None
    masking = False
    for instruction in widget.canvas.before.children if widget.canvas.before else []:
        if isinstance(instruction, StencilPush):
            masking = True
        elif isinstance(instruction, StencilUse):
            masking = False
        elif isinstance(instruction, Color):
            colour = tuple(instruction.rgba)
        elif masking or colour is None or colour[3] == 0:
            continue
        elif isinstance(instruction, (Rectangle, RoundedRectangle)):
            shapes.append(("fill", colour))
        elif isinstance(instruction, Line):
            shapes.append(("line", colour))
    return shapes


def in_window(widget: Any) -> bool:
    """Whether ``widget`` is a widget in the window (not the window itself, nor nothing)."""
    from kivy.core.window import Window

    return widget is not None and widget is not Window


def opacity_of(widget: Any) -> float:
    value = 1.0
    while in_window(widget):
        value *= widget.opacity
        widget = widget.parent
    return value


def ground_of(widget: Any) -> RGB:
    """The colour on screen beneath ``widget``'s own painting: the nearest fill of it or an ancestor,
    faded by its opacity, over what is beneath that one."""
    from kivy.core.window import Window

    node = widget
    while in_window(node):
        fills = [rgba for kind, rgba in painted(node) if kind == "fill" and rgba[3] > 0.5]
        if fills:
            return over(fills[0], opacity_of(node), ground_of(node.parent))
        node = node.parent
    return tuple(Window.clearcolor[:3])  # type: ignore[return-value]


def name(widget: Any) -> str:
    label = getattr(widget, "action", "") or getattr(widget, "words", "") or getattr(widget, "text", "")
    return f"{type(widget).__name__} {label!r}"


def problems_on_screen(kiosk: Any) -> tuple[list[str], int]:
    from kivy.uix.label import Label
    from kivy.uix.scrollview import ScrollView

    from kiosk_app.widgets.icons import Icon

    problems: list[str] = []
    checked = 0
    for widget in kiosk.shown():
        shapes = painted(widget)
        fills = [rgba for kind, rgba in shapes if kind == "fill"]
        lines = [rgba for kind, rgba in shapes if kind == "line"]
        alpha = opacity_of(widget)  # Kivy multiplies every colour's alpha by the opacities up to the window
        if lines:
            around = ground_of(widget.parent)
            inside = ground_of(widget) if fills else around
            outline = over(lines[-1], alpha, around)
            by_fill = contrast(inside, around) >= 3
            by_outline = contrast(outline, around) >= 3 and (not fills or contrast(outline, inside) >= 3)
            checked += 1
            if not (by_fill or by_outline):
                problems.append(f"{name(widget)}: outline {contrast(outline, around):.2f}:1 to the screen, "
                                f"{contrast(outline, inside):.2f}:1 to its inside; "
                                f"fill {contrast(inside, around):.2f}:1")
        text = getattr(widget, "words", None) if hasattr(widget, "words") else getattr(widget, "text", None)
        if isinstance(widget, Label) and text and text.strip(" ·"):
            colour = widget.disabled_color if widget.disabled else widget.color  # what Kivy paints
            ground = ground_of(widget)
            ratio = contrast(over(colour, opacity_of(widget), ground), ground)
            checked += 1
            if ratio < 4.5:
                problems.append(f"{name(widget)}: text {ratio:.2f}:1")
        if isinstance(widget, Icon) and widget.name:
            ground = ground_of(widget)
            ratio = contrast(over(widget.color, opacity_of(widget), ground), ground)
            checked += 1
            if ratio < 3:
                problems.append(f"{name(widget)} icon {widget.name!r}: {ratio:.2f}:1")
        if isinstance(widget, ScrollView):
            ground = ground_of(widget)
            ratio = contrast(over(widget.bar_color, 1, ground), ground)
            checked += 1
            if ratio < 3:
                problems.append(f"scroll indicator: {ratio:.2f}:1")
    return problems, checked


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_every_outline_icon_and_text_on_every_screen_has_enough_contrast(open_kiosk, high_contrast):
    kiosk = open_kiosk()
    kiosk.tap("language:nl")
    problems: dict[str, list[str]] = {}
    checked = 0
    for screen in every_screen(kiosk):
        kiosk.app.theme.high_contrast = high_contrast
        kiosk.frames(2)
        found, count = problems_on_screen(kiosk)
        checked += count
        if found:
            problems[screen] = found
    assert not problems, problems
    assert checked > 300  # the walk measured the screens' widgets


def test_the_contrast_measure_finds_a_faint_outline_and_faded_words(open_kiosk):
    """The measure itself: the look this test replaced (a #C9D1CD outline, a button faded to 45%)
    is found wanting."""
    kiosk = open_kiosk()
    kiosk.tap("language:nl")
    kiosk.tap("appointment")
    kiosk.app.theme.border = "#C9D1CD"
    kiosk.find("check_in").opacity = 0.45
    kiosk.frames(2)
    found, _ = problems_on_screen(kiosk)
    assert any("CodeSlot" in problem and "outline 1.41:1" in problem for problem in found), "\n".join(found)
    assert any("Key 'key:A'" in problem for problem in found), "\n".join(found)
    assert any("Aanmelden" in problem and "text" in problem for problem in found), "\n".join(found)
