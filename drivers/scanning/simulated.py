"""The simulated scanner: codes injected by the demo (a user "scans" a sample QR by clicking it) or
the tests, or read from a text file. A simulated *camera* is :class:`CameraScanner` on a video file."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from drivers.scanning.base import Delivery, ThreadedScanner
from kiosk.devices import ScanSource

_POLL_S = 0.1


def read_codes_file(path: Path) -> list[str]:
    """One code per line (UTF-8, else GB18030); blank lines are skipped."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return [line for line in text.splitlines() if line.strip()]


class SimulatedScanner(ThreadedScanner):
    """Delivers codes from :meth:`inject` and, after ``start``, the lines of ``codes_file`` one every
    ``interval_s``. Events arrive on the worker thread, like a real scanner's."""

    def __init__(
        self,
        *,
        codes_file: Path | None = None,
        interval_s: float = 1.0,
        dedup_window_s: float = 2.0,
        name: str = "simulated",
    ) -> None:
        super().__init__(name, ScanSource.SIMULATED, dedup_window_s)
        self._codes_file = codes_file
        self._interval = interval_s
        self._queue: queue.Queue[str] = queue.Queue()

    def inject(self, text: str) -> None:
        """Scan ``text`` as if a code holding it was shown. Ignored while stopped, as a real scanner's
        reads are when no screen is scanning."""
        if self.running:
            self._queue.put(text)

    def _run(self, delivery: Delivery, stopping: threading.Event) -> None:
        pending = read_codes_file(self._codes_file) if self._codes_file is not None else []
        while not stopping.is_set():
            if pending:
                code = pending.pop(0)
                delivery.deliver(code, code.encode("utf-8"))
                if stopping.wait(self._interval):
                    return
            try:
                text = self._queue.get(timeout=_POLL_S)
            except queue.Empty:
                continue
            delivery.deliver(text, text.encode("utf-8"))
