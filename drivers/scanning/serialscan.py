"""Serial (and USB-CDC) scanners: one code per CR/LF-terminated line, reconnect after unplug.

Prefer ``/dev/serial/by-id/...`` paths: they survive re-plugging into another port and re-enumeration,
which ``/dev/ttyACM0`` does not."""

from __future__ import annotations

import logging
import threading
import time

import serial

from drivers.scanning.base import Backoff, Delivery, ScannerIssue, ThreadedScanner
from drivers.scanning.decode import decode_payload
from kiosk.devices import ScanSource

log = logging.getLogger(__name__)

# Some scanners are set up without a terminator: a line still counts once the port has been quiet
# this long (a 100-byte code takes ~0.1 s even at 9600 baud).
IDLE_FLUSH_S = 0.3
_READ_TIMEOUT_S = 0.05


class LineFramer:
    """Splits a byte stream into lines at CR, LF or CRLF (a CRLF is one terminator, not an empty line)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    @property
    def pending(self) -> bool:
        return bool(self._buffer)

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer += data
        lines: list[bytes] = []
        start = 0
        for i, byte in enumerate(self._buffer):
            if byte in (0x0D, 0x0A):
                if i > start:
                    lines.append(bytes(self._buffer[start:i]))
                start = i + 1
        del self._buffer[:start]
        return lines

    def flush(self) -> bytes:
        line = bytes(self._buffer)
        self._buffer.clear()
        return line


class SerialScanner(ThreadedScanner):
    def __init__(
        self, port: str, baudrate: int = 9600, *, dedup_window_s: float = 2.0, name: str = "serial"
    ) -> None:
        super().__init__(name, ScanSource.SERIAL, dedup_window_s)
        self.port = port
        self.baudrate = baudrate
        self.connects = 0

    def _run(self, delivery: Delivery, stopping: threading.Event) -> None:
        backoff = Backoff()
        while not stopping.is_set():
            try:
                # Exclusive: a second reader (a stray kiosk instance, a terminal) would steal codes.
                conn = serial.Serial(self.port, self.baudrate, timeout=_READ_TIMEOUT_S, exclusive=True)
            except (serial.SerialException, OSError) as exc:
                issue = ScannerIssue.SERIAL_LOST if self.connects else ScannerIssue.SERIAL_MISSING
                self._set_status(False, issue, f"{self.port}: {exc}")
                stopping.wait(backoff.next())
                continue
            self.connects += 1
            backoff.reset()
            self._set_status(True)
            try:
                self._read(conn, delivery, stopping)
            except (serial.SerialException, OSError) as exc:
                log.warning("serial scanner %s lost: %s", self.port, exc)
                self._set_status(False, ScannerIssue.SERIAL_LOST, f"{self.port}: {exc}")
                stopping.wait(backoff.next())
            finally:
                conn.close()

    def _read(self, conn: serial.Serial, delivery: Delivery, stopping: threading.Event) -> None:
        framer = LineFramer()
        last_data = time.monotonic()
        while not stopping.is_set():
            data = conn.read(conn.in_waiting or 1)
            now = time.monotonic()
            if data:
                last_data = now
                for line in framer.feed(data):
                    delivery.deliver(decode_payload(line), line)
            elif framer.pending and now - last_data >= IDLE_FLUSH_S:
                line = framer.flush()
                delivery.deliver(decode_payload(line), line)
