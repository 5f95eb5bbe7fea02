"""Camera scanner: OpenCV capture on a worker thread, the decoding pipeline, reconnect after unplug.

A video file path as the source plays the file through the same pipeline (the simulated camera)."""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from drivers.scanning.base import Backoff, Delivery, ScannerIssue, ThreadedScanner
from drivers.scanning.decode import Decoded, Decoder, Frame, to_gray
from kiosk.devices import ScanSource

log = logging.getLogger(__name__)

PreviewCallback = Callable[[Frame], None]

# Frame change test on a 80×60 grey copy: a frame is analysed again when this share of its pixels moved
# by more than _PIXEL_DELTA grey levels since the last analysed frame. Camera noise averages out at that
# size; a code entering the view changes far more.
_SMALL = (80, 60)
_PIXEL_DELTA = 18
_CHANGED_SHARE = 0.004
_READ_TIMEOUT_MS = 1000
# A live camera that fails this many reads in a row is treated as unplugged and reopened.
_MAX_READ_FAILURES = 10


def camera_source(spec: str) -> int | str:
    """``"0"`` → device index 0; anything else is a device or file path."""
    return int(spec) if spec.strip().isdigit() else spec


def v4l2_index(source: int | str) -> int | None:
    """The V4L2 device number of an index or a ``/dev/video<N>`` path — including the stable
    ``/dev/v4l/by-id/…`` links, resolved at every open because the number changes on re-plug."""
    if isinstance(source, int):
        return source
    match = re.fullmatch(r"/dev/video(\d+)", os.path.realpath(source))
    return int(match.group(1)) if match else None


def is_file_source(source: int | str) -> bool:
    return isinstance(source, str) and not source.startswith("/dev/") and Path(source).is_file()


class FrameGate:
    """Says whether a frame differs enough from the last analysed one to be worth decoding."""

    def __init__(self) -> None:
        self._reference: Frame | None = None

    def changed(self, frame: Frame) -> bool:
        # Shrinking before converting to grey costs half as much as the other way round on 720p.
        small = to_gray(cv2.resize(frame, _SMALL, interpolation=cv2.INTER_AREA))
        reference = self._reference
        if reference is not None:
            delta = cv2.absdiff(small, reference)
            if np.count_nonzero(delta > _PIXEL_DELTA) < _CHANGED_SHARE * delta.size:
                return False
        self._reference = small
        return True


class CameraScanner(ThreadedScanner):
    """Scans codes from a camera (index or device path) or a video file.

    ``start`` opens the device and ``stop`` releases it, so the camera is only on while a screen scans.
    Preview frames (numpy BGR arrays, not reused by the scanner) go to the callback set with
    :meth:`set_preview`, at most ``preview_fps`` per second, from the worker thread. Every frame is
    taken from the device so the view stays current, but at most ``analyse_fps`` are decoded from
    MJPG and looked at — plenty for a code held up to the camera.

    For files: ``realtime`` plays at the file's frame rate (as a camera would deliver), else as fast as
    decoding allows; ``loop`` restarts at the end, else the worker ends with status ``video_ended``.
    ``skip_unchanged=False`` decodes every frame (only to measure what skipping saves).
    """

    def __init__(
        self,
        source: int | str,
        *,
        width: int = 640,
        height: int = 480,
        dedup_window_s: float = 2.0,
        scan_source: ScanSource = ScanSource.CAMERA,
        realtime: bool = True,
        loop: bool = False,
        preview_fps: float = 10.0,
        analyse_fps: float = 15.0,
        decoder_factory: Callable[[], Decoder] = Decoder,
        skip_unchanged: bool = True,
        name: str = "camera",
    ) -> None:
        super().__init__(name, scan_source, dedup_window_s)
        self._source = source
        self._is_file = is_file_source(source)
        self._width = width
        self._height = height
        self._realtime = realtime
        self._loop = loop
        self._preview_interval = 1.0 / preview_fps
        self._analyse_interval = 1.0 / analyse_fps
        self._decoder_factory = decoder_factory
        self._skip_unchanged = skip_unchanged
        self._preview_lock = threading.Lock()
        self._preview: PreviewCallback | None = None
        self.frames_read = 0
        self._file_fps = 30.0
        self.frames_analysed = 0

    def set_preview(self, callback: PreviewCallback | None) -> None:
        with self._preview_lock:
            self._preview = callback

    def _scan_clock(self) -> float:
        if self._is_file and not self._realtime:
            # Played faster than real time: "the same code within 2 s" means 2 s of video.
            return self.frames_read / self._file_fps
        return time.monotonic()

    def _open(self) -> cv2.VideoCapture | None:
        index = v4l2_index(self._source) if sys.platform.startswith("linux") else None
        if index is None:
            cap = cv2.VideoCapture(self._source)
        else:
            # V4L2 directly: no GStreamer/FFmpeg probing, and a read timeout that V4L2 honours, so an
            # unplugged camera fails a read within a second instead of blocking stop().
            params = [cv2.CAP_PROP_READ_TIMEOUT_MSEC, _READ_TIMEOUT_MS]
            cap = cv2.VideoCapture(index, cv2.CAP_V4L2, params)
        if not cap.isOpened():
            cap.release()
            return None
        if not self._is_file:
            cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self._width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self._height)
            # Decode the newest frame, not one queued while the previous one was being decoded.
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        return cap

    def _run(self, delivery: Delivery, stopping: threading.Event) -> None:
        decoder = self._decoder_factory()
        healthy_issue = None if decoder.pyzbar_available else ScannerIssue.PYZBAR_MISSING
        backoff = Backoff()
        while not stopping.is_set():
            cap = self._open()
            if cap is None:
                issue = ScannerIssue.CAMERA_LOST if self.frames_read else ScannerIssue.CAMERA_MISSING
                self._set_status(False, issue, f"cannot open {self._source}")
                stopping.wait(backoff.next())
                continue
            backoff.reset()
            self._set_status(True, healthy_issue)
            try:
                ended = self._capture(cap, decoder, delivery, stopping)
            finally:
                cap.release()
            if ended:
                if not self._loop:
                    self._set_status(False, ScannerIssue.VIDEO_ENDED, str(self._source))
                    return
            elif not stopping.is_set():
                self._set_status(False, ScannerIssue.CAMERA_LOST, f"no frames from {self._source}")
                stopping.wait(backoff.next())

    def _capture(
        self, cap: cv2.VideoCapture, decoder: Decoder, delivery: Delivery, stopping: threading.Event
    ) -> bool:
        """Read and scan until stopped (False), the device fails (False) or a file ends (True)."""
        fps = cap.get(cv2.CAP_PROP_FPS) if self._is_file else 0.0
        if fps > 0:
            self._file_fps = fps
        frame_interval = 1.0 / fps if self._realtime and fps > 0 else 0.0
        gate = FrameGate()
        in_view: list[Decoded] = []
        failures = 0
        next_preview = next_analysis = 0.0
        next_frame = time.monotonic()
        while not stopping.is_set():
            if frame_interval:
                next_frame += frame_interval
                if stopping.wait(max(0.0, next_frame - time.monotonic())):
                    return False
            # grab() dequeues the frame; retrieve() decodes it, which is most of an idle camera's cost.
            ok = cap.grab()
            if not ok:
                if self._is_file:
                    return True
                failures += 1
                if failures >= _MAX_READ_FAILURES:
                    return False
                continue
            failures = 0
            self.frames_read += 1
            now, scan_now = time.monotonic(), self._scan_clock()
            preview_due = now >= next_preview and self._has_preview()
            if scan_now < next_analysis and not preview_due:
                continue
            ok, frame = cap.retrieve()
            if not ok or frame is None:
                continue
            if preview_due:
                next_preview = now + self._preview_interval
                self._send_preview(frame)
            if scan_now < next_analysis:
                continue
            next_analysis = scan_now + self._analyse_interval
            if self._skip_unchanged and not gate.changed(frame):
                for code in in_view:
                    delivery.still_seen(code.text)
                continue
            self.frames_analysed += 1
            in_view = decoder.decode(frame)
            for code in in_view:
                delivery.deliver(code.text, code.raw)
        return False

    def _has_preview(self) -> bool:
        with self._preview_lock:
            return self._preview is not None

    def _send_preview(self, frame: Frame) -> None:
        with self._preview_lock:
            preview = self._preview
        if preview is None:
            return
        try:
            preview(frame)
        except Exception:
            log.exception("camera preview callback failed")
