"""The visitor's language: chosen on the welcome screen, back to Dutch after every visit."""

from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.properties import ListProperty, OptionProperty, StringProperty

from kiosk_app.texts import DEFAULT_LANGUAGE, ENDONYMS, LANGUAGES, direction, gettext_for


class LanguageViewModel(EventDispatcher):
    language = OptionProperty(DEFAULT_LANGUAGE, options=list(LANGUAGES))
    direction = StringProperty("ltr")
    """``rtl`` for Arabic: screens mirror their layout and shape the text."""
    choices = ListProperty([(code, ENDONYMS[code]) for code in LANGUAGES])
    """(code, the language's name in itself), in the order the welcome screen shows them."""

    def __init__(self, offered: tuple[str, ...] | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)
        if offered:
            self.choices = [(code, ENDONYMS[code]) for code in LANGUAGES if code in offered]

    def offer(self, offered: tuple[str, ...]) -> None:
        """The languages this location offers (its configuration), in the kiosk's order; Dutch always."""
        wanted = set(offered) | {DEFAULT_LANGUAGE}
        choices = [(code, ENDONYMS[code]) for code in LANGUAGES if code in wanted]
        if choices != list(self.choices):
            self.choices = choices

    def choose(self, code: str) -> None:
        self.language = code
        self.direction = direction(code)

    def reset(self) -> None:
        self.choose(DEFAULT_LANGUAGE)

    def gettext(self, message: str) -> str:
        return gettext_for(self.language)(message)
