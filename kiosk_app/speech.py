"""Spoken feedback on request, with espeak-ng: one sentence at a time in the visitor's language.

The text goes to espeak-ng through its standard input, never its command line (which any user of
the machine can read), and is never logged: what the kiosk says may be about the visitor.

    .venv/bin/python -m kiosk_app.speech --language nl "Uw nummer is P 12"
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import threading
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)

VOICES: Mapping[str, str] = {"nl": "nl", "en": "en-gb", "tr": "tr", "pl": "pl", "ar": "ar"}
"""The espeak-ng voice for each kiosk language (``espeak-ng --voices``)."""

WORDS_PER_MINUTE = 150
"""A little slower than espeak-ng's 175: for visitors who are elderly or new to the language."""

MAX_CHARACTERS = 2000
"""Well under a pipe's buffer, so handing the text over never blocks the UI thread."""


class Speaker:
    """Says one sentence at a time, without blocking: a new sentence (or ``stop()``) cuts off the one
    being spoken. Off until the visitor asks for it (``enabled``). Without espeak-ng it is
    ``available`` False, says nothing and logs that once (at start); it never raises.

    ``wav_file``: write each sentence to this WAV file instead of the sound card (tests, no sound
    card needed; each sentence replaces the file)."""

    def __init__(self, enabled: bool = False, *, wav_file: Path | None = None, binary: str = "espeak-ng",
                 voices: Mapping[str, str] = VOICES, words_per_minute: int = WORDS_PER_MINUTE) -> None:
        self._enabled = enabled
        self._wav_file = wav_file
        self._binary = shutil.which(binary)
        self._voices = dict(voices)
        self._words_per_minute = words_per_minute
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._logged: set[str] = set()
        if self._binary is None:
            self._log_once("unavailable", "speech unavailable: espeak-ng is not installed")

    @property
    def available(self) -> bool:
        """Whether espeak-ng is installed (the screen hides the speech switch when it is not)."""
        return self._binary is not None

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, enabled: bool) -> None:
        self._enabled = enabled
        if not enabled:
            self.stop()

    @property
    def speaking(self) -> bool:
        with self._lock:
            return self._process is not None and self._process.poll() is None

    def say(self, text: str, language: str) -> None:
        """Start saying ``text`` in ``language`` (a kiosk language code) and return at once."""
        if not self._enabled or not text.strip():
            return
        if self._binary is None:
            return
        voice = self._voices.get(language)
        if voice is None:
            self._log_once(f"voice-{language}", "no voice for this language", language=language)
            return
        command = [self._binary, "-v", voice, "-s", str(self._words_per_minute), "-b", "1", "--stdin"]
        if self._wav_file is not None:
            command += ["-w", str(self._wav_file)]
        with self._lock:
            self._end_current()
            try:
                process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
            except OSError as error:
                self._log_once("start-failed", "speech could not start", error=type(error).__name__)
                return
            self._process = process
            try:
                assert process.stdin is not None
                process.stdin.write(text[:MAX_CHARACTERS].encode("utf-8"))
                process.stdin.close()
            except OSError as error:  # espeak-ng died at once
                self._log_once("write-failed", "speech could not start", error=type(error).__name__)

    def stop(self) -> None:
        """Stop speaking now (the visitor left, or turned speech off)."""
        with self._lock:
            self._end_current()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the current sentence has been said; False if still speaking after ``timeout``."""
        with self._lock:
            process = self._process
        if process is None:
            return True
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def _end_current(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()  # espeak-ng ends within milliseconds
            try:
                process.wait(0.5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        elif process.returncode != 0:
            self._log_once("failed", "speech failed", returncode=process.returncode)

    def _log_once(self, key: str, event: str, **fields: object) -> None:
        if key in self._logged:
            return
        self._logged.add(key)
        log.warning(event, extra={"fields": fields})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk_app.speech",
                                     description="Say a sentence as the kiosk would (checks the sound).")
    parser.add_argument("text")
    parser.add_argument("--language", default="nl", choices=sorted(VOICES))
    parser.add_argument("-w", "--wav", type=Path, help="write a WAV file instead of using the sound card")
    args = parser.parse_args(argv)
    speaker = Speaker(enabled=True, wav_file=args.wav)
    if not speaker.available:
        parser.exit(1, "espeak-ng is not installed (Debian package espeak-ng)\n")
    speaker.say(args.text, args.language)
    speaker.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
