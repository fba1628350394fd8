"""Spoken feedback on request: off until the visitor switches it on, then each screen's heading and
each answer is spoken in the visitor's language (espeak-ng, written to a WAV file here)."""

from __future__ import annotations

import shutil
import wave

import pytest

from kiosk_app.speech import Speaker

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                reason="espeak-ng is not installed (make test installs it as root)")


def spoken_frames(path) -> int:
    with wave.open(str(path)) as audio:
        return audio.getnframes()


def test_read_aloud_speaks_the_screens_in_the_visitors_language_once_switched_on(open_kiosk, tmp_path):
    said = tmp_path / "said.wav"
    speaker = Speaker(wav_file=said)
    kiosk = open_kiosk(speaker=speaker)
    kiosk.tap("language:ar")
    assert not said.exists()  # off until asked for
    kiosk.tap("read_aloud")
    assert kiosk.app.speech_on
    kiosk.wait_until(lambda: said.exists() and not speaker.speaking and spoken_frames(said) > 0, "the spoken switch")
    said.unlink()
    kiosk.tap("information")
    kiosk.wait_until(lambda: said.exists() and not speaker.speaking and spoken_frames(said) > 0, "the spoken heading")
    kiosk.app.end_visit()
    assert not kiosk.app.speech_on and not speaker.enabled  # the next visitor starts without it
