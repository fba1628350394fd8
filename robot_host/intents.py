"""What a visitor asks for, read from a recognised phrase or a tablet tap (pure, no qi).

Recognition on Pepper is vocabulary based, so matching is by keywords: service and landmark names
come from the location configuration, the rest from the small word lists below."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from location_config import Location

from .speech import SPOKEN

PERSON_WORDS = {
    "nl": ("medewerker", "mens", "persoon", "iemand"),
    "en": ("person", "human", "someone", "host"),
    "tr": ("görevli", "insan", "biri", "yetkili"),
    "pl": ("pracownik", "człowiek", "osoba", "ktoś"),
    "ar": ("موظف", "شخص", "إنسان"),
}
CHECK_IN_WORDS = {
    "nl": ("afspraak", "inchecken"),
    "en": ("appointment", "check in"),
    "tr": ("randevu", "giriş yap"),
    "pl": ("wizyta", "zamelduj"),
    "ar": ("موعد", "تسجيل الحضور"),
}
BOOK_WORDS = {
    "nl": ("afspraak maken", "afspraak plannen", "afspraak boeken", "afspraak inplannen", "nieuwe afspraak"),
    "en": ("make an appointment", "book an appointment", "new appointment", "make appointment"),
    "tr": ("randevu almak", "randevu al", "randevu alabilir", "yeni randevu"),
    "pl": ("umówić wizytę", "umówić się", "zarezerwować wizytę", "nowa wizyta"),
    "ar": ("حجز موعد", "أحجز موعد", "موعد جديد"),
}
"""Asking to book a later appointment: checked before ``CHECK_IN_WORDS`` (which share "afspraak")."""
BOOK_PHRASES = {
    "nl": ("ik wil een afspraak maken", "een afspraak maken", "afspraak maken", "een afspraak plannen",
           "afspraak boeken", "nieuwe afspraak"),
    "en": ("i want to make an appointment", "i would like to make an appointment", "make an appointment",
           "book an appointment", "new appointment"),
    "tr": ("randevu almak istiyorum", "randevu almak", "randevu al", "yeni randevu"),
    "pl": ("chcę umówić wizytę", "umówić wizytę", "zarezerwować wizytę", "nowa wizyta"),
    "ar": ("أريد حجز موعد", "حجز موعد", "موعد جديد"),
}
"""What the robot listens for, whole (a recognizer without word spotting takes only whole phrases)."""
BOOK_FOR = {"nl": "afspraak maken voor {service}", "en": "make an appointment for {service}",
            "tr": "{service} için randevu almak", "pl": "umówić wizytę {service}", "ar": "حجز موعد {service}"}
ORDINALS = {
    "nl": (("eerste",), ("tweede",), ("derde",)),
    "en": (("first",), ("second",), ("third",)),
    "tr": (("birinci", "ilk"), ("ikinci",), ("üçüncü",)),
    "pl": (("pierwszy", "pierwsza", "pierwszą"), ("drugi", "druga", "drugą"), ("trzeci", "trzecia", "trzecią")),
    "ar": (("الأول", "الأولى"), ("الثاني", "الثانية"), ("الثالث", "الثالثة")),
}
"""The first, second and third time offered, as a visitor names them."""
ORDINAL_PHRASES = {
    "nl": ("de {0}", "{0}", "de {0} graag", "doe maar de {0}"),
    "en": ("the {0}", "{0}", "the {0} one", "the {0} please"),
    "tr": ("{0}", "{0} olsun", "{0} saat"),
    "pl": ("{0}", "{0} proszę", "poproszę {0}"),
    "ar": ("{0}", "الموعد {0}"),
}
YES_WORDS = {"nl": ("ja", "ja graag", "graag", "goed"), "en": ("yes", "yes please", "please", "okay"),
             "tr": ("evet", "evet lütfen", "tamam"), "pl": ("tak", "tak proszę", "dobrze"),
             "ar": ("نعم", "نعم من فضلك", "حسنا")}
NO_WORDS = {"nl": ("nee", "nee dank u", "nee bedankt"), "en": ("no", "no thank you", "no thanks"),
            "tr": ("hayır", "hayır teşekkürler"), "pl": ("nie", "nie dziękuję"), "ar": ("لا", "لا شكرا")}
TIME_PATTERN = re.compile(r"\b([01]?\d|2[0-3])(?:[:. ]|\s*uur\s*)([0-5]\d)\b")
HOURS_WORDS = {
    "nl": ("openingstijden", "open"),
    "en": ("opening hours", "hours", "open"),
    "tr": ("çalışma saatleri", "açık"),
    "pl": ("godziny otwarcia", "otwarte"),
    "ar": ("ساعات العمل", "مفتوح"),
}
BRING_WORDS = {
    "nl": ("meenemen", "meebrengen"),
    "en": ("bring",),
    "tr": ("getirmeliyim", "yanımda"),
    "pl": ("zabrać", "przynieść"),
    "ar": ("أحضر", "إحضار"),
}
LANGUAGE_WORDS = {
    "nl": {"nederlands": "nl", "engels": "en", "turks": "tr", "pools": "pl", "arabisch": "ar"},
    "en": {"dutch": "nl", "english": "en", "turkish": "tr", "polish": "pl", "arabic": "ar"},
    "tr": {"felemenkçe": "nl", "ingilizce": "en", "türkçe": "tr", "lehçe": "pl", "arapça": "ar"},
    "pl": {"niderlandzki": "nl", "angielski": "en", "turecki": "tr", "polski": "pl", "arabski": "ar"},
    "ar": {"الهولندية": "nl", "الإنجليزية": "en", "التركية": "tr", "البولندية": "pl", "العربية": "ar"},
}
"""Each language's name as said in every language the robot listens in: a visitor switches by voice."""
DESK_WORDS = {"nl": "balie", "en": "desk", "tr": "gişe", "pl": "stanowisko", "ar": "شباك"}
DESK_PATTERN = re.compile(rf"(?:{'|'.join(DESK_WORDS.values())})\s*(?:رقم\s*)?(\d+)\b")
CODE_PATTERN = re.compile(r"\b(?=[a-z0-9-]*\d)[a-z0-9-]{4,}\b")


@dataclass(frozen=True)
class WantTicket:
    service: str


@dataclass(frozen=True)
class WantCheckIn:
    code: str | None


@dataclass(frozen=True)
class WantBooking:
    """The visitor wants to book a later appointment (for ``service``, when said)."""

    service: str | None


@dataclass(frozen=True)
class ChooseTime:
    """A time tapped on the tablet's list of free times."""

    starts_at: datetime


@dataclass(frozen=True)
class GoBack:
    """The visitor went back to the menu on the tablet (its Back button)."""


@dataclass(frozen=True)
class WantDirections:
    place: str
    """A desk id or a landmark id."""


@dataclass(frozen=True)
class WantHours:
    """The visitor asks for the opening hours."""


@dataclass(frozen=True)
class WantBring:
    service: str | None


@dataclass(frozen=True)
class WantPerson:
    """The visitor asks for a person (a human host)."""


@dataclass(frozen=True)
class SwitchLanguage:
    language: str


@dataclass(frozen=True)
class NotUnderstood:
    """What the visitor said matched no intent (the low-confidence ladder answers it)."""


Intent = (WantTicket | WantCheckIn | WantBooking | ChooseTime | GoBack | WantDirections | WantHours | WantBring
          | WantPerson | SwitchLanguage | NotUnderstood)


def _mentions(text: str, name: str) -> bool:
    name = name.lower()
    if re.search(rf"\b{re.escape(name)}\b", text):
        return True
    # "toilet" for "toiletten": a word of at least four letters that starts a word of the name
    return any(len(word) >= 4 and any(part.startswith(word) for part in name.split())
               for word in re.findall(r"\w+", text))


def _service_in(text: str, location: Location) -> str | None:
    for service in location.services:
        if any(_mentions(text, name) for name in (service.id.replace("_", " "), *service.names.values())):
            return service.id
    return None


def _landmark_in(text: str, location: Location) -> str | None:
    for landmark in location.landmarks:
        if any(_mentions(text, name) for name in (landmark.id.replace("-", " "), *landmark.names.values())):
            return landmark.id
    return None


def _words_in(text: str, words: Mapping[str, tuple[str, ...]]) -> bool:
    """Whether ``text`` holds one of the words, in any language (the robot hears one at a time)."""
    return any(re.search(rf"\b{re.escape(word)}\b", text) for group in words.values() for word in group)


def _language_named(text: str) -> str | None:
    return next((code for names in LANGUAGE_WORDS.values() for name, code in names.items() if text == name), None)


def from_speech(text: str, location: Location) -> Intent:
    """The visitor's request in a recognised phrase."""
    text = text.lower().strip()
    language = _language_named(text)
    if language:
        return SwitchLanguage(language)
    if _words_in(text, PERSON_WORDS):
        return WantPerson()
    if _words_in(text, BOOK_WORDS):
        return WantBooking(_service_in(text, location))
    if _words_in(text, CHECK_IN_WORDS) or text.startswith("code"):
        codes = CODE_PATTERN.findall(text)
        return WantCheckIn(codes[0].upper() if codes else None)
    desk = DESK_PATTERN.search(text)
    if desk:
        number = int(desk.group(1))
        match = next((d for d in location.desks if d.number == number), None)
        return WantDirections(match.id) if match else NotUnderstood()
    if _words_in(text, BRING_WORDS):
        return WantBring(_service_in(text, location))
    if _words_in(text, HOURS_WORDS):
        return WantHours()
    landmark = _landmark_in(text, location)
    if landmark:
        return WantDirections(landmark)
    service = _service_in(text, location)
    if service:
        return WantTicket(service)
    return NotUnderstood()


def from_tap(action: str, location: Location) -> Intent:
    """The visitor's request in a tablet tap (see ``events.TabletTapped``)."""
    kind, _, value = action.partition(":")
    if kind == "service" and location.service(value):
        return WantTicket(value)
    if kind == "check_in":
        return WantCheckIn(value.strip().upper() or None)
    if kind == "language" and value in location.languages:
        return SwitchLanguage(value)
    if kind == "place" and (location.desk(value) or any(m.id == value for m in location.landmarks)):
        return WantDirections(value)
    if kind == "person":
        return WantPerson()
    if kind == "hours":
        return WantHours()
    if kind == "bring":
        return WantBring(value if location.service(value) else None)
    if kind == "back":
        return GoBack()
    if kind == "book":
        return WantBooking(value if location.service(value) else None)
    if kind == "slot":
        try:
            starts_at = datetime.fromisoformat(value)
        except ValueError:
            return NotUnderstood()
        return ChooseTime(starts_at) if starts_at.tzinfo is not None else NotUnderstood()
    return NotUnderstood()


def chosen_time(text: str, offered: Sequence[datetime], timezone: str) -> datetime | None:
    """Which of the ``offered`` times a visitor names: "de tweede", "the third one", or the time
    itself ("10:15", "10 15", "10 uur 15"); None when none, or more than one, fits."""
    text = text.lower().strip()
    for index, words in enumerate(zip(*ORDINALS.values(), strict=True)):
        if index < len(offered) and any(re.search(rf"\b{re.escape(w)}\b", text) for group in words for w in group):
            return offered[index]
    said = TIME_PATTERN.search(text)
    if said:
        hour, minute = int(said.group(1)), int(said.group(2))
        zone = ZoneInfo(timezone)
        fits = [t for t in offered if (t.astimezone(zone).hour, t.astimezone(zone).minute) == (hour, minute)]
        return fits[0] if len(fits) == 1 else None
    return None


def yes_or_no(text: str) -> bool | None:
    """True for a yes, False for a no, in any language; None for neither."""
    text = text.lower().strip()
    if _words_in(text, NO_WORDS):
        return False
    return True if _words_in(text, YES_WORDS) else None


def speakable(phrase: str) -> str:
    """A phrase as a recognizer's grammar takes it: lower case, no bracketed part ("(BRP)"),
    no punctuation."""
    phrase = re.sub(r"\([^)]*\)", " ", phrase.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^\w' -]|_", " ", phrase)).strip()


def vocabulary(location: Location, language: str) -> tuple[str, ...]:
    """The phrases the robot listens for in ``language``: only words of that language (a Dutch
    grammar with English words in it recognises neither well)."""
    language = language if language in SPOKEN else "en"
    words: list[str] = []
    words += [s.names.get(language, s.id) for s in location.services]
    words += [m.names.get(language, m.id) for m in location.landmarks]
    words += [f"{DESK_WORDS[language]} {d.number}" for d in location.desks]
    words += BOOK_PHRASES[language]
    words += [BOOK_FOR[language].format(service=s.names.get(language, s.id)) for s in location.services
              if s.appointment]
    for group in (PERSON_WORDS, CHECK_IN_WORDS, HOURS_WORDS, BRING_WORDS):
        words += group[language]
    words += list(LANGUAGE_WORDS[language])
    return tuple(dict.fromkeys(w for w in map(speakable, words) if w))


def booking_vocabulary(language: str, offered: Sequence[datetime], timezone: str) -> tuple[str, ...]:
    """What the robot listens for besides its usual phrases while a visitor chooses a time (the
    ordinals, the times as "10 15") or answers yes or no."""
    language = language if language in SPOKEN else "en"
    words: list[str] = []
    for group in ORDINALS[language][:max(len(offered), 1)]:
        words += [pattern.format(word) for word in group for pattern in ORDINAL_PHRASES[language]]
    zone = ZoneInfo(timezone)
    words += [f"{t.astimezone(zone).hour} {t.astimezone(zone).minute:02d}" for t in offered]
    words += [*YES_WORDS[language], *NO_WORDS[language]]
    return tuple(dict.fromkeys(w for w in map(speakable, words) if w))
