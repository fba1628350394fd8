"""The camera, or a video file standing in for it, and its frames as the screen's preview wants them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

Source = int | str | os.PathLike[str]
"""A camera index (``0``, or ``"0"`` from a command line) or the path of a video file."""

CAMERA_SIZE = (640, 480)
"""Asked of a real camera: enough for a QR held at arm's length, and cheap to decode."""

# OpenCV prints its own warnings (e.g. "can't open camera by index") to stderr; the scanner reports
# a missing camera through its status and the kiosk's structured log instead.
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


@dataclass(frozen=True)
class Frame:
    """One preview frame, ready for ONE reused Kivy texture of ``(width, height)``:
    ``texture.blit_buffer(frame.pixels, colorfmt="rgb", bufferfmt="ubyte")``.

    ``pixels`` is RGB, 3 bytes per pixel, rows packed (no padding), and the rows run bottom-up:
    the frame is flipped vertically, because Kivy textures start at the bottom row. ``number``
    counts the frames since ``start()``: the screen blits only when it changed."""

    pixels: bytes
    width: int
    height: int
    number: int


def is_camera_index(source: Source) -> bool:
    return isinstance(source, int) or (isinstance(source, str) and source.isdigit())


def open_capture(source: Source) -> cv2.VideoCapture | None:
    """The opened camera or video file, or None when it is missing, busy or unreadable."""
    if isinstance(source, int) or (isinstance(source, str) and source.isdigit()):
        capture = cv2.VideoCapture(int(source))
        if capture.isOpened():
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, CAMERA_SIZE[0])
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, CAMERA_SIZE[1])
            capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest frame, not one queued a second ago
    else:
        if isinstance(source, int) or not Path(source).is_file():
            return None
        capture = cv2.VideoCapture(os.fspath(source))
    if not capture.isOpened():
        capture.release()
        return None
    return capture


def preview_frame(frame_bgr: np.ndarray, number: int) -> Frame:
    """A captured frame (BGR, top-down) as a ``Frame`` for Kivy (RGB, bottom-up)."""
    height, width = frame_bgr.shape[:2]
    rgb_bottom_up = cv2.cvtColor(cv2.flip(frame_bgr, 0), cv2.COLOR_BGR2RGB)
    return Frame(rgb_bottom_up.tobytes(), width, height, number)
