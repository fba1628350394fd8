"""Accessibility over the whole widget tree of every screen: touch targets of at least 44 px, the
high-contrast theme and the larger-text switch on every screen, Arabic shaped right to left with the
layout mirrored, and words with every state (never colour alone)."""

from __future__ import annotations

import pytest

from kiosk_app.theme import MIN_TOUCH, PALETTE

from .test_self_service import look_up, open_case

SCREENS = ("welcome", "home", "check_in", "walk_in", "walk_in_several", "ticket", "information", "call_host",
           "case_status", "report", "book", "book_day", "book_time", "book_confirm", "booked")


def every_screen(kiosk):
    """Shows each screen in turn (as the app does) and yields its name."""
    for name in SCREENS:
        if name == "book":
            book_an_appointment(kiosk)
        if name == "walk_in_several":
            kiosk.app.walk_in.several()  # the services chosen so far, and what can be added
            kiosk.app.walk_in.add("paspoort")
        kiosk.app.show(name) if name != "welcome" else kiosk.app.end_visit()
        kiosk.frames(3)
        yield name


def book_an_appointment(kiosk) -> None:
    """Days, times, a chosen time and a booking for two people, so the booking screens show all they can."""
    booking = kiosk.app.booking
    booking.choose_people(2)
    booking.choose_service("paspoort")
    kiosk.wait_until(lambda: booking.state == "day", "the days")
    booking.choose_day(booking.days[0]["day"])
    kiosk.wait_until(lambda: booking.state == "time", "the times")
    booking.choose_time(booking.times[0]["starts_at"])
    booking.book()
    kiosk.wait_until(lambda: booking.state == "booked", "the appointment")


def small_targets(kiosk) -> list[str]:
    return [f"{getattr(b, 'action', type(b).__name__)} {int(b.width)}x{int(b.height)}" for b in kiosk.buttons()
            if b.width < MIN_TOUCH or b.height < MIN_TOUCH]


@pytest.mark.parametrize("language", ["nl", "ar"])
@pytest.mark.parametrize("larger_text", [False, True])
def test_every_touch_target_on_every_screen_is_at_least_44_px(open_kiosk, language, larger_text):
    kiosk = open_kiosk()
    kiosk.tap(f"language:{language}")
    kiosk.app.theme.large_text = larger_text
    checked = 0
    for name in every_screen(kiosk):
        if name == "welcome":
            kiosk.app.language.choose(language)
            kiosk.app.theme.large_text = larger_text
            kiosk.frames(3)
        assert small_targets(kiosk) == [], name
        checked += len(kiosk.buttons())
    assert checked > 150  # the walk really saw the screens' buttons


def test_the_contrast_and_larger_text_switches_are_on_every_screen_but_the_ticket_flow_ones(open_kiosk):
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    for name in every_screen(kiosk):
        assert kiosk.visible("contrast"), name
        assert kiosk.visible("larger_text"), name


def test_high_contrast_changes_every_colour_and_back_for_the_next_visitor(open_kiosk):
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    kiosk.tap("contrast")
    assert tuple(kiosk.app.theme.background) == (0, 0, 0, 1)
    title = next(w for w in kiosk.shown() if getattr(w, "words", "") == "How can we help you?")
    assert tuple(title.color) == (1, 1, 1, 1)
    kiosk.tap("home")
    kiosk.app.end_visit()
    kiosk.frames(2)
    assert [round(c, 3) for c in kiosk.app.theme.background] == [round(c, 3) for c in _rgba(PALETTE["background"][0])]


def test_larger_text_makes_the_words_larger(open_kiosk):
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    title = next(w for w in kiosk.shown() if getattr(w, "words", "") == "How can we help you?")
    before = title.font_size
    kiosk.tap("larger_text")
    assert title.font_size == pytest.approx(before * 1.3)


def test_arabic_is_shaped_right_to_left_with_the_layout_mirrored(open_kiosk, zgw):
    from kiosk_app.widgets import Icon

    kiosk = open_kiosk()
    kiosk.tap("language:ar")
    title = next(w for w in kiosk.shown() if getattr(w, "words", "") == kiosk.app.t("How can we help you?"))
    assert (title.font_script_name, title.font_direction, title.halign) == ("Arab", "rtl", "right")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services")
    back, start = kiosk.find("back"), kiosk.find("home")
    assert back.x > start.x  # "back" sits at the right-hand side in a right-to-left layout
    first, second = kiosk.find("service:paspoort"), kiosk.find("service:identiteitskaart")
    assert first.x > second.x  # the first service tile at the top right
    kiosk.tap("several")
    kiosk.tap("add:paspoort")
    kiosk.tap("add:verhuizing")
    assert kiosk.find("remove:paspoort").x > kiosk.find("remove:verhuizing").x  # the visit read right to left
    kiosk.tap("home")
    kiosk.tap("book")
    kiosk.wait_until(lambda: kiosk.visible("people:2"), "for how many people")
    assert kiosk.find("people:1").x > kiosk.find("people:2").x
    kiosk.tap("home")
    kiosk.tap("information")
    kiosk.wait_until(lambda: kiosk.app.information.hours, "the opening hours")
    kiosk.tap("larger_text")  # the hours drawn again, now in Arabic
    day = _label(kiosk, kiosk.app.information.hours[1]["day"])
    hours = next(w for w in day.parent.children if w is not day)
    assert day.x > hours.x  # the day's name at the right, its hours to the left of it
    kiosk.tap("larger_text")
    kiosk.app.language.choose("nl")  # the hours drawn again while the layout turns back
    day = _label(kiosk, kiosk.app.information.hours[1]["day"])
    assert day.x < next(w for w in day.parent.children if w is not day).x
    kiosk.app.language.choose("ar")
    kiosk.frames(3)
    kiosk.tap("home")
    kiosk.tap("case_status")
    look_up(kiosk, open_case(zgw), "3078AK", "16", "found")
    step = kiosk.app.case_status.timeline[0]
    status = _label(kiosk, step["status"])
    when = next(w for w in status.parent.children if getattr(w, "words", "") == step["day"])
    mark = next(w for w in status.parent.children if isinstance(w, Icon))
    assert mark.x > when.x > status.x  # the step's mark, its day, then what happened
    kiosk.app.connection.online = False
    kiosk.frames(2)
    offline = _label(kiosk, kiosk.app.t("Offline"))
    assert next(w for w in offline.parent.children if isinstance(w, Icon)).x > offline.x


def _label(kiosk, words: str):
    """The visible label that reads ``words``, laid out."""
    kiosk.wait_until(lambda: any(getattr(w, "words", "") == words for w in kiosk.shown()), repr(words))
    kiosk.frames(2)
    return next(w for w in kiosk.shown() if getattr(w, "words", "") == words)


def test_the_offline_badge_has_words_not_only_a_colour(open_kiosk, central):
    kiosk = open_kiosk()
    kiosk.tap("language:en")
    kiosk.tap("walk_in")
    kiosk.wait_until(lambda: kiosk.visible("service:paspoort"), "the services")
    central.stop()
    kiosk.tap("service:paspoort")  # no leased numbers: "cannot give out tickets", and the badge
    kiosk.wait_until(lambda: not kiosk.app.connection.online, "offline")
    assert "Offline" in kiosk.texts()


def _rgba(hex_colour: str) -> tuple[float, ...]:
    value = hex_colour.lstrip("#")
    return (*tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)), 1.0)


def test_right_aligned_arabic_lines_end_at_the_right_edge(open_kiosk):
    """Every line of a wrapped Arabic message ends at the label's right edge (not short of it)."""
    import numpy as np

    from kiosk_app.widgets import Words

    kiosk = open_kiosk()
    kiosk.tap("language:ar")
    # A Dutch label of the same font and size first: Kivy keeps one font object per font and size.
    Words(words="Er ging iets mis", points=23, strong=True).texture_update()
    label = Words(words=kiosk.app.t("Something went wrong. Please try again or call a host."), size_hint_x=None,
                  width=420, points=23, strong=True)
    label.texture_update()
    width, height = label.texture.size
    alpha = np.frombuffer(label.texture.pixels, np.uint8).reshape(height, width, 4)[:, :, 3]
    rows = np.flatnonzero(alpha.any(axis=1))
    line_height = label.texture_size[1] / max(1, len(label._label._cached_lines))
    line_ends = [int(np.flatnonzero(alpha[int(top):int(top + line_height)].any(axis=0))[-1])
                 for top in np.arange(rows[0], rows[-1], line_height) if alpha[int(top):int(top + line_height)].any()]
    assert len(line_ends) >= 2  # it wraps
    assert min(line_ends) >= width - 12, (width, line_ends)


@pytest.mark.parametrize("size", [(1280, 800), (1024, 600)])
def test_no_button_overlaps_another_on_any_screen(open_kiosk, size):
    """On the usual kiosk screen and on a small one, every button can be touched on its own."""
    from kivy.core.window import Window

    kiosk = open_kiosk()
    original = Window.size
    Window.size = size
    try:
        kiosk.tap("language:nl")
        for name in every_screen(kiosk):
            kiosk.frames(3)
            boxes = []
            for button in kiosk.buttons():
                x, y = button.to_window(button.x, button.y)
                boxes.append((getattr(button, "action", ""), x, y, x + button.width, y + button.height))
            overlaps = [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                        if a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1
                        and not _nested(a, b)]
            assert overlaps == [], (name, size)
            assert small_targets(kiosk) == [], (name, size)
    finally:
        Window.size = original
        kiosk.frames(3)


def _nested(a: tuple, b: tuple) -> bool:
    """A button inside another (a field's own button): not an overlap a finger would meet."""
    inside = (a[1] >= b[1] and a[2] >= b[2] and a[3] <= b[3] and a[4] <= b[4])
    return inside or (b[1] >= a[1] and b[2] >= a[2] and b[3] <= a[3] and b[4] <= a[4])
