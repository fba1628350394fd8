"""Reading what a visitor asks for from a recognised phrase or a tablet tap."""

from __future__ import annotations

import re

import pytest

from location_config import load_location
from robot_host import intents
from robot_host.intents import (
    NotUnderstood,
    SwitchLanguage,
    WantBring,
    WantCheckIn,
    WantDirections,
    WantHours,
    WantPerson,
    WantTicket,
    from_speech,
    from_tap,
)

LOCATION = load_location("ijsselmonde")


@pytest.mark.parametrize(("text", "intent"), [
    ("paspoort", WantTicket("paspoort")),
    ("Passport", WantTicket("paspoort")),
    ("ik kom voor mijn rijbewijs", WantTicket("rijbewijs")),
    ("waar is balie 3", WantDirections("balie-3")),
    ("where is desk 1", WantDirections("balie-1")),
    ("toiletten", WantDirections("toilets")),
    ("openingstijden", WantHours()),
    ("wat moet ik meenemen voor een paspoort", WantBring("paspoort")),
    ("ik wil een medewerker", WantPerson()),
    ("I want a person", WantPerson()),
    ("afspraak", WantCheckIn(None)),
    ("check in code 7731", WantCheckIn("7731")),
    ("english", SwitchLanguage("en")),
    ("goedemorgen", NotUnderstood()),
])
def test_phrases_are_read_as_the_visitor_s_request(text: str, intent: object) -> None:
    assert from_speech(text, LOCATION) == intent


def test_a_desk_number_that_does_not_exist_is_not_understood() -> None:
    assert from_speech("balie 99", LOCATION) == NotUnderstood()


@pytest.mark.parametrize(("action", "intent"), [
    ("service:paspoort", WantTicket("paspoort")),
    ("check_in:ab12", WantCheckIn("AB12")),
    ("language:tr", SwitchLanguage("tr")),
    ("place:exit", WantDirections("exit")),
    ("person", WantPerson()),
    ("hours", WantHours()),
    ("bring:rijbewijs", WantBring("rijbewijs")),
    ("service:unknown", NotUnderstood()),
    ("language:xx", NotUnderstood()),
])
def test_tablet_taps_are_read_as_the_visitor_s_request(action: str, intent: object) -> None:
    assert from_tap(action, LOCATION) == intent


def test_the_vocabulary_holds_services_landmarks_and_desks_in_the_language() -> None:
    dutch = intents.vocabulary(LOCATION, "nl")
    english = intents.vocabulary(LOCATION, "en")
    assert {"paspoort", "toiletten", "balie 1", "medewerker"} <= set(dutch)
    assert {"passport", "toilets", "desk 1"} <= set(english)
    assert len(dutch) == len(set(dutch))


@pytest.mark.parametrize("language", ["nl", "en", "tr", "pl", "ar"])
def test_each_grammar_holds_only_its_own_language_and_no_brackets_or_punctuation(language: str) -> None:
    words = intents.vocabulary(LOCATION, language)
    others = {w for code in ("nl", "en", "tr", "pl", "ar") if code != language
              for group in (intents.PERSON_WORDS, intents.CHECK_IN_WORDS, intents.BRING_WORDS)
              for w in group[code]}
    assert not others & set(words)
    assert all(re.fullmatch(r"[\w' -]+", w) and w == w.lower() for w in words), words
    assert len(words) == len(set(words))


def test_an_abbreviation_in_brackets_is_left_out_of_the_grammar() -> None:
    assert intents.speakable("Extract from the Personal Records Database (BRP)") == \
        "extract from the personal records database"
    assert intents.speakable("Paspoort of ID-kaart afhalen!") == "paspoort of id-kaart afhalen"


@pytest.mark.parametrize(("text", "language"), [("engels", "en"), ("turkish", "tr"), ("lehçe", "pl"),
                                                ("arabski", "ar"), ("الهولندية", "nl")])
def test_a_language_is_named_in_every_language(text: str, language: str) -> None:
    assert from_speech(text, LOCATION) == SwitchLanguage(language)


@pytest.mark.parametrize(("text", "intent"), [("pasaport", WantTicket("paspoort")),
                                              ("gişe 3", WantDirections("balie-3")),
                                              ("stanowisko 2", WantDirections("balie-2")),
                                              ("شباك 4", WantDirections("balie-4")),
                                              ("موظف", WantPerson())])
def test_requests_are_understood_in_turkish_polish_and_arabic(text: str, intent: object) -> None:
    assert from_speech(text, LOCATION) == intent
