"""Feeds the systemd watchdog from a timer on the GUI thread.

The timer runs on the event loop, so a frozen loop (a slot stuck on a dead device, a deadlock) stops
the pings and systemd restarts the app. Never move this to a worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.watchdog import Watchdog
from ui.qt import QObject, Qt, QTimer


def start_watchdog_timer(watchdog: Watchdog, parent: QObject) -> QTimer | None:
    """Ping now and every ``watchdog.interval_s`` from the calling (GUI) thread; None if unarmed.

    The timer is a child of ``parent`` and stops with it.
    """
    if watchdog.interval_s is None:
        return None
    timer = QTimer(parent)
    timer.setTimerType(Qt.TimerType.PreciseTimer)  # coarse timers may fire 5 % late; keep the margin
    timer.setInterval(max(1, int(watchdog.interval_s * 1000)))
    timer.timeout.connect(watchdog.ping)
    timer.start()
    watchdog.ping()
    return timer


def attach_watchdog(parent: QObject, status: str = "running", env: Mapping[str, str] | None = None) -> Watchdog:
    """Call once the main window is up: starts the pings and tells systemd the app is ready.

    Under ``Type=notify`` systemd waits for READY=1 (``TimeoutStartSec``) and restarts an app that
    never sends it; outside systemd this does nothing. Call ``stopping()`` and ``close()`` on the
    result at shutdown.
    """
    watchdog = Watchdog(env)
    start_watchdog_timer(watchdog, parent)
    watchdog.ready(status)
    return watchdog
