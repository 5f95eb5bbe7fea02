"""Routing scans to the screen that wants them, and opening the scanner only while one does.

A screen that scans claims the router when it appears and releases it when it goes; a camera is
therefore only open while a scanning screen is shown. Scans arrive from the scanner's worker thread and
are handed to the claiming view model on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from drivers.scanning import issue_of
from kiosk.devices import ScanEvent, Scanner
from ui.bridge import GuiBridge
from ui.qt import Property, QObject, Signal, Slot

log = logging.getLogger(__name__)


class ScanRouter(QObject):
    changed = Signal()

    def __init__(self, scanner: Scanner, bridge: GuiBridge) -> None:
        super().__init__()
        self._scanner = scanner
        self._bridge = bridge
        self._handlers: dict[str, Callable[[str], None]] = {}
        # Claims in the order screens made them: a screen pushed over another scanning screen takes
        # the scans, and when it goes the one below gets them back.
        self._claims: list[str] = []

    def register(self, consumer: str, handler: Callable[[str], None]) -> None:
        self._handlers[consumer] = handler

    @property
    def _claimed(self) -> str:
        return self._claims[-1] if self._claims else ""

    @Property(str, notify=changed)
    def claimedBy(self) -> str:
        return self._claimed

    @Property(str, notify=changed)
    def issue(self) -> str:
        """Why scanning does not work right now ("" when it does): a drivers.scanning issue code."""
        status = self._scanner.status()
        found = issue_of(status)
        return "" if status.available else (found.value if found else "unavailable")

    @Slot(str)
    def claim(self, consumer: str) -> None:
        """A screen that scans appeared; pair every claim with a release when it goes."""
        if consumer not in self._handlers:
            return
        if not self._claims:
            self._scanner.start(self._bridge.wrap(self._deliver))
        self._claims.append(consumer)
        self.changed.emit()

    @Slot(str)
    def release(self, consumer: str) -> None:
        if consumer not in self._claims:
            return
        del self._claims[len(self._claims) - 1 - self._claims[::-1].index(consumer)]
        if not self._claims:
            self._scanner.stop()
        self.changed.emit()

    def _deliver(self, event: ScanEvent) -> None:
        handler = self._handlers.get(self._claimed)
        if handler is None:
            log.info("scan ignored: no screen is scanning")
            return
        handler(event.text)
