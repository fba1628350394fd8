"""Camera scenes for the QR scanner: a 640x480 frame with or without a QR code (drawn with segno),
slightly rotated or noisy like a hand-held paper, and a video file of them that stands in for the
kiosk's camera (Motion-JPEG in AVI: OpenCV writes and reads it without any codec of the system)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np
import segno

WIDTH, HEIGHT = 640, 480
FPS = 25


def qr_image(text: str, scale: int = 6) -> np.ndarray:
    """The QR of ``text`` as a BGR image with its quiet zone, ``scale`` pixels per module."""
    png = io.BytesIO()
    segno.make(text, error="m", micro=False).save(png, kind="png", scale=scale, border=4)
    return cv2.imdecode(np.frombuffer(png.getvalue(), np.uint8), cv2.IMREAD_COLOR)


def scene(qr_text: str | None = None, *, angle: float = 0.0, noise: float = 0.0, scale: int = 6,
          seed: int = 0) -> np.ndarray:
    """A 640x480 BGR camera frame: a soft grey background with some shapes (a room, a coat), and
    ``qr_text``'s QR on a sheet of paper in the middle, turned by ``angle`` degrees, with Gaussian
    sensor noise of standard deviation ``noise`` (grey levels)."""
    rng = np.random.default_rng(seed)
    frame = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    frame[:] = (150, 140, 130)
    cv2.rectangle(frame, (20, 300), (180, 470), (60, 70, 90), -1)
    cv2.circle(frame, (560, 110), 60, (90, 120, 160), -1)
    cv2.line(frame, (0, 250), (WIDTH, 230), (110, 110, 110), 4)
    if qr_text is not None:
        paper = qr_image(qr_text, scale)
        size = paper.shape[0]
        sheet = np.full((size + 40, size + 40, 3), 255, np.uint8)
        sheet[20:20 + size, 20:20 + size] = paper
        side = sheet.shape[0]
        centre = (WIDTH / 2, HEIGHT / 2)
        turn = cv2.getRotationMatrix2D((side / 2, side / 2), angle, 1.0)
        turn[:, 2] += (centre[0] - side / 2, centre[1] - side / 2)
        mask = cv2.warpAffine(np.full((side, side), 255, np.uint8), turn, (WIDTH, HEIGHT))
        placed = cv2.warpAffine(sheet, turn, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
        frame[mask > 127] = placed[mask > 127]
    if noise:
        noisy = frame.astype(np.float32) + rng.normal(0.0, noise, frame.shape)
        frame = np.clip(noisy, 0, 255).astype(np.uint8)
    return frame


def write_video(path: Path, frames: Iterable[np.ndarray], fps: float = FPS) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (WIDTH, HEIGHT))
    if not writer.isOpened():
        raise RuntimeError(f"OpenCV cannot write {path}")
    try:
        for frame in frames:
            writer.write(frame)
    finally:
        writer.release()
    return path


def check_in_video(path: Path, qr_text: str, *, blank: int = 10, steady: int = 4, fps: float = FPS) -> Path:
    """What the camera sees when a visitor holds up a confirmation: ``blank`` frames of the room, then
    the QR held straight for ``steady`` frames, then turned a little (−8°, 5°, 12°) and noisy."""
    frames = [scene(seed=i, noise=3.0) for i in range(blank)]
    frames += [scene(qr_text, seed=100 + i) for i in range(steady)]
    frames += [scene(qr_text, angle=angle, noise=6.0, seed=200 + i) for i, angle in enumerate((-8.0, 5.0, 12.0))]
    return write_video(path, frames, fps)
