"""The GUI-thread QTimer feeds the systemd watchdog, and a blocked Qt event loop stops it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from kiosk.watchdog import Watchdog
from tests.kiosk.test_watchdog import FakeSystemd
from ui.qt import QObject, QTimer
from ui.watchdog import attach_watchdog, start_watchdog_timer


def test_unarmed_watchdog_starts_no_timer(qapp: Any) -> None:
    parent = QObject()
    assert start_watchdog_timer(Watchdog({}), parent) is None


def test_attach_announces_ready_and_starts_pinging(qapp: Any, qtbot: Any, tmp_path: Path) -> None:
    systemd = FakeSystemd(str(tmp_path / "notify"))
    parent = QObject()
    try:
        dog = attach_watchdog(parent, "ordering kiosk up", systemd.env(watchdog_usec=100_000))
        assert systemd.recv() == {"WATCHDOG": "1"}
        assert systemd.recv() == {"READY": "1", "STATUS": "ordering kiosk up"}
        qtbot.waitUntil(lambda: systemd.recv(timeout=0.5) == {"WATCHDOG": "1"}, timeout=3000)
        dog.stopping()
        dog.close()
    finally:
        for timer in parent.findChildren(QTimer):
            timer.stop()
        parent.deleteLater()
        systemd.close()


def test_blocked_event_loop_stops_the_pings_and_a_free_one_resumes_them(
    qapp: Any, qtbot: Any, tmp_path: Path
) -> None:
    systemd = FakeSystemd(str(tmp_path / "notify"))
    dog = Watchdog(systemd.env(watchdog_usec=100_000))  # every 50 ms
    parent = QObject()
    blocking, released = threading.Event(), threading.Event()
    try:
        timer = start_watchdog_timer(dog, parent)
        assert timer is not None and timer.interval() == 50 and timer.isActive()
        assert systemd.recv() == {"WATCHDOG": "1"}  # the immediate ping

        pings: list[dict[str, str]] = []
        silent: list[bool] = []

        def listen() -> None:
            while len(pings) < 3:
                message = systemd.recv()
                if message is None:
                    return
                pings.append(message)
            silent.append(systemd.silent_while(blocking, silence_s=0.3))
            released.set()

        listener = threading.Thread(target=listen)
        listener.start()
        qtbot.waitUntil(lambda: len(pings) >= 3, timeout=3000)

        def freeze() -> None:  # a slot that never returns on its own
            blocking.set()
            released.wait(10)

        QTimer.singleShot(0, freeze)
        qtbot.waitUntil(released.is_set, timeout=12000)
        listener.join(timeout=5)
        assert silent == [True]
        assert pings == [{"WATCHDOG": "1"}] * 3

        # The loop runs again: the pings come back.
        qtbot.waitUntil(lambda: systemd.recv(timeout=0.5) == {"WATCHDOG": "1"}, timeout=3000)
        timer.stop()
    finally:
        released.set()
        parent.deleteLater()
        dog.close()
        systemd.close()
