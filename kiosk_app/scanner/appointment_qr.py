"""What a QR held, read as an appointment: the confirmation's QR holds the plain code; a booking
system may also print a link whose ``code`` query parameter or last path segment is the code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from queue_ticketing.domain.appointments import CODE_MAX_LENGTH, CODE_MIN_LENGTH, normalise_code

# Letters and digits, in groups split by single dashes or spaces (``K7M-2XP``); nothing else, so a
# sentence, a Wi-Fi or contact QR is not mistaken for a code.
_PLAIN_CODE = re.compile(r"[A-Za-z0-9]+(?:[- ][A-Za-z0-9]+)*")


@dataclass(frozen=True)
class QrRead:
    """One QR the camera saw: an appointment's code, or (``code`` None) a QR that is not an appointment's,
    so the screen can say so kindly. The QR's own text is not kept."""

    code: str | None

    @property
    def is_appointment(self) -> bool:
        return self.code is not None


def read_appointment_qr(text: str) -> QrRead:
    return QrRead(appointment_code(text))


def appointment_code(text: str) -> str | None:
    """The appointment code in a QR's text, normalised as the server does (``normalise_code``), or None.

    Accepted: the plain code (``K7M2XP``, ``k7m-2xp``) or an http(s) link whose ``code`` query
    parameter, or else last path segment, is the code. A code has 4 to 16 letters and digits."""
    text = text.strip()
    if "://" not in text:
        return _plain_code(text)
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    query = parse_qs(parts.query, keep_blank_values=True)
    if "code" in query:
        return _plain_code(query["code"][0])
    last_segment = parts.path.rstrip("/").rpartition("/")[2]
    return _plain_code(unquote(last_segment))


def _plain_code(text: str) -> str | None:
    text = text.strip()
    if not text.isascii() or not _PLAIN_CODE.fullmatch(text):
        return None
    code = normalise_code(text)
    return code if CODE_MIN_LENGTH <= len(code) <= CODE_MAX_LENGTH else None
