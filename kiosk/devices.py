"""The contracts between the kiosk core and its devices.

``drivers/`` implements these protocols; ``kiosk/`` services (print queue, flows) only see them, so the
core never imports a hardware library and tests can swap in the simulated drivers.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from kiosk.receipt import Receipt


class PaperState(enum.StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrinterStatus:
    """What a printer said about itself. A printer that did not answer is ``online=False`` and
    ``paper=UNKNOWN`` — never "paper OK"."""

    online: bool
    paper: PaperState = PaperState.UNKNOWN
    cover_open: bool = False
    error: bool = False
    configured: bool = True
    detail: str = ""

    @property
    def ready(self) -> bool:
        return (
            self.configured
            and self.online
            and not self.cover_open
            and not self.error
            and self.paper in (PaperState.OK, PaperState.NEAR_END)
        )

    def blocking_kind(self) -> PrinterErrorKind | None:
        """Why this status forbids printing, the most specific reason first (a printer out of paper or
        with its cover open also reports itself offline), or None when it is ready."""
        if not self.configured:
            return PrinterErrorKind.NOT_CONFIGURED
        if self.cover_open:
            return PrinterErrorKind.COVER_OPEN
        if self.paper is PaperState.OUT:
            return PrinterErrorKind.PAPER_OUT
        if self.error:
            return PrinterErrorKind.HARDWARE
        if not self.ready:
            return PrinterErrorKind.OFFLINE
        return None


class PrinterErrorKind(enum.StrEnum):
    NOT_CONFIGURED = "not_configured"
    OFFLINE = "offline"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    HARDWARE = "hardware"


class PrinterError(Exception):
    """A print that did not happen, with the reason the UI turns into a specific message."""

    def __init__(self, kind: PrinterErrorKind, detail: str = "") -> None:
        super().__init__(f"{kind.value}: {detail}" if detail else kind.value)
        self.kind = kind
        self.detail = detail


class DeviceMissing(Exception):
    """A configured device (or the library it needs) is not present on this machine."""

    def __init__(self, device: str, what: str, hint: str = "") -> None:
        super().__init__(f"{device}: {what}" + (f" ({hint})" if hint else ""))
        self.device = device
        self.what = what
        self.hint = hint


@runtime_checkable
class Printer(Protocol):
    """A receipt printer. Implementations are thread-safe for one caller at a time (the print queue)."""

    name: str
    dots_per_line: int

    def status(self) -> PrinterStatus:
        """Query the device with a short timeout; unknown is reported as unknown."""
        ...

    def print_receipt(self, receipt: Receipt) -> None:
        """Render and send one receipt; raise :class:`PrinterError` when it did not print."""
        ...

    def close(self) -> None:
        """Release the device; the next call reopens it."""
        ...


class ScanSource(enum.StrEnum):
    CAMERA = "camera"
    KEYBOARD = "keyboard"
    SERIAL = "serial"
    SIMULATED = "simulated"


@dataclass(frozen=True)
class ScanEvent:
    """One decoded code, whatever scanner it came from (CR/LF stripped, text decoded)."""

    text: str
    raw: bytes
    source: ScanSource
    at: float = field(default_factory=time.monotonic)


ScanCallback = Callable[[ScanEvent], None]


@dataclass(frozen=True)
class ScannerStatus:
    available: bool
    detail: str = ""


@runtime_checkable
class Scanner(Protocol):
    """A code scanner. ``start`` begins delivering events to the callback from a worker thread;
    ``stop`` ends that and releases the device (a camera is only open while a screen scans)."""

    name: str

    def start(self, on_scan: ScanCallback) -> None: ...

    def stop(self) -> None: ...

    def status(self) -> ScannerStatus: ...
