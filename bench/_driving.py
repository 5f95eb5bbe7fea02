"""Driving the real application offscreen from a bench, the way the UI tests do, for long runs."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer


def wait_until(done: Callable[[], bool], timeout_s: float = 15.0) -> None:
    """Run the event loop until ``done()``; RuntimeError after ``timeout_s``.

    An event loop with a zero-interval check, not processEvents(): PySide6 6.12's processEvents
    binding drops a reference to None per call and Python 3.11 aborts after ~10^5.
    """
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(0)
    reached = [False]  # asked once per turn: some checks remember what they saw (a click's "settled")

    def check() -> None:
        reached[0] = done()
        if reached[0] or time.monotonic() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not reached[0]:
        raise RuntimeError("the kiosk did not get there in time")


class Bot:
    """What the UI tests' click helpers need of pytest-qt's ``qtbot``, so a bench reuses them."""

    def waitUntil(self, done: Callable[[], object], timeout: int = 5000) -> None:  # qtbot spells it so
        wait_until(lambda: bool(done()), timeout / 1000)
