"""The serial scanner on a real pseudo-terminal: line framing, charsets, and reconnecting through a
stable by-id style path after the device goes away and comes back."""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.scanning.base import ScannerIssue, issue_of
from drivers.scanning.serialscan import LineFramer, SerialScanner
from kiosk.devices import ScanEvent, ScanSource


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    tick = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        tick.wait(0.01)
    raise AssertionError("condition not met in time")


class Pty:
    """One end of a pseudo-terminal plays the scanner; the other is the port the kiosk opens."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.path = os.ttyname(slave)
        os.close(slave)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def unplug(self) -> None:
        os.close(self.master)


@pytest.fixture
def by_id(tmp_path: Path) -> Path:
    return tmp_path / "usb-Scanner_Inc_2D_Scanner_0001-if00"


@pytest.fixture
def pty(by_id: Path) -> Iterator[Pty]:
    device = Pty()
    by_id.symlink_to(device.path)
    yield device
    with contextlib.suppress(OSError):  # already unplugged by the test
        device.unplug()


Running = tuple[SerialScanner, "queue.Queue[ScanEvent]"]


@pytest.fixture
def scanner(by_id: Path, pty: Pty) -> Iterator[Running]:
    events: queue.Queue[ScanEvent] = queue.Queue()
    scanner = SerialScanner(str(by_id), 9600, dedup_window_s=2.0)
    scanner.start(events.put)
    wait_until(lambda: scanner.connects == 1 and scanner.status().available)
    yield scanner, events
    scanner.stop()
    assert not scanner.running


def texts(events: queue.Queue[ScanEvent], count: int) -> list[str]:
    return [events.get(timeout=3).text for _ in range(count)]


def test_crlf_lines_are_codes(scanner: Running, pty: Pty) -> None:
    _, events = scanner
    pty.send(b"ORDER-1\r\nORD")
    pty.send(b"ER-2\rORDER-3\n")
    assert texts(events, 3) == ["ORDER-1", "ORDER-2", "ORDER-3"]
    assert events.empty()
    pty.send(b"ORDER-4\r")
    first = events.get(timeout=3)
    assert (first.text, first.raw, first.source) == ("ORDER-4", b"ORDER-4", ScanSource.SERIAL)


def test_double_read_is_suppressed(scanner: Running, pty: Pty) -> None:
    _, events = scanner
    pty.send(b"VOL-1\r\nVOL-1\r\nVOL-2\r\n")
    assert texts(events, 2) == ["VOL-1", "VOL-2"]
    assert events.empty()


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_chinese_lines(scanner: Running, pty: Pty, encoding: str) -> None:
    _, events = scanner
    pty.send("兑换码：礼品8812\r\n".encode(encoding))
    event = events.get(timeout=3)
    assert event.text == "兑换码：礼品8812"
    assert event.raw == "兑换码：礼品8812".encode(encoding)


def test_unterminated_code_is_delivered_after_a_pause(
    scanner: Running, pty: Pty
) -> None:
    _, events = scanner
    pty.send(b"NO-SUFFIX-7")
    assert events.get(timeout=3).text == "NO-SUFFIX-7"


def test_reconnects_after_unplug_through_the_stable_path(
    scanner: Running, pty: Pty, by_id: Path
) -> None:
    serial_scanner, events = scanner
    pty.send(b"BEFORE\r")
    assert texts(events, 1) == ["BEFORE"]
    pty.unplug()
    wait_until(lambda: issue_of(serial_scanner.status()) is ScannerIssue.SERIAL_LOST)
    replugged = Pty()
    try:
        fresh = by_id.with_name("fresh-link")
        fresh.symlink_to(replugged.path)
        fresh.replace(by_id)
        wait_until(lambda: serial_scanner.connects == 2 and serial_scanner.status().available)
        replugged.send(b"AFTER\r")
        assert texts(events, 1) == ["AFTER"]
    finally:
        serial_scanner.stop()
        replugged.unplug()


def test_missing_port_is_reported_until_it_appears(tmp_path: Path) -> None:
    scanner = SerialScanner(str(tmp_path / "ttyACM9"))
    scanner.start(lambda event: None)
    try:
        wait_until(lambda: issue_of(scanner.status()) is ScannerIssue.SERIAL_MISSING)
        assert not scanner.status().available
    finally:
        scanner.stop()


def test_line_framer() -> None:
    framer = LineFramer()
    assert framer.feed(b"A\r\n\r\nB") == [b"A"]
    assert framer.pending
    assert framer.feed(b"C\n") == [b"BC"]
    assert framer.flush() == b""
