"""The check-in screen's camera: capture on a worker thread, a preview frame for the screen to pull,
and every QR seen reported once as an appointment code or as "not an appointment's QR"."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Literal

import cv2

from queue_ticketing.domain.clock import Clock, system_clock

from ..worker import Schedule
from .appointment_qr import QrRead, read_appointment_qr
from .camera import Frame, Source, is_camera_index, open_capture, preview_frame
from .decoding import qr_texts

log = logging.getLogger(__name__)

AtEnd = Literal["stop", "loop"]


class _Run:
    """One start() to stop(): its own stop signal, so a slow old thread never acts for a new run."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.camera_released = threading.Event()


class ScannerStatus(StrEnum):
    STOPPED = "stopped"
    """Not started, or stopped."""
    STARTING = "starting"
    """Opening the camera (on the scanner's thread: ``start()`` never waits for it)."""
    SCANNING = "scanning"
    """Frames are coming in and being read."""
    NO_CAMERA = "no_camera"
    """No camera (or video file), a busy or broken one, or one that stopped giving frames: the screen
    offers the keypad instead."""
    ENDED = "ended"
    """A video file came to its end (``at_end="stop"``)."""


class QrScanner:
    """Reads appointment QR codes from a camera on its own thread; never raises into the UI.

    ``on_read`` gets a ``QrRead`` for every QR seen, the same QR not again within ``repeat_after``
    seconds of its last report (on the injected ``clock``). Callbacks (``on_read``, ``on_status``)
    run through ``schedule`` (in the app: on Kivy's main thread, as for the ``ThreadWorker``), or on
    the scanner's thread when ``schedule`` is None.

    A camera gives frames at its own rate and every one becomes the preview; QR decoding runs at most
    ``decode_fps`` times a second (None: every frame), so the scanner stays light on a two-core kiosk.
    A video file stands in for a camera in tests and demos: played at its own frame rate
    (``realtime``) or as fast as it decodes, then stopped (status ``ENDED``) or looped (``at_end``).
    """

    def __init__(self, source: Source, on_read: Callable[[QrRead], None], *, clock: Clock = system_clock,
                 repeat_after: float = 3.0, decode_fps: float | None = 10.0, at_end: AtEnd = "stop",
                 realtime: bool = True, schedule: Schedule | None = None,
                 on_status: Callable[[ScannerStatus], None] | None = None) -> None:
        self._source = source
        self._on_read = on_read
        self._on_status = on_status
        self._clock = clock
        self._repeat_after = repeat_after
        self._decode_interval = 1.0 / decode_fps if decode_fps else 0.0
        self._at_end = at_end
        self._realtime = realtime
        self._schedule = schedule
        self._lock = threading.Lock()
        self._status = ScannerStatus.STOPPED
        self._frame: Frame | None = None
        self._decoded_frames = 0
        self._last_reported: dict[str, datetime] = {}  # in memory only; never logged
        self._run: _Run | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------------------- for the screen

    @property
    def status(self) -> ScannerStatus:
        with self._lock:
            return self._status

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def decoded_frames(self) -> int:
        """How many frames were searched for QR codes since ``start()`` (throttling is visible here)."""
        with self._lock:
            return self._decoded_frames

    def latest_frame(self) -> Frame | None:
        """The newest preview frame (see ``Frame`` for its layout), or None before the first one.
        Thread-safe and cheap: pull it on every Kivy frame, blit only when ``number`` changed."""
        with self._lock:
            return self._frame

    def start(self) -> None:
        """Open the camera and start reading, on the scanner's thread. Does nothing while running."""
        if self.running:
            return
        run = _Run()
        with self._lock:
            self._run = run
            self._frame = None
            self._decoded_frames = 0
            self._last_reported.clear()
        self._set_status(run, ScannerStatus.STARTING)
        self._thread = threading.Thread(target=self._scan, args=(run,), name="kiosk-qr-scanner", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> bool:
        """Stop reading and release the camera; idempotent. Waits at most ``timeout`` seconds (one
        camera frame, normally) and answers whether the camera was released in that time."""
        with self._lock:
            run, self._run = self._run, None
            self._frame = None
        thread, self._thread = self._thread, None
        if run is None:
            return True
        run.stopping.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        with self._lock:
            self._status = ScannerStatus.STOPPED
        self._notify(ScannerStatus.STOPPED)
        return run.camera_released.is_set()

    # ----------------------------------------------------------------------- the scanner's thread

    def _scan(self, run: _Run) -> None:
        try:
            self._scan_until_done(run)
        except Exception:  # a camera or decoder failure must never take the kiosk down
            log.exception("qr scanner failed")
            self._set_status(run, ScannerStatus.NO_CAMERA)
        finally:
            run.camera_released.set()

    def _scan_until_done(self, run: _Run) -> None:
        camera = is_camera_index(self._source)
        frames = 0
        while not run.stopping.is_set():
            capture = open_capture(self._source)
            if capture is None:
                log.warning("camera not available", extra={"fields": {"camera": camera}})
                self._set_status(run, ScannerStatus.NO_CAMERA)
                return
            try:
                read = self._read_frames(run, capture, camera, frames)
            finally:
                capture.release()
            if read == frames or camera:  # nothing readable, or a camera that stopped giving frames
                if not run.stopping.is_set():
                    log.warning("camera gives no frames", extra={"fields": {"camera": camera, "frames": read}})
                    self._set_status(run, ScannerStatus.NO_CAMERA)
                return
            frames = read
            if self._at_end == "stop":
                self._set_status(run, ScannerStatus.ENDED)
                return

    def _read_frames(self, run: _Run, capture: cv2.VideoCapture, camera: bool, number: int) -> int:
        """Preview and decode frames until the capture ends or stop() is asked; the frame count so far."""
        fps = capture.get(cv2.CAP_PROP_FPS)
        frame_interval = 1.0 / fps if not camera and self._realtime and fps > 0 else 0.0
        next_frame_at = next_decode_at = -math.inf
        while not run.stopping.is_set():
            ok, frame = capture.read()
            if not ok:
                return number
            number += 1
            self._set_status(run, ScannerStatus.SCANNING)
            preview = preview_frame(frame, number)
            with self._lock:
                if self._run is run:
                    self._frame = preview
            now = time.monotonic()
            if now >= next_decode_at:
                # On a schedule, not "an interval after the last": 10 fps from a 30 fps camera, not 7.5.
                next_decode_at += self._decode_interval
                if next_decode_at <= now:  # fell behind (or the first frame): no burst to catch up
                    next_decode_at = now + self._decode_interval
                texts = qr_texts(frame)
                with self._lock:
                    self._decoded_frames += 1
                for text in texts:
                    self._report(run, text)
            if frame_interval:
                next_frame_at = max(next_frame_at + frame_interval, now)
                run.stopping.wait(max(0.0, next_frame_at - time.monotonic()))
        return number

    def _report(self, run: _Run, text: str) -> None:
        read = read_appointment_qr(text)
        key = read.code or text
        now = self._clock()
        with self._lock:
            if self._run is not run:
                return
            last = self._last_reported.get(key)
            if last is not None and (now - last).total_seconds() < self._repeat_after:
                return
            self._last_reported = {k: t for k, t in self._last_reported.items()
                                   if (now - t).total_seconds() < self._repeat_after}
            self._last_reported[key] = now
        log.info("qr read", extra={"fields": {"appointment": read.is_appointment}})
        self._deliver(lambda: self._on_read(read))

    def _set_status(self, run: _Run, status: ScannerStatus) -> None:
        with self._lock:
            # After stop() (or a new start()), an old run's last words (ENDED, NO_CAMERA) no longer count.
            if self._run is not run or run.stopping.is_set() or self._status is status:
                return
            self._status = status
        self._notify(status)

    def _notify(self, status: ScannerStatus) -> None:
        if self._on_status is not None:
            on_status = self._on_status
            self._deliver(lambda: on_status(status))

    def _deliver(self, call: Callable[[], None]) -> None:
        if self._schedule is not None:
            self._schedule(call)
            return
        try:
            call()
        except Exception:
            log.exception("qr scanner callback failed")
