"""The systemd notify protocol (``sd_notify``) in pure Python, and the watchdog the UI keeps fed.

systemd passes ``NOTIFY_SOCKET`` (a path, or ``@name`` for the abstract namespace) to a ``Type=notify``
service; the service sends datagrams of ``KEY=value`` lines: ``READY=1`` once it can serve,
``STATUS=…`` for ``systemctl status``, ``WATCHDOG=1`` at least every ``WATCHDOG_USEC`` microseconds, and
``STOPPING=1`` on the way out. A missed ping makes systemd kill the service and ``Restart=always``
starts it again.

The pings must come from a timer on the GUI thread (see ``ui/watchdog.py``): if the event loop freezes,
the pings stop and systemd restarts the app. Pinging from a worker thread would keep a frozen screen
alive forever.

Without ``NOTIFY_SOCKET`` (a developer's desktop, the demo, tests) every call is a cheap no-op.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Mapping

log = logging.getLogger(__name__)


def notify_address(value: str) -> str | bytes | None:
    """The ``sendto`` address for a ``NOTIFY_SOCKET`` value; None when it is unusable here.

    ``@name`` is Linux's abstract namespace: a leading NUL byte instead of the ``@``.
    """
    if value.startswith("/"):
        return value
    if value.startswith("@") and len(value) > 1:
        return b"\0" + value[1:].encode()
    return None  # e.g. vsock: addresses, which a kiosk never gets


def watchdog_interval(env: Mapping[str, str], pid: int, ppid: int) -> float | None:
    """Seconds between pings (half of ``WATCHDOG_USEC``, as systemd recommends), or None if unarmed.

    ``WATCHDOG_PID`` names the process systemd expects pings from. Under ``cage -- kiosk run`` that is
    cage, our parent, so the parent counts too (the unit sets ``NotifyAccess=all``); any deeper
    descendant that merely inherited the environment must stay quiet.
    """
    raw = env.get("WATCHDOG_USEC", "")
    try:
        usec = int(raw)
    except ValueError:
        return None
    if usec <= 0:
        return None
    owner = env.get("WATCHDOG_PID", "")
    if owner and owner not in (str(pid), str(ppid)):
        return None
    return usec / 2_000_000


class Watchdog:
    """Talks to systemd for the running app. Thread-safe; one per process."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        raw = env.get("NOTIFY_SOCKET", "")
        self._address = notify_address(raw) if raw else None
        if raw and self._address is None:
            log.warning("NOTIFY_SOCKET=%r is not a Unix socket address; systemd will not be notified", raw)
        self.interval_s = watchdog_interval(env, os.getpid(), os.getppid()) if self._address else None
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._failed = False

    @property
    def enabled(self) -> bool:
        """Running under systemd with a notify socket."""
        return self._address is not None

    @property
    def armed(self) -> bool:
        """systemd expects ``WATCHDOG=1`` every :attr:`interval_s` seconds."""
        return self.interval_s is not None

    def send(self, **fields: str) -> bool:
        """Send one notification, e.g. ``send(READY="1", STATUS="…")``; False if not delivered."""
        if self._address is None:
            return False
        # Values are one line each: a newline would start a bogus assignment.
        message = "\n".join(f"{k}={' '.join(str(v).splitlines())}" for k, v in fields.items())
        with self._lock:
            try:
                if self._sock is None:
                    self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
                self._sock.sendto(message.encode(), self._address)
            except OSError as exc:
                if not self._failed:  # once: a gone systemd must not flood the log every 15 s
                    log.warning("cannot notify systemd (%s)", exc)
                    self._failed = True
                return False
            self._failed = False
            return True

    def ready(self, status: str = "") -> bool:
        """The app is up (window shown, store open); ``Type=notify`` start-up completes here."""
        return self.send(READY="1", STATUS=status) if status else self.send(READY="1")

    def status(self, text: str) -> bool:
        """A one-line state for ``systemctl status station-kiosk`` (e.g. "offline, 3 queued")."""
        return self.send(STATUS=text)

    def ping(self) -> bool:
        """Feed the watchdog; call from the GUI thread every :attr:`interval_s` seconds."""
        return self.send(WATCHDOG="1") if self.armed else False

    def stopping(self) -> bool:
        return self.send(STOPPING="1")

    def close(self) -> None:
        with self._lock:
            if self._sock is not None:
                self._sock.close()
                self._sock = None
