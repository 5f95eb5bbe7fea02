"""Keeps keyboard-wedge scans out of text fields and the input method.

A Qt event filter for the application or a window: it feeds key presses to the Qt-free
:class:`drivers.scanning.wedge.BurstDetector`, holds keys back while it is undecided (at most
``keyboard_max_gap_ms`` after the last key), swallows the keys of a scanner burst and hands the code to
the scanner, and replays held keys to their window, in order, when it was a person typing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QKeyEvent, QWindow

from drivers.scanning.wedge import BurstDetector, KeyboardWedgeScanner, Outcome, Verdict, detector_for
from ui.qt import QCoreApplication, QEvent, QObject, Qt, QTimer

# A code's key whose release has not shown up by then never will (focus moved): stop waiting for it.
_RELEASE_WAIT_S = 1.0
# Scanners press Shift around capitals; modifiers pass through untouched and never end a burst.
_MODIFIERS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
    }
)
_KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)


@dataclass(eq=False)  # identity: the same key pressed twice is two held keys
class HeldKey:
    """A key press kept back, with its release if that arrived while it was held."""

    target: QObject
    press: QKeyEvent
    at: float
    release: QKeyEvent | None = None
    # Part of a recognised code: its late release is swallowed too.
    eaten: bool = False

    def same_key(self, event: QKeyEvent) -> bool:
        return self.press.key() == event.key() and self.press.nativeScanCode() == event.nativeScanCode()


def _char(event: QKeyEvent) -> str:
    """The text a key types if it can be part of a code ("" for arrows, Backspace, F-keys …)."""
    text = event.text()
    if len(text) == 1 and (text.isprintable() or text in "\r\n\t"):
        return text
    return ""


def _seconds(event: QKeyEvent) -> float:
    # The platform stamps key events when they happen, so queued events keep their real spacing.
    stamp = event.timestamp()
    return stamp / 1000.0 if stamp else time.monotonic()


class WedgeFilter(QObject):
    """Install with ``app.installEventFilter(f)`` or ``window.installEventFilter(f)``. Only key events
    addressed to windows are examined: the window's own delivery to its focus item follows from them."""

    def __init__(
        self,
        detector: BurstDetector[HeldKey],
        on_code: Callable[[str], object],
        gap_ms: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._detector = detector
        self._on_code = on_code
        self._awaiting_release: list[HeldKey] = []
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # One millisecond past the gap, so the detector sees the gap as exceeded.
        self._timer.setInterval(gap_ms + 1)
        self._timer.timeout.connect(self._on_timeout)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() not in _KEY_EVENTS or not isinstance(watched, QWindow):
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() in _MODIFIERS:
            return False
        if event.type() == QEvent.Type.KeyRelease:
            return self._on_release(event)
        now = _seconds(event)
        self._awaiting_release = [
            h for h in self._awaiting_release if not (h.eaten and now - h.at > _RELEASE_WAIT_S)
        ]
        held = HeldKey(watched, event.clone(), now)
        # A held-down key is a person; scanners never auto-repeat.
        char = "" if event.isAutoRepeat() else _char(event)
        outcome = self._detector.key(char, now, held)
        if outcome.verdict is not Verdict.PASS:
            held.eaten = outcome.verdict is Verdict.DROP
            self._awaiting_release.append(held)
        self._apply(outcome)
        if self._detector.holding:
            self._timer.start()
        return outcome.verdict is not Verdict.PASS

    def _on_release(self, event: QKeyEvent) -> bool:
        for held in self._awaiting_release:
            if held.same_key(event) and held.release is None:
                self._awaiting_release.remove(held)
                if held.eaten:
                    return True
                held.release = event.clone()
                return True
        return False

    def _on_timeout(self) -> None:
        deadline = self._detector.deadline()
        if deadline is not None:
            self._apply(self._detector.timeout(deadline))

    def _apply(self, outcome: Outcome[HeldKey]) -> None:
        if outcome.code is not None:
            for held in self._awaiting_release:
                held.eaten = True
            self._on_code(outcome.code)
        for held in outcome.released:
            self._replay(held)

    def _replay(self, held: HeldKey) -> None:
        if held in self._awaiting_release:
            # Its release has not come yet: let the real one through when it does.
            self._awaiting_release.remove(held)
        self._replaying = True
        try:
            QCoreApplication.sendEvent(held.target, held.press)
            if held.release is not None:
                QCoreApplication.sendEvent(held.target, held.release)
        finally:
            self._replaying = False


def install_wedge(target: QObject, scanner: KeyboardWedgeScanner) -> WedgeFilter:
    """Filter ``target``'s key events (the QGuiApplication, or a QQuickWindow) for ``scanner``'s
    bursts for as long as the kiosk runs — also with an evdev grab, which holds only while a screen
    scans. Remove with ``target.removeEventFilter(filter)``."""
    cfg = scanner.cfg
    wedge = WedgeFilter(detector_for(cfg), scanner.submit, cfg.keyboard_max_gap_ms, parent=target)
    target.installEventFilter(wedge)
    return wedge
