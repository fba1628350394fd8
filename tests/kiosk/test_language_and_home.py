"""The welcome screen's languages and the home screen's tiles."""

from __future__ import annotations

from kiosk_app.viewmodels import HomeViewModel, LanguageViewModel


def test_every_language_is_offered_by_its_own_name():
    assert LanguageViewModel().choices == [("nl", "Nederlands"), ("en", "English"), ("tr", "Türkçe"),
                                           ("pl", "Polski"), ("ar", "العربية")]


def test_arabic_turns_the_screen_right_to_left():
    language = LanguageViewModel()
    language.choose("ar")
    assert language.direction == "rtl"


def test_every_tile_shows_until_the_kiosk_hides_the_ones_it_cannot_offer():
    home = HomeViewModel(LanguageViewModel())
    tiles = [tile.id for tile in home.tiles]
    assert tiles == ["appointment", "walk_in", "book", "pick_up", "case_status", "report", "information", "call_host"]
    home.hide(frozenset({"pick_up"}))
    assert [tile.id for tile in home.tiles] == [tile for tile in tiles if tile != "pick_up"]


def test_the_tiles_speak_the_visitors_language():
    language = LanguageViewModel()
    home = HomeViewModel(language)
    assert home.tiles[0].title == "Ik heb een afspraak"
    language.choose("en")
    assert home.tiles[0].title == "I have an appointment"


def test_the_welcome_screen_offers_the_locations_languages_and_always_dutch():
    language = LanguageViewModel()
    language.offer(("en", "ar"))
    assert [code for code, _ in language.choices] == ["nl", "en", "ar"]
    assert dict(language.choices)["ar"] == "العربية"


def test_every_icon_the_kiosk_names_is_drawn():
    import re
    from pathlib import Path

    import kiosk_app
    from kiosk_app.icon_shapes import SHAPES  # not kiosk_app.widgets: that would open Kivy's window here
    from kiosk_app.viewmodels.home import TILES

    named = {icon for _, _, icon in TILES}
    for rules in Path(kiosk_app.__file__).parent.rglob("*.kv"):
        named |= set(re.findall(r'\bicon: "([a-z-]+)"', rules.read_text()))
        named |= set(re.findall(r'\bname: "([a-z-]+)"', rules.read_text()))
    assert named - set(SHAPES) == set()
