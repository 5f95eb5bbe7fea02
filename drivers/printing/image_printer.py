"""The image printer: receipts as PNG files at the paper's dot width, for the demo, the tests and the
on-screen preview. Same layout and painter as the raster path of the ESC/POS printer."""

from __future__ import annotations

import io
import itertools
import os
import threading
import time
from pathlib import Path

from drivers.printing.layout import layout
from drivers.printing.raster import Painter
from kiosk.devices import PaperState, PrinterError, PrinterErrorKind, PrinterStatus
from kiosk.receipt import Receipt


class ImagePrinter:
    """Implements :class:`kiosk.devices.Printer`; "paper" is the output directory being writable.

    Only the newest ``keep`` receipts are kept, so a demo kiosk left running does not fill its disk.
    """

    def __init__(self, painter: Painter, directory: Path, *, keep: int = 500) -> None:
        self.painter = painter
        self.directory = directory
        self.keep = keep
        self.name = f"image {directory}"
        self.dots_per_line = painter.dots
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self._last_path: Path | None = None
        self._last_png: bytes | None = None

    def status(self) -> PrinterStatus:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return PrinterStatus(online=False, paper=PaperState.UNKNOWN, error=True, detail=str(exc))
        if not os.access(self.directory, os.W_OK):
            return PrinterStatus(online=True, paper=PaperState.UNKNOWN, error=True, detail="not writable")
        return PrinterStatus(online=True, paper=PaperState.OK)

    def render_png(self, receipt: Receipt) -> bytes:
        buf = io.BytesIO()
        self.painter.render(layout(receipt, self.painter.dots)).convert("1").save(buf, "PNG", optimize=True)
        return buf.getvalue()

    def print_receipt(self, receipt: Receipt) -> None:
        png = self.render_png(receipt)
        with self._lock:
            name = f"receipt-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{next(self._counter):04d}.png"
            path = self.directory / name
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(png)
                tmp.replace(path)
            except OSError as exc:
                raise PrinterError(PrinterErrorKind.HARDWARE, f"cannot write {path}: {exc}") from exc
            self._last_path, self._last_png = path, png
            self._prune()

    def _prune(self) -> None:
        # Names start with the time and end with a per-process counter, so name order is age order.
        files = sorted(self.directory.glob("receipt-*.png"))
        for stale in files[: max(len(files) - self.keep, 0)]:
            stale.unlink(missing_ok=True)

    @property
    def last_path(self) -> Path | None:
        """The PNG written by the last successful print (for the on-screen preview)."""
        with self._lock:
            return self._last_path

    @property
    def last_png(self) -> bytes | None:
        with self._lock:
            return self._last_png

    def close(self) -> None:
        pass
