"""An ESC/POS receipt printer on any transport: status gate, send, status check after the job."""

from __future__ import annotations

import logging
import threading

from drivers.printing import status as dle_eot
from drivers.printing.commands import PRINTED_PROBE, Encoder
from drivers.printing.connections import Transport, TransportError
from kiosk.devices import PaperState, PrinterError, PrinterErrorKind, PrinterStatus
from kiosk.receipt import Receipt

log = logging.getLogger(__name__)

DOTS_PER_MM = 8  # 203 dpi
PRINT_SPEED_MM_S = 50  # the slow end of thermal receipt printers

NO_STATUS_CHANNEL = PrinterStatus(online=True, paper=PaperState.UNKNOWN, detail="no status channel")


class EscposPrinter:
    """Implements :class:`kiosk.devices.Printer`.

    Before a job it asks the printer (``DLE EOT``) and refuses with the specific reason; after the
    job it asks again, so paper that ran out mid-receipt fails the job with ``PAPER_OUT`` instead of
    reporting a half receipt as printed. Any I/O failure closes the connection; the next call reopens
    it, so a power-cycled or re-plugged printer comes back on its own. A transport with no way back
    (a plain file) prints without the checks and reports its paper as unknown.
    """

    def __init__(self, transport: Transport, encoder: Encoder, *, status_timeout_s: float = 0.3) -> None:
        self.transport = transport
        self.encoder = encoder
        self.name = transport.name
        self.dots_per_line = encoder.painter.dots
        self.status_timeout_s = status_timeout_s
        self._lock = threading.Lock()

    def open(self) -> None:
        """Connect now, e.g. from the technician's "test printer" button; raises ``OFFLINE``."""
        with self._lock:
            try:
                self.transport.open()
            except TransportError as exc:
                self.transport.close()
                raise PrinterError(PrinterErrorKind.OFFLINE, str(exc)) from exc

    def status(self) -> PrinterStatus:
        with self._lock:
            return self._status()

    def _status(self) -> PrinterStatus:
        if not self.transport.can_query:
            return NO_STATUS_CHANNEL
        answers: dict[int, int] = {}
        try:
            for n in (dle_eot.PRINTER, dle_eot.OFFLINE_CAUSE, dle_eot.ERROR_CAUSE, dle_eot.PAPER_SENSOR):
                answer = self.transport.query(dle_eot.query(n), self.status_timeout_s)
                if not dle_eot.valid(answer):
                    break  # one silence is enough: do not wait for the others too
                answers[n] = answer[0]
        except TransportError as exc:
            self.transport.close()
            return PrinterStatus(online=False, paper=PaperState.UNKNOWN, detail=str(exc))
        return dle_eot.decode(answers)

    def print_receipt(self, receipt: Receipt) -> None:
        """Raises :class:`PrinterError`, or ``ReceiptFormatError`` for a document that cannot be laid
        out (before any I/O)."""
        job = self.encoder.job(receipt)
        with self._lock:
            self._check(self._status(), "before the job")
            try:
                self.transport.write(job.data)
                if self.transport.can_query:
                    self._wait_printed(job.length_dots)
            except TransportError as exc:
                self.transport.close()
                after = self._status()
                kind = after.blocking_kind() or PrinterErrorKind.OFFLINE
                raise PrinterError(kind, f"{exc}; printer now: {after.detail or kind.value}") from exc
            self._check(self._status(), "after the job (the receipt may be incomplete)")
        log.info("printed %d bytes on %s", len(job.data), self.name)

    def _wait_printed(self, length_dots: int) -> None:
        """Wait until the printer has printed the job, so the status that follows is about the paper
        after it (DLE EOT alone is answered at once, while the job still sits in the buffer).

        No answer within the time the paper needs is not an error by itself: the status query
        after it decides (paper out, cover open), and a printer without ``GS r`` just costs the wait.
        """
        timeout = self.status_timeout_s + length_dots / DOTS_PER_MM / PRINT_SPEED_MM_S
        if not self.transport.query(PRINTED_PROBE, timeout):
            log.info("%s did not confirm the job within %.1f s", self.name, timeout)

    def _check(self, status: PrinterStatus, when: str) -> None:
        if not self.transport.can_query:
            return
        kind = status.blocking_kind()
        if kind is not None:
            if kind is PrinterErrorKind.OFFLINE:
                self.transport.close()
            raise PrinterError(kind, f"{when}: {status.detail or kind.value}")

    def close(self) -> None:
        with self._lock:
            self.transport.close()
