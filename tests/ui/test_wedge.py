"""The wedge filter with real key events on a real QML window: a scanner burst never reaches the text
field (it becomes one scan), typing reaches it unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QKeyEvent
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickItem, QQuickWindow

from drivers.scanning.wedge import KeyboardWedgeScanner
from kiosk.config import ScannerConfig
from kiosk.devices import ScanEvent
from ui.qt import QCoreApplication, QEvent, Qt, QUrl
from ui.wedge import install_wedge

# A text field with the in-app virtual keyboard, as on the kiosk's screens.
QML = b"""
import QtQuick
import QtQuick.VirtualKeyboard
Window {
    width: 400; height: 300; visible: true
    TextInput { objectName: "field"; focus: true; width: 400; height: 40 }
    InputPanel { y: 300; width: 400 }
}
"""


class Keys:
    """Sends press/release pairs to the window with synthetic timestamps (milliseconds)."""

    def __init__(self, window: QQuickWindow) -> None:
        self.window = window
        self.ms = 1_000

    def send(self, kind: QEvent.Type, key: int, text: str, modifiers: Qt.KeyboardModifier) -> None:
        event = QKeyEvent(kind, key, modifiers, text)
        event.setTimestamp(self.ms)
        QCoreApplication.sendEvent(self.window, event)

    def type(self, text: str, every_ms: int) -> None:
        for char in text:
            self.ms += every_ms
            upper = char.isalpha() and char.isupper()
            key = Qt.Key.Key_Return if char == "\r" else ord(char.upper())
            mods = Qt.KeyboardModifier.ShiftModifier if upper else Qt.KeyboardModifier.NoModifier
            if upper:
                self.send(QEvent.Type.KeyPress, Qt.Key.Key_Shift, "", mods)
            self.send(QEvent.Type.KeyPress, key, char, mods)
            self.send(QEvent.Type.KeyRelease, key, char, mods)
            if upper:
                self.send(QEvent.Type.KeyRelease, Qt.Key.Key_Shift, "", Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def window(qapp: Any, qtbot: Any, tmp_path: Path) -> Iterator[QQuickWindow]:
    qml = tmp_path / "Field.qml"
    qml.write_bytes(QML)
    engine = QQmlApplicationEngine()
    engine.load(QUrl.fromLocalFile(str(qml)))
    window = engine.rootObjects()[0]
    assert isinstance(window, QQuickWindow)
    window.requestActivate()
    qtbot.waitUntil(lambda: field(window).hasActiveFocus())
    yield window
    window.close()
    engine.deleteLater()


def field(window: QQuickWindow) -> QQuickItem:
    item = window.findChild(QQuickItem, "field")
    assert item is not None
    return item


def text(window: QQuickWindow) -> str:
    return str(field(window).property("text"))


@pytest.fixture
def scanner() -> Iterator[KeyboardWedgeScanner]:
    scanner = KeyboardWedgeScanner(ScannerConfig(kind="keyboard", keyboard_max_gap_ms=35))
    yield scanner
    scanner.stop()


def test_scanner_burst_becomes_a_scan_and_never_reaches_the_field(
    qapp: Any, qtbot: Any, window: QQuickWindow, scanner: KeyboardWedgeScanner
) -> None:
    events: list[ScanEvent] = []
    scanner.start(events.append)
    wedge = install_wedge(qapp, scanner)
    try:
        Keys(window).type("VOL-2024-Ab9\r", every_ms=4)
        assert [e.text for e in events] == ["VOL-2024-Ab9"]
        assert text(window) == ""
    finally:
        qapp.removeEventFilter(wedge)


def test_typing_reaches_the_field_in_order(
    qapp: Any, qtbot: Any, window: QQuickWindow, scanner: KeyboardWedgeScanner
) -> None:
    events: list[ScanEvent] = []
    scanner.start(events.append)
    wedge = install_wedge(window, scanner)
    try:
        keys = Keys(window)
        keys.type("138", every_ms=200)
        keys.type("Zhang", every_ms=150)
        # The last key is held until the gap passes without another key, then replayed.
        qtbot.waitUntil(lambda: text(window) == "138Zhang", timeout=2000)
        assert events == []
    finally:
        window.removeEventFilter(wedge)


def test_typing_then_a_scan(
    qapp: Any, qtbot: Any, window: QQuickWindow, scanner: KeyboardWedgeScanner
) -> None:
    events: list[ScanEvent] = []
    scanner.start(events.append)
    wedge = install_wedge(qapp, scanner)
    try:
        keys = Keys(window)
        keys.type("42", every_ms=250)
        keys.ms += 300
        keys.type("GIFT-77\r", every_ms=5)
        keys.ms += 300
        keys.type("1", every_ms=250)
        qtbot.waitUntil(lambda: text(window) == "421", timeout=2000)
        assert [e.text for e in events] == ["GIFT-77"]
    finally:
        qapp.removeEventFilter(wedge)


def test_burst_while_no_screen_scans_is_still_kept_out_of_the_field(
    qapp: Any, qtbot: Any, window: QQuickWindow, scanner: KeyboardWedgeScanner
) -> None:
    wedge = install_wedge(qapp, scanner)
    try:
        Keys(window).type("STRAY-123\r", every_ms=4)
        assert text(window) == ""
    finally:
        qapp.removeEventFilter(wedge)
