"""The systemd notify protocol against a real AF_UNIX datagram socket playing systemd, and the rule
that a blocked event loop stops the watchdog pings."""

from __future__ import annotations

import logging
import os
import queue
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.watchdog import Watchdog, notify_address, watchdog_interval


class FakeSystemd:
    """The receiving end of NOTIFY_SOCKET: a bound datagram socket, path or abstract."""

    def __init__(self, notify_socket: str) -> None:
        address = notify_address(notify_socket)
        assert address is not None
        self.notify_socket = notify_socket
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)

    def env(self, watchdog_usec: int | None = None, watchdog_pid: int | None = None) -> dict[str, str]:
        env = {"NOTIFY_SOCKET": self.notify_socket}
        if watchdog_usec is not None:
            env["WATCHDOG_USEC"] = str(watchdog_usec)
        if watchdog_pid is not None:
            env["WATCHDOG_PID"] = str(watchdog_pid)
        return env

    def recv(self, timeout: float = 2.0) -> dict[str, str] | None:
        """The next notification as a dict, or None if none arrives within ``timeout``."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(4096)
        except TimeoutError:
            return None
        return dict(line.split("=", 1) for line in data.decode().split("\n"))

    def nothing_pending(self) -> bool:
        self.sock.setblocking(False)
        try:
            self.sock.recv(4096)
        except BlockingIOError:
            return True
        return False

    def silent_while(self, blocking: threading.Event, silence_s: float, max_pings: int = 20) -> bool:
        """Once ``blocking`` is set: True when ``silence_s`` passes with no notification; False if
        ``max_pings`` more arrive first (whatever blocks did not stop them)."""
        assert blocking.wait(5.0)
        return any(self.recv(timeout=silence_s) is None for _ in range(max_pings))

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def systemd(tmp_path: Path) -> Iterator[FakeSystemd]:
    fake = FakeSystemd(str(tmp_path / "notify"))
    yield fake
    fake.close()


def test_without_notify_socket_everything_is_a_no_op() -> None:
    dog = Watchdog({})
    assert not dog.enabled and not dog.armed and dog.interval_s is None
    assert not dog.ready("up") and not dog.ping() and not dog.status("x") and not dog.stopping()
    dog.close()


def test_ready_status_and_stopping_reach_a_path_socket(systemd: FakeSystemd) -> None:
    dog = Watchdog(systemd.env())
    assert dog.enabled and not dog.armed
    assert dog.ready("station ready")
    assert systemd.recv() == {"READY": "1", "STATUS": "station ready"}
    assert dog.status("offline, 3 queued\nsecond line")
    assert systemd.recv() == {"STATUS": "offline, 3 queued second line"}
    assert dog.stopping()
    assert systemd.recv() == {"STOPPING": "1"}
    assert not dog.ping()  # no WATCHDOG_USEC: systemd expects no pings
    assert systemd.nothing_pending()
    dog.close()


def test_abstract_namespace_socket() -> None:
    fake = FakeSystemd(f"@station-kiosk-test-{secrets.token_hex(6)}")
    try:
        dog = Watchdog(fake.env(watchdog_usec=30_000_000))
        assert dog.armed and dog.interval_s == 15.0
        assert dog.ping()
        assert fake.recv() == {"WATCHDOG": "1"}
        dog.close()
    finally:
        fake.close()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WATCHDOG_USEC": "30000000"}, 15.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "100"}, 15.0),  # us
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "99"}, 15.0),  # cage, our parent
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"}, None),  # someone else's watchdog
        ({"WATCHDOG_USEC": "0"}, None),
        ({"WATCHDOG_USEC": "soon"}, None),
        ({}, None),
    ],
)
def test_watchdog_interval(env: dict[str, str], expected: float | None) -> None:
    assert watchdog_interval(env, pid=100, ppid=99) == expected


def test_real_pids_are_honoured(systemd: FakeSystemd) -> None:
    assert Watchdog(systemd.env(30_000_000, watchdog_pid=os.getpid())).armed
    assert Watchdog(systemd.env(30_000_000, watchdog_pid=os.getppid())).armed
    assert not Watchdog(systemd.env(30_000_000, watchdog_pid=1 if os.getppid() != 1 else 2)).armed


def test_unusable_notify_socket_is_reported_and_ignored(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.watchdog"):
        dog = Watchdog({"NOTIFY_SOCKET": "vsock:2:1234", "WATCHDOG_USEC": "1000000"})
    assert not dog.enabled and not dog.ping()
    assert "NOTIFY_SOCKET" in caplog.text


def test_systemd_gone_is_logged_once_and_recovers(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "notify"
    fake = FakeSystemd(str(path))
    dog = Watchdog(fake.env(watchdog_usec=1_000_000))
    fake.close()
    path.unlink()
    with caplog.at_level(logging.WARNING, logger="kiosk.watchdog"):
        assert not dog.ping()
        assert not dog.ping()
    assert caplog.text.count("cannot notify systemd") == 1
    back = FakeSystemd(str(path))
    try:
        assert dog.ping()
        assert back.recv() == {"WATCHDOG": "1"}
    finally:
        back.close()
        dog.close()


class EventLoop:
    """A minimal single-threaded event loop with a repeating timer, like the GUI thread's."""

    def __init__(self, interval_s: float, on_timer: Callable[[], object]) -> None:
        self._tasks: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._interval = interval_s
        self._on_timer = on_timer
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            try:
                task = self._tasks.get(timeout=self._interval)
            except queue.Empty:
                self._on_timer()
                continue
            if task is None:
                return
            task()

    def start(self) -> None:
        self._thread.start()

    def post(self, task: Callable[[], None]) -> None:
        self._tasks.put(task)

    def stop(self) -> None:
        self._tasks.put(None)
        self._thread.join(timeout=5)


def test_a_blocked_event_loop_stops_the_pings(systemd: FakeSystemd) -> None:
    dog = Watchdog(systemd.env(watchdog_usec=100_000))  # ping every 50 ms
    assert dog.interval_s == 0.05
    loop = EventLoop(dog.interval_s, dog.ping)
    blocking, released = threading.Event(), threading.Event()

    def frozen_handler() -> None:  # e.g. a slot that waits on a dead device with no timeout
        blocking.set()
        released.wait(10)

    loop.start()
    try:
        for _ in range(3):
            assert systemd.recv() == {"WATCHDOG": "1"}
        loop.post(frozen_handler)
        assert systemd.silent_while(blocking, silence_s=0.3)  # six missed intervals
        released.set()
        assert systemd.recv() == {"WATCHDOG": "1"}  # the loop runs again, so do the pings
    finally:
        released.set()
        loop.stop()
        dog.close()
