"""The single way from a worker thread back onto the GUI thread.

Drivers and the sync engine report from their own threads; they are handed ``bridge.post`` (or a
callback wrapped by :meth:`GuiBridge.wrap`) and never touch a QObject themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ui.qt import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)


class GuiBridge(QObject):
    _call = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Queued: the slot runs in this object's (the GUI) thread whatever thread emits.
        self._call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def post(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the GUI thread soon; safe to call from any thread."""
        self._call.emit(fn)

    def wrap(self, fn: Callable[..., None]) -> Callable[..., None]:
        """A callback for a worker thread that runs ``fn(*args)`` on the GUI thread."""

        def posted(*args: Any) -> None:
            self.post(lambda: fn(*args))

        return posted

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:  # a failing callback must not take the event loop down
            log.exception("GUI callback failed")
