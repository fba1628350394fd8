"""Inactivity: 45 s quiet → "are you still there?" countdown → reset to the welcome screen in Dutch."""

from __future__ import annotations

from kiosk_app.viewmodels import InactivityViewModel, LanguageViewModel


def test_the_question_comes_after_45_quiet_seconds(clock):
    model = InactivityViewModel(clock, on_reset=lambda: None)
    model.touched()
    clock.advance(seconds=44)
    model.tick()
    assert not model.asking
    clock.advance(seconds=1)
    model.tick()
    assert model.asking
    assert model.seconds_left == 15


def test_a_touch_during_the_countdown_keeps_the_visit(clock):
    resets = []
    model = InactivityViewModel(clock, on_reset=lambda: resets.append(1))
    model.touched()
    clock.advance(seconds=50)
    model.tick()
    model.touched()
    clock.advance(seconds=30)
    model.tick()
    assert not model.asking and resets == []


def test_when_the_countdown_runs_out_the_kiosk_resets_to_dutch(clock):
    language = LanguageViewModel()
    language.choose("ar")
    model = InactivityViewModel(clock, on_reset=language.reset)
    model.touched()
    clock.advance(seconds=60)
    model.tick()
    assert not model.asking
    assert language.language == "nl" and language.direction == "ltr"


def test_the_welcome_screen_never_times_out(clock):
    resets = []
    model = InactivityViewModel(clock, on_reset=lambda: resets.append(1))
    clock.advance(minutes=10)
    model.tick()
    assert not model.asking and resets == []
