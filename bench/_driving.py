"""Driving the real application offscreen from a bench, the way the UI tests do, for long runs."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer


def wait_until(done: Callable[[], bool], timeout_s: float = 15.0, every_ms: int = 0) -> None:
    """Run the event loop until ``done()``, asked every ``every_ms``; RuntimeError after ``timeout_s``.

    An event loop with a timer, not processEvents(): PySide6 6.12's processEvents binding drops a
    reference to None per call and Python 3.11 aborts after ~10^5.
    """
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(every_ms)
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
    """What the UI tests' click helpers need of pytest-qt's ``qtbot``, so a bench reuses them.

    Asked every 10 ms, as qtbot does: some PySide6 6.12 getters the checks call leak a reference to
    True or False per call, which a zero-interval loop over thousands of cycles turns into an abort.
    """

    def waitUntil(self, done: Callable[[], object], timeout: int = 5000) -> None:  # qtbot spells it so
        wait_until(lambda: bool(done()), timeout / 1000, every_ms=10)
