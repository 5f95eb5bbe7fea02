"""A simulated ESC/POS printer on a pseudo-terminal (or a loopback TCP port), for tests and the demo.

It keeps every byte it receives, follows the command stream far enough to skip image, QR and barcode
payloads (so their data is never mistaken for a ``DLE EOT`` query), counts cuts as finished jobs and
answers status queries from a settable state — or never answers (``silent``). Paper can be set to run
out after N bytes or N jobs to exercise paper-out in the middle of a receipt.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass

from drivers.printing import status as dle_eot
from kiosk.devices import PaperState

DLE, EOT, ESC, GS, FS = 0x10, 0x04, 0x1B, 0x1D, 0x1C
_ESC_WITH_ARG = frozenset(b"aE3dJt!M-")
_GS_WITH_ARG = frozenset(b"!hwHf")


@dataclass
class FakeState:
    online: bool = True
    paper: PaperState = PaperState.OK
    cover_open: bool = False
    error: bool = False
    silent: bool = False


class FakePrinterEngine:
    """The byte-level behaviour, independent of how the bytes arrive."""

    def __init__(
        self,
        state: FakeState | None = None,
        *,
        paper_out_after_bytes: int | None = None,
        paper_out_after_jobs: int | None = None,
    ) -> None:
        """``paper_out_after_jobs``: that many receipts fit on the roll; the next one runs out early
        on. ``paper_out_after_bytes``: the paper ends after that many bytes, mid-receipt."""
        self.state = state or FakeState()
        self.paper_out_after_bytes = paper_out_after_bytes
        self.paper_out_after_jobs = paper_out_after_jobs
        self.received = bytearray()
        self.jobs = 0  # cuts that happened with paper in
        self.queries = 0  # DLE EOT status queries
        self.probes = 0  # GS r "printed so far" probes
        self._buf = bytearray()
        self._skip = 0
        self._printed = 0  # bytes on this roll
        self._jobs_on_roll = 0
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)

    def answer_for(self, n: int) -> int:
        s = self.state
        out = s.paper is PaperState.OUT
        if n == dle_eot.PRINTER:
            offline = not s.online or s.cover_open or out or s.error
            return dle_eot.FIXED_BITS | (dle_eot.OFFLINE if offline else 0)
        if n == dle_eot.OFFLINE_CAUSE:
            return (
                dle_eot.FIXED_BITS
                | (dle_eot.COVER_OPEN if s.cover_open else 0)
                | (dle_eot.PAPER_END_STOP if out else 0)
                | (dle_eot.ERROR_OCCURRED if s.error else 0)
            )
        if n == dle_eot.ERROR_CAUSE:
            return dle_eot.FIXED_BITS | (dle_eot.UNRECOVERABLE if s.error else 0)
        if n == dle_eot.PAPER_SENSOR:
            near = s.paper in (PaperState.NEAR_END, PaperState.OUT)
            return dle_eot.FIXED_BITS | (dle_eot.NEAR_END if near else 0) | (dle_eot.PAPER_END if out else 0)
        return dle_eot.FIXED_BITS

    def feed(self, data: bytes) -> bytes:
        """Take bytes from the host; return what the printer sends back."""
        with self.changed:
            self.received += data
            self._buf += data
            replies = self._parse()
            self.changed.notify_all()
            return replies

    def _consume(self, n: int) -> None:
        """Bytes that use paper: the roll runs out after so many bytes, or at the start of the job
        after the last one that fits."""
        del self._buf[:n]
        self._printed += n
        if (self.paper_out_after_bytes is not None and self._printed >= self.paper_out_after_bytes) or (
            self.paper_out_after_jobs is not None and self._jobs_on_roll >= self.paper_out_after_jobs
        ):
            self.state.paper = PaperState.OUT

    def _cut(self) -> None:
        if self.state.paper is not PaperState.OUT:
            self.jobs += 1
            self._jobs_on_roll += 1

    def refill(self) -> None:
        """A new roll: paper OK, and the run-out counters start again."""
        with self.changed:
            self.state.paper = PaperState.OK
            self._printed = 0
            self._jobs_on_roll = 0

    def _parse(self) -> bytes:
        replies = bytearray()
        buf = self._buf
        while buf:
            if self._skip:
                take = min(self._skip, len(buf))
                self._skip -= take
                self._consume(take)
                continue
            head = buf[0]
            if head == DLE:
                if len(buf) < 3:
                    break
                if buf[1] == EOT:
                    self.queries += 1
                    if not self.state.silent:
                        replies.append(self.answer_for(buf[2]))
                    del buf[:3]  # real-time commands use no paper
                else:
                    self._consume(1)
            elif head == GS:
                if len(buf) < 3:
                    break
                cmd = buf[1]
                if cmd == ord("v"):
                    if len(buf) < 8:
                        break
                    self._skip = int.from_bytes(buf[4:6], "little") * int.from_bytes(buf[6:8], "little")
                    self._consume(8)
                elif cmd == ord("("):
                    if len(buf) < 5:
                        break
                    self._skip = int.from_bytes(buf[3:5], "little")
                    self._consume(5)
                elif cmd == ord("k"):
                    if len(buf) < 4:
                        break
                    self._skip = buf[3]
                    self._consume(4)
                elif cmd == ord("r"):
                    # Processed in order: here everything before it has "printed". A stopped printer
                    # (paper out, cover open) does not get this far, so it does not answer.
                    self.probes += 1
                    del buf[:3]
                    if not self.state.silent and self.answer_for(dle_eot.PRINTER) & dle_eot.OFFLINE == 0:
                        near = self.state.paper is PaperState.NEAR_END
                        replies.append(0x03 if near else 0x00)
                elif cmd == ord("V"):
                    size = 4 if buf[2] in (65, 66) else 3
                    if len(buf) < size:
                        break
                    self._consume(size)
                    self._cut()
                else:
                    self._consume(3 if cmd in _GS_WITH_ARG else 2)
            elif head == ESC:
                if len(buf) < 2 or (buf[1] in _ESC_WITH_ARG and len(buf) < 3):
                    break
                self._consume(3 if buf[1] in _ESC_WITH_ARG else 2)
            elif head == FS:
                if len(buf) < 2:
                    break
                self._consume(2)
            else:
                self._consume(1)
        return bytes(replies)

    def wait_until(self, predicate: Callable[[FakePrinterEngine], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(engine)`` holds (checked after every received chunk) or time runs out."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(left)
            return True


class _Pump:
    """A thread moving bytes between a file descriptor and the engine until stopped."""

    def __init__(self, engine: FakePrinterEngine) -> None:
        self.engine = engine
        self._stop_r, self._stop_w = os.pipe()
        self._thread: threading.Thread | None = None

    def start(self, target: Callable[[], None], name: str) -> None:
        self._thread = threading.Thread(target=target, name=name, daemon=True)
        self._thread.start()

    def stopping(self, fd: int | socket.socket, timeout: float | None = None) -> bool:
        """Wait for ``fd`` to be readable; True when the pump should stop instead."""
        ready = select.select([fd, self._stop_r], [], [], timeout)[0]
        return self._stop_r in ready

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._stop_w, b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
        for fd in (self._stop_r, self._stop_w):
            with contextlib.suppress(OSError):
                os.close(fd)


class FakeSerialPrinter:
    """Serve the engine on a pseudo-terminal; point ``serial_port`` at :attr:`port`."""

    def __init__(self, engine: FakePrinterEngine | None = None) -> None:
        self.engine = engine or FakePrinterEngine()
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no newline translation, no ^\ signals, no XON/XOFF in the data
        self.port = os.ttyname(self._slave)
        self._pump = _Pump(self.engine)
        self._pump.start(self._run, f"fake-printer {self.port}")

    @property
    def state(self) -> FakeState:
        return self.engine.state

    def _run(self) -> None:
        while not self._pump.stopping(self._master):
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            replies = self.engine.feed(data)
            if replies:
                os.write(self._master, replies)

    def close(self) -> None:
        """Stop and hang up: the host's next read or write on the port fails, as with an unplugged cable."""
        self._pump.stop()
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)


class FakeNetworkPrinter:
    """Serve the engine on a loopback TCP port (raw port 9100 style), one connection at a time."""

    def __init__(self, engine: FakePrinterEngine | None = None) -> None:
        self.engine = engine or FakePrinterEngine()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.host, self.port = self._server.getsockname()[:2]
        self._pump = _Pump(self.engine)
        self._pump.start(self._run, f"fake-printer tcp:{self.port}")

    def _run(self) -> None:
        while not self._pump.stopping(self._server):
            conn, _ = self._server.accept()
            with conn:
                while not self._pump.stopping(conn):
                    try:
                        data = conn.recv(65536)
                    except OSError:
                        break
                    if not data:
                        break
                    replies = self.engine.feed(data)
                    if replies:
                        conn.sendall(replies)

    def close(self) -> None:
        self._pump.stop()
        self._server.close()
