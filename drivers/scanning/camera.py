"""Camera scanner: OpenCV capture on a worker thread, the decoding pipeline, reconnect after unplug.

A video file path as the source plays the file through the same pipeline (the simulated camera).

What an idle camera costs is mostly JPEG decoding: USB cameras send MJPG, and most of the time nothing
in view changes. So frames are taken from the capture as the camera's JPEG bytes where the backend
allows it (V4L2 without conversion, FFmpeg's raw packets); the unchanged-frame test decodes them at an
eighth of their size in grey (libjpeg skips most of the work), a frame that changed is decoded in
grey for the decoder, and only preview frames in colour. While nothing has changed for a few seconds
the view is looked at less often.
"""

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
# After this long without a change the view is looked at idle_fps times a second instead of analyse_fps:
# a code coming into view is then noticed within 1/idle_fps s, and decoded from the next frame on.
_IDLE_AFTER_S = 2.0
_JPEG_START = b"\xff\xd8"
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
        """``frame``: any size, BGR or grey (a reduced decode of the camera's JPEG is cheapest)."""
        # Shrinking before converting to grey costs half as much as the other way round on 720p.
        small = to_gray(cv2.resize(frame, _SMALL, interpolation=cv2.INTER_AREA))
        reference = self._reference
        if reference is not None:
            delta = cv2.absdiff(small, reference)
            if np.count_nonzero(delta > _PIXEL_DELTA) < _CHANGED_SHARE * delta.size:
                return False
        self._reference = small
        return True


class CapturedFrame:
    """One retrieved frame, decoded only as far as it is used: from the camera's JPEG bytes when the
    capture hands them over (``jpeg``), else from the BGR image it decoded itself."""

    def __init__(self, data: Frame, jpeg: bool) -> None:
        self._data = data
        self._jpeg = jpeg
        self._bgr: Frame | None = None if jpeg else data

    def bgr(self) -> Frame | None:
        if self._bgr is None:
            self._bgr = cv2.imdecode(self._data, cv2.IMREAD_COLOR)
        return self._bgr

    def gray(self) -> Frame | None:
        if self._jpeg and self._bgr is None:
            return cv2.imdecode(self._data, cv2.IMREAD_GRAYSCALE)
        bgr = self.bgr()
        return None if bgr is None else to_gray(bgr)

    def small_gray(self) -> Frame | None:
        """A grey copy at an eighth of the size (or the full frame, which the gate shrinks itself)."""
        if self._jpeg and self._bgr is None:
            return cv2.imdecode(self._data, cv2.IMREAD_REDUCED_GRAYSCALE_8)
        return self.bgr()


def _ask_for_jpeg(cap: cv2.VideoCapture, is_file: bool) -> bool:
    """Ask the capture to hand over the camera's JPEG bytes instead of decoding them itself: only for an
    MJPG stream (FFmpeg cannot be switched back once it hands over raw packets)."""
    if int(cap.get(cv2.CAP_PROP_FOURCC)).to_bytes(4, "little").upper() != b"MJPG":
        return False
    if is_file:
        return bool(cap.set(cv2.CAP_PROP_FORMAT, -1))  # FFmpeg: the raw packets of the stream
    return bool(cap.set(cv2.CAP_PROP_CONVERT_RGB, 0))  # V4L2: the MJPG buffer as delivered


def _is_jpeg(data: Frame) -> bool:
    return data.ndim == 2 and data.shape[0] == 1 and data.dtype == np.uint8 and data[0, :2].tobytes() == _JPEG_START


class CameraScanner(ThreadedScanner):
    """Scans codes from a camera (index or device path) or a video file.

    ``start`` opens the device and ``stop`` releases it, so the camera is only on while a screen scans.
    Preview frames (numpy BGR arrays, not reused by the scanner) go to the callback set with
    :meth:`set_preview`, at most ``preview_fps`` per second, from the worker thread. Every frame is
    taken from the device so the view stays current, but at most ``analyse_fps`` are looked at —
    plenty for a code held up to the camera — and ``idle_fps`` once nothing has changed for a while.

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
        idle_fps: float = 5.0,
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
        self._idle_interval = max(self._analyse_interval, 1.0 / idle_fps)
        self._linear_wanted = False
        self._decoder: Decoder | None = None
        self._decoder_factory = decoder_factory
        self._skip_unchanged = skip_unchanged
        self._preview_lock = threading.Lock()
        self._preview: PreviewCallback | None = None
        self.frames_read = 0
        self._file_fps = 30.0
        # Frames compared with the last analysed one, and frames decoded (for benchmarks and tests);
        # whether the capture hands over the camera's JPEG bytes.
        self.frames_looked_at = 0
        self.frames_analysed = 0
        self.jpeg_input = False

    def set_preview(self, callback: PreviewCallback | None) -> None:
        with self._preview_lock:
            self._preview = callback

    def want_linear(self, wanted: bool) -> None:
        """A screen that accepts Code 128 / EAN-13 is showing: look for them on every frame, not only
        on some (see :class:`~drivers.scanning.decode.Decoder`)."""
        self._linear_wanted = wanted
        decoder = self._decoder
        if decoder is not None:
            decoder.want_linear(wanted)

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
        decoder.want_linear(self._linear_wanted)
        self._decoder = decoder
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
        jpeg = self.jpeg_input = _ask_for_jpeg(cap, self._is_file)
        gate = FrameGate()
        in_view: list[Decoded] = []
        failures = 0
        next_preview = next_analysis = 0.0
        last_change = self._scan_clock()
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
            ok, data = cap.retrieve()
            if not ok or data is None:
                continue
            if jpeg and not _is_jpeg(data):
                # The device sends something else (YUYV): let the capture convert from now on.
                jpeg = self.jpeg_input = False
                cap.set(cv2.CAP_PROP_CONVERT_RGB, 1)
                continue
            frame = CapturedFrame(data, jpeg)
            if preview_due:
                next_preview = now + self._preview_interval
                preview = frame.bgr()
                if preview is not None:
                    self._send_preview(preview)
            if scan_now < next_analysis:
                continue
            idle = scan_now - last_change >= _IDLE_AFTER_S
            next_analysis = scan_now + (self._idle_interval if idle else self._analyse_interval)
            self.frames_looked_at += 1
            if self._skip_unchanged:
                small = frame.small_gray()
                if small is None:
                    continue  # a corrupt JPEG: the next frame will do
                if not gate.changed(small):
                    for code in in_view:
                        delivery.still_seen(code.text)
                    continue
            last_change = scan_now
            gray = frame.gray()
            if gray is None:
                continue
            self.frames_analysed += 1
            in_view = decoder.decode(gray)
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
