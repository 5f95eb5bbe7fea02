"""Byte transports to an ESC/POS printer: python-escpos connections for sending, our own short-timeout
reads for the ``DLE EOT`` answers.

python-escpos' ``Serial`` reads status with the port's full read timeout (1 s by default) and its
``File`` opens write-only, so status reads here go to the underlying pyserial port, socket or USB
endpoint with ``status_timeout_s``. Every transport opens lazily, raises :class:`TransportError` for
any I/O failure, and is closed (then reopened on next use) by the printer after a failure.

python-escpos is imported by the first transport that needs it (:mod:`drivers.printing.escpos_lib`),
with its capabilities cache in ``cache_dir``; a kiosk without an ESC/POS printer never imports it.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import stat
import termios
import time
from pathlib import Path
from typing import Any, Protocol

import serial

from drivers.printing.escpos_lib import escpos_error, escpos_printer
from kiosk.devices import DeviceMissing

CHUNK = 4096
# termios.error is not an OSError: pyserial lets it out of tcflush on a port whose device went away.
_SERIAL_ERRORS = (serial.SerialException, OSError, termios.error)


class TransportError(Exception):
    """The connection failed (not found, unplugged, timed out)."""


class Transport(Protocol):
    name: str
    can_query: bool  # False: the connection has no way back (plain file, Dummy)

    def open(self) -> None:
        """Connect now (otherwise the first write or query does)."""
        ...

    def write(self, data: bytes) -> None: ...

    def query(self, request: bytes, timeout: float) -> bytes:
        """Send ``request`` and return the one-byte answer, or ``b""`` when none came within timeout."""
        ...

    def close(self) -> None: ...


class _EscposTransport:
    """Sending through a python-escpos connection object, opened on first use."""

    can_query = True

    def __init__(self, name: str, device: Any) -> None:
        self.name = name
        self._escpos = device
        self._escpos_error = escpos_error()
        self._open = False

    def open(self) -> None:
        self._ensure_open()

    def _ensure_open(self) -> Any:
        if not self._open:
            try:
                self._escpos.open()
            except (self._escpos_error, OSError) as exc:
                raise TransportError(f"{self.name}: cannot open: {exc}") from exc
            self._open = True
        return self._escpos.device

    def write(self, data: bytes) -> None:
        self._ensure_open()
        try:
            for i in range(0, len(data), CHUNK):
                self._escpos._raw(data[i : i + CHUNK])
        except (self._escpos_error, *_SERIAL_ERRORS) as exc:
            raise TransportError(f"{self.name}: write failed: {exc}") from exc

    def close(self) -> None:
        if not self._open:
            return
        self._open = False
        handle = self._escpos._device
        try:
            self._escpos.close()  # flushes first, which fails on a device that went away
        except Exception:
            with contextlib.suppress(Exception):
                handle.close()
        finally:
            # Marked closed even after a failed close, so open() starts afresh and python-escpos'
            # __del__ does no device work.
            self._escpos._device = False


class SerialTransport(_EscposTransport):
    def __init__(self, port: str, baudrate: int, cache_dir: Path | None = None) -> None:
        serial_printer = escpos_printer(cache_dir).Serial
        if not serial_printer.is_usable():
            raise DeviceMissing("printer", "serial support (pyserial) is not installed", "pip install pyserial")
        super().__init__(f"serial {port}",
                         serial_printer(devfile=port, baudrate=baudrate, timeout=0.3, dsrdtr=False))
        self.baudrate = baudrate

    def write(self, data: bytes) -> None:
        port: serial.Serial = self._ensure_open()
        # A printer holding the line (paper out, flow control) must not hang the queue: allow three
        # times the wire time of a chunk, at least five seconds.
        _set(port, "write_timeout", max(5.0, 3 * CHUNK * 10 / self.baudrate))
        super().write(data)
        try:
            port.flush()
        except _SERIAL_ERRORS as exc:
            raise TransportError(f"{self.name}: flush failed: {exc}") from exc

    def query(self, request: bytes, timeout: float) -> bytes:
        port: serial.Serial = self._ensure_open()
        try:
            port.reset_input_buffer()
            _set(port, "timeout", timeout)
            port.write(request)
            port.flush()
            return bytes(port.read(1))
        except _SERIAL_ERRORS as exc:
            raise TransportError(f"{self.name}: status query failed: {exc}") from exc


def _set(port: serial.Serial, name: str, value: float) -> None:
    # Each assignment reconfigures the open port (tcsetattr); skip it when nothing changes.
    if getattr(port, name) != value:
        setattr(port, name, value)


class NetworkTransport(_EscposTransport):
    def __init__(self, host: str, port: int, connect_timeout: float = 3.0, cache_dir: Path | None = None) -> None:
        network_printer = escpos_printer(cache_dir).Network
        super().__init__(f"network {host}:{port}", network_printer(host=host, port=port, timeout=connect_timeout))
        self.connect_timeout = connect_timeout

    def query(self, request: bytes, timeout: float) -> bytes:
        sock: socket.socket = self._ensure_open()
        try:
            sock.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                while sock.recv(256):  # drop answers that came too late for an earlier query
                    pass
            sock.settimeout(timeout)
            sock.sendall(request)
            try:
                return sock.recv(1)
            except TimeoutError:
                return b""
            finally:
                sock.settimeout(self.connect_timeout)
        except OSError as exc:
            raise TransportError(f"{self.name}: status query failed: {exc}") from exc


class UsbTransport(_EscposTransport):
    def __init__(self, vendor: int, product: int, in_ep: int, out_ep: int, cache_dir: Path | None = None) -> None:
        usb_printer = escpos_printer(cache_dir).Usb
        if not usb_printer.is_usable():
            raise DeviceMissing("printer", "USB support (pyusb) is not installed", "pip install pyusb")
        super().__init__(
            f"usb {vendor:04x}:{product:04x}",
            usb_printer(idVendor=vendor, idProduct=product, in_ep=in_ep, out_ep=out_ep, timeout=10_000),
        )
        self.in_ep = in_ep

    def query(self, request: bytes, timeout: float) -> bytes:
        import usb.core  # present: Usb.is_usable() checked it

        device = self._ensure_open()
        try:
            self._escpos._raw(request)
            return bytes(device.read(self.in_ep, 16, int(timeout * 1000))[:1])
        except usb.core.USBTimeoutError:
            return b""
        except (usb.core.USBError, self._escpos_error, OSError) as exc:
            raise TransportError(f"{self.name}: status query failed: {exc}") from exc


class DeviceFileTransport:
    """A device node (``/dev/usb/lp0``: read and write on one descriptor) or a plain file (write only,
    no status: for capturing the bytes)."""

    def __init__(self, path: str) -> None:
        self.name = f"file {path}"
        self.path = path
        self._fd: int | None = None
        try:
            self.can_query = stat.S_ISCHR(os.stat(path).st_mode)
        except OSError:
            self.can_query = path.startswith("/dev/")

    def open(self) -> None:
        self._ensure_open()

    def _ensure_open(self) -> int:
        if self._fd is None:
            flags = os.O_RDWR | os.O_NOCTTY if self.can_query else os.O_WRONLY | os.O_APPEND | os.O_CREAT
            try:
                self._fd = os.open(self.path, flags, 0o644)
            except OSError as exc:
                raise TransportError(f"{self.name}: cannot open: {exc}") from exc
        return self._fd

    def write(self, data: bytes) -> None:
        fd = self._ensure_open()
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(fd, view) :]
        except OSError as exc:
            raise TransportError(f"{self.name}: write failed: {exc}") from exc

    def query(self, request: bytes, timeout: float) -> bytes:
        fd = self._ensure_open()
        try:
            while select.select([fd], [], [], 0)[0] and os.read(fd, 256):
                pass
            os.write(fd, request)
            deadline = time.monotonic() + timeout
            while (left := deadline - time.monotonic()) > 0:
                if select.select([fd], [], [], left)[0]:
                    return os.read(fd, 1)
            return b""
        except OSError as exc:
            raise TransportError(f"{self.name}: status query failed: {exc}") from exc

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.close(fd)


class DummyTransport:
    """python-escpos' ``Dummy``: collects the bytes, answers nothing (for tests and byte dumps)."""

    can_query = False

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.name = "dummy"
        self.dummy = escpos_printer(cache_dir).Dummy()

    @property
    def output(self) -> bytes:
        return bytes(self.dummy.output)

    def open(self) -> None:
        pass

    def write(self, data: bytes) -> None:
        self.dummy._raw(data)

    def query(self, request: bytes, timeout: float) -> bytes:
        return b""

    def close(self) -> None:
        pass
