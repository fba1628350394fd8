"""Spoken feedback: real espeak-ng audio written to a WAV file (no sound card needed), and a stand-in
espeak-ng that records how it was called and waits, to see sentences cut off and the text kept private."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kiosk_app.speech import VOICES, Speaker
from kiosk_app.texts import LANGUAGES
from tests.support.live_server import wait_until

REAL_ESPEAK = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")

STAND_IN = """#!{python}
import json, os, sys, time
record = {{"pid": os.getpid(), "argv": sys.argv[1:], "stdin": sys.stdin.buffer.read().decode("utf-8")}}
calls = os.path.join({folder!r}, "calls")
os.makedirs(calls, exist_ok=True)
with open(os.path.join(calls, "%.9f.json" % time.time()), "w") as out:
    json.dump(record, out)
time.sleep(60)
"""


def read_wav(wav_file: Path) -> tuple[int, int, float, np.ndarray]:
    """Channels, bytes per sample, seconds, and the 16-bit samples of a WAV file."""
    with wave.open(str(wav_file), "rb") as audio:
        frames = audio.getnframes()
        return (audio.getnchannels(), audio.getsampwidth(), frames / audio.getframerate(),
                np.frombuffer(audio.readframes(frames), np.int16))


@pytest.fixture
def stand_in(tmp_path: Path) -> Path:
    """A fake espeak-ng: writes its pid, arguments and standard input to ``calls/``, then waits a minute."""
    script = tmp_path / "espeak-ng"
    script.write_text(STAND_IN.format(python=sys.executable, folder=str(tmp_path)))
    script.chmod(0o755)
    return script


@pytest.fixture
def speakers() -> Iterator[list[Speaker]]:
    made: list[Speaker] = []
    yield made
    for speaker in made:
        speaker.stop()


def calls(stand_in: Path) -> list[dict[str, Any]]:
    folder = stand_in.parent / "calls"
    if not folder.exists():
        return []
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@REAL_ESPEAK
@pytest.mark.parametrize(("language", "sentence"), [
    ("nl", "Welkom. Uw nummer is P 12. U wordt zo geholpen aan balie 3."),
    ("ar", "مرحبا. رقمك هو ب ١٢. سيتم خدمتك قريبا في المكتب ٣."),
])
def test_a_sentence_becomes_real_audio_in_a_wav_file(tmp_path: Path, speakers: list[Speaker], language: str,
                                                     sentence: str) -> None:
    wav_file = tmp_path / f"{language}.wav"
    speaker = Speaker(enabled=True, wav_file=wav_file)
    speakers.append(speaker)
    speaker.say(sentence, language)
    assert speaker.wait(timeout=20)
    channels, sample_width, seconds, samples = read_wav(wav_file)
    assert (channels, sample_width) == (1, 2)
    assert seconds > 1.0
    assert np.count_nonzero(samples) > len(samples) // 2
    assert np.abs(samples.astype(np.int32)).max() > 1000


@REAL_ESPEAK
def test_every_kiosk_language_has_an_installed_espeak_ng_voice() -> None:
    listed = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, check=True).stdout
    names = {line.split()[1] for line in listed.splitlines()[1:] if line.strip()}
    assert set(VOICES) == set(LANGUAGES)
    assert set(VOICES.values()) <= names


def test_say_returns_at_once_and_a_new_sentence_cuts_off_the_one_being_spoken(
        stand_in: Path, speakers: list[Speaker]) -> None:
    speaker = Speaker(enabled=True, binary=str(stand_in))
    speakers.append(speaker)
    speaker.say("Kies uw taal.", "nl")
    first = wait_until(lambda: calls(stand_in), what="the first sentence")[0]
    assert speaker.speaking
    speaker.say("Choose your language.", "en")
    assert not alive(first["pid"])
    second = wait_until(lambda: calls(stand_in)[1:], what="the second sentence")[0]
    assert second["stdin"] == "Choose your language."
    assert second["argv"][:2] == ["-v", "en-gb"]
    speaker.stop()
    assert not speaker.speaking
    assert not alive(second["pid"])


def test_the_text_goes_through_standard_input_never_the_command_line_or_the_log(
        stand_in: Path, speakers: list[Speaker], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    speaker = Speaker(enabled=True, binary=str(stand_in))
    speakers.append(speaker)
    sentence = "Jan Jansen, uw zaak ZAAK-2026-0000000001 is in behandeling."
    speaker.say(sentence, "nl")
    call = wait_until(lambda: calls(stand_in), what="the sentence")[0]
    assert call["stdin"] == sentence
    assert not any("Jansen" in argument for argument in call["argv"])
    speaker.say("", "nl")
    speaker.say("Een zin in een taal zonder stem.", "fy")
    assert "Jansen" not in caplog.text and "zonder stem" not in caplog.text


def test_turning_speech_off_stops_the_sentence(stand_in: Path, speakers: list[Speaker]) -> None:
    speaker = Speaker(enabled=True, binary=str(stand_in))
    speakers.append(speaker)
    speaker.say("Een ogenblik geduld.", "nl")
    call = wait_until(lambda: calls(stand_in), what="the sentence")[0]
    speaker.enabled = False
    assert not alive(call["pid"])
    speaker.say("Nog een zin.", "nl")
    assert not speaker.speaking


def test_a_speaker_is_off_until_the_visitor_asks_for_it(stand_in: Path) -> None:
    speaker = Speaker(binary=str(stand_in))
    speaker.say("Welkom.", "nl")
    assert not speaker.speaking
    assert calls(stand_in) == []


def test_without_espeak_ng_the_speaker_is_unavailable_says_nothing_and_logs_it_once(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kiosk_app.speech")
    speaker = Speaker(enabled=True, binary=str(tmp_path / "no-espeak-ng"))
    assert speaker.available is False
    speaker.say("Welkom.", "nl")
    speaker.say("Welkom.", "nl")
    speaker.stop()
    assert not speaker.speaking
    assert [record.getMessage() for record in caplog.records] == ["speech unavailable: espeak-ng is not installed"]
