"""Screen navigation as a Python object, so flows and tests drive the same stack the screens do."""

from __future__ import annotations

from typing import Any

from ui.qt import QObject, Signal, Slot


class Navigator(QObject):
    pushRequested = Signal(str, dict)
    replaceRequested = Signal(str, dict)
    backRequested = Signal()
    homeRequested = Signal()

    @Slot(str)
    @Slot(str, "QVariantMap")
    def push(self, screen: str, props: dict[str, Any] | None = None) -> None:
        self.pushRequested.emit(screen, props or {})

    @Slot(str, "QVariantMap")
    def replace(self, screen: str, props: dict[str, Any] | None = None) -> None:
        self.replaceRequested.emit(screen, props or {})

    @Slot()
    def back(self) -> None:
        self.backRequested.emit()

    @Slot()
    def home(self) -> None:
        self.homeRequested.emit()
