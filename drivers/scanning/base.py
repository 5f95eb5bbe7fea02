"""What every scanner shares: normalised, de-duplicated delivery, a stoppable worker thread with
reconnect back-off, and status codes the UI translates."""

from __future__ import annotations

import abc
import enum
import logging
import threading
import time
from collections.abc import Callable

from kiosk.devices import ScanCallback, ScanEvent, ScannerStatus, ScanSource

log = logging.getLogger(__name__)

# A worker that does not notice its stop flag within this long is abandoned (daemon thread) and logged.
JOIN_TIMEOUT_S = 3.0


class ScannerIssue(enum.StrEnum):
    """Stable codes at the start of ``ScannerStatus.detail`` (``"<code>"`` or ``"<code>: <english>"``);
    the UI maps the code to translated text."""

    NOT_CONFIGURED = "not_configured"
    CAMERA_MISSING = "camera_missing"
    CAMERA_LOST = "camera_lost"
    VIDEO_ENDED = "video_ended"
    SERIAL_MISSING = "serial_missing"
    SERIAL_LOST = "serial_lost"
    EVDEV_MISSING = "evdev_missing"
    LIBRARY_MISSING = "library_missing"
    # Scanning works, but libzbar is absent so hard frames get one decoder fewer.
    PYZBAR_MISSING = "pyzbar_missing"
    WORKER_FAILED = "worker_failed"


def issue_status(available: bool, issue: ScannerIssue | None, detail: str = "") -> ScannerStatus:
    if issue is None:
        return ScannerStatus(available=available, detail=detail)
    return ScannerStatus(available=available, detail=f"{issue.value}: {detail}" if detail else issue.value)


def issue_of(status: ScannerStatus) -> ScannerIssue | None:
    """The stable code in a status, for the UI's message table."""
    code = status.detail.split(":", 1)[0].strip()
    try:
        return ScannerIssue(code)
    except ValueError:
        return None


class Delivery:
    """Turns raw reads into :class:`ScanEvent` s: strips CR/LF, drops empty reads, and delivers the same
    code once while it keeps being read — a repeat within ``dedup_window_s`` of the previous read of
    that code is suppressed (and extends the window), a different code passes at once. Each code has
    its own window, so two codes in one camera frame do not take turns being new."""

    def __init__(
        self,
        on_scan: ScanCallback,
        source: ScanSource,
        dedup_window_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``clock`` times the de-duplication window (a video file's own timeline when it is played
        faster than real time); events are always stamped with :func:`time.monotonic`."""
        self._on_scan = on_scan
        self._source = source
        self._window = dedup_window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._last_seen: dict[str, float] = {}

    def deliver(self, text: str, raw: bytes) -> ScanEvent | None:
        text = text.strip("\r\n")
        raw = raw.strip(b"\r\n")
        if not text:
            return None
        with self._lock:
            now = self._clock()
            self._last_seen = {t: at for t, at in self._last_seen.items() if now - at <= self._window}
            repeat = text in self._last_seen
            self._last_seen[text] = now
        if repeat:
            return None
        event = ScanEvent(text=text, raw=raw, source=self._source, at=time.monotonic())
        try:
            self._on_scan(event)
        except Exception:
            # A failing consumer must not kill the device thread; the next scan still arrives.
            log.exception("scan callback failed for %r", text)
        return event

    def still_seen(self, text: str) -> None:
        """The code is still in front of the scanner (an unchanged camera frame): keep suppressing it."""
        with self._lock:
            if text in self._last_seen:
                self._last_seen[text] = self._clock()


class Backoff:
    """Reconnect delays: 0.2 s doubling to ``ceiling`` s, reset after a success."""

    def __init__(self, first: float = 0.2, ceiling: float = 5.0) -> None:
        self._first = first
        self._ceiling = ceiling
        self._next = first

    def next(self) -> float:
        delay = self._next
        self._next = min(self._next * 2, self._ceiling)
        return delay

    def reset(self) -> None:
        self._next = self._first


class ThreadedScanner(abc.ABC):
    """Start/stop plumbing for scanners that read on a worker thread. Subclasses implement :meth:`_run`,
    which must return soon after ``self._stopping`` is set."""

    name: str
    source: ScanSource

    def __init__(self, name: str, source: ScanSource, dedup_window_s: float) -> None:
        self.name = name
        self.source = source
        self._dedup_window_s = dedup_window_s
        self._control = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._status_lock = threading.Lock()
        self._status = ScannerStatus(available=True)

    def start(self, on_scan: ScanCallback) -> None:
        with self._control:
            if self._thread is not None and self._thread.is_alive():
                raise RuntimeError(f"scanner {self.name} already started")
            self._stopping = threading.Event()
            delivery = Delivery(on_scan, self.source, self._dedup_window_s, self._scan_clock)
            self._thread = threading.Thread(
                target=self._guarded_run,
                args=(delivery, self._stopping),
                name=f"scan-{self.name}",
                daemon=True,
            )
            self._thread.start()

    def stop(self) -> None:
        with self._control:
            thread, self._thread = self._thread, None
            self._stopping.set()
            if thread is None:
                return
            thread.join(JOIN_TIMEOUT_S)
            if thread.is_alive():
                log.error("scanner %s worker did not stop within %.1f s", self.name, JOIN_TIMEOUT_S)

    def wait(self, timeout: float) -> bool:
        """Wait for the worker to end by itself (a video file played to its end); True if it has."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def status(self) -> ScannerStatus:
        with self._status_lock:
            return self._status

    def _scan_clock(self) -> float:
        """The clock that times scans (de-duplication); wall time except for files played fast."""
        return time.monotonic()

    def _set_status(self, available: bool, issue: ScannerIssue | None = None, detail: str = "") -> None:
        with self._status_lock:
            self._status = issue_status(available, issue, detail)

    def _guarded_run(self, delivery: Delivery, stopping: threading.Event) -> None:
        try:
            self._run(delivery, stopping)
        except Exception:
            log.exception("scanner %s worker crashed", self.name)
            self._set_status(False, ScannerIssue.WORKER_FAILED)

    @abc.abstractmethod
    def _run(self, delivery: Delivery, stopping: threading.Event) -> None: ...
