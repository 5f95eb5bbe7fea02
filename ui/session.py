"""Shell state shown on every screen, the per-resident session, and the idle timeout.

Anything that holds what a resident typed registers with :class:`ResidentSession`; ``reset`` (end of an
order, "home", idle timeout) clears all of it so nothing is shown to the next person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.config import KioskConfig
from ui.qt import Property, QEvent, QObject, QTimer, Signal, Slot

USER_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class ResidentSession:
    def __init__(self) -> None:
        self._clearers: list[Callable[[], None]] = []

    def register(self, clear: Callable[[], None]) -> None:
        self._clearers.append(clear)

    def reset(self) -> None:
        for clear in self._clearers:
            clear()


class ShellModel(QObject):
    """Station identity, language, elderly mode and the status strip."""

    changed = Signal()
    languageChanged = Signal()
    statusChanged = Signal()
    sessionReset = Signal()

    def __init__(self, config: KioskConfig, session: ResidentSession, version: str,
                 set_language: Callable[[str], None]) -> None:
        super().__init__()
        self._config = config
        self._session = session
        self._version = version
        self._set_language_hook = set_language
        self._language: str = config.ui.language
        self._elderly = config.ui.elderly_mode
        self._cloud = "unknown"
        self._printer = "unknown"
        self._scanner = "unknown"

    # identity
    @Property(str, notify=changed)
    def stationName(self) -> str:
        return self._config.station.name

    @Property(str, notify=changed)
    def role(self) -> str:
        return self._config.station.role

    @Property(str, constant=True)
    def version(self) -> str:
        return self._version

    @Property(int, constant=True)
    def doneScreenSeconds(self) -> int:
        return self._config.ui.done_screen_s

    # language and elderly mode
    @Property(str, notify=languageChanged)
    def language(self) -> str:
        return self._language

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        if language not in ("zh_CN", "en") or language == self._language:
            return
        self._language = language
        self._set_language_hook(language)
        self.languageChanged.emit()

    @Property(bool, notify=changed)
    def elderlyMode(self) -> bool:
        return self._elderly

    @Slot(bool)
    def setElderlyMode(self, on: bool) -> None:
        if on != self._elderly:
            self._elderly = on
            self.changed.emit()

    @Slot("QVariant", result=str)
    def pick(self, text: Any) -> str:
        """The current language's entry of a multilingual ``{"zh_CN": …, "en": …}`` object."""
        if isinstance(text, dict):
            return str(text.get(self._language) or text.get("zh_CN") or next(iter(text.values()), ""))
        return "" if text is None else str(text)

    # status strip (fed by the sync engine and the drivers through the GUI bridge)
    @Property(str, notify=statusChanged)
    def cloudState(self) -> str:
        return self._cloud

    @Property(str, notify=statusChanged)
    def printerState(self) -> str:
        return self._printer

    @Property(str, notify=statusChanged)
    def scannerState(self) -> str:
        return self._scanner

    def printer_state(self) -> str:
        return self._printer

    def set_status(self, *, cloud: str | None = None, printer: str | None = None,
                   scanner: str | None = None) -> None:
        self._cloud = cloud or self._cloud
        self._printer = printer or self._printer
        self._scanner = scanner or self._scanner
        self.statusChanged.emit()

    @Slot()
    def resetSession(self) -> None:
        """Back to a clean start: personal data cleared, default language and elderly mode."""
        self._session.reset()
        self.setLanguage(self._config.ui.language)
        self.setElderlyMode(self._config.ui.elderly_mode)
        self.sessionReset.emit()


class IdleMonitor(QObject):
    """Counts time since the last touch; warns with a countdown, then asks the shell to reset.

    Installed as an application-wide event filter, so every touch, click or key anywhere counts.
    """

    changed = Signal()
    timedOut = Signal()

    def __init__(self, timeout_s: int, warning_s: int) -> None:
        super().__init__()
        self._timeout_ms = timeout_s * 1000
        self._warning_s = warning_s
        self._active = False
        self._seconds_left = 0
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._start_warning)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)

    def configure(self, timeout_s: int, warning_s: int) -> None:
        self._timeout_ms = timeout_s * 1000
        self._warning_s = warning_s
        self._restart()

    @Property(bool, notify=changed)
    def active(self) -> bool:
        return self._active

    @active.setter  # type: ignore[no-redef]
    def active(self, on: bool) -> None:
        if on == self._active:
            return
        self._active = on
        self._restart()
        self.changed.emit()

    @Property(bool, notify=changed)
    def warning(self) -> bool:
        return self._tick.isActive()

    @Property(int, notify=changed)
    def secondsLeft(self) -> int:
        return self._seconds_left

    @Property(int, notify=changed)
    def warningSeconds(self) -> int:
        return self._warning_s

    @Slot()
    def stillHere(self) -> None:
        self._restart()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._active and event.type() in USER_INPUT_EVENTS:
            self._restart()
        return False

    def _restart(self) -> None:
        was_warning = self._tick.isActive()
        self._tick.stop()
        self._idle.stop()
        if self._active:
            self._idle.start(self._timeout_ms)
        if was_warning:
            self.changed.emit()

    def _start_warning(self) -> None:
        self._seconds_left = self._warning_s
        self._tick.start()
        self.changed.emit()

    def _count_down(self) -> None:
        self._seconds_left -= 1
        if self._seconds_left <= 0:
            self._tick.stop()
            self.changed.emit()
            self.timedOut.emit()
            return
        self.changed.emit()
