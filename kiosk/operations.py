"""Operations a screen waits for, with typed outcomes the UI turns into specific messages."""

from __future__ import annotations

from kiosk.devices import PrinterErrorKind
from kiosk.printing import FailReason, PrintQueue
from kiosk.receipt import Receipt
from kiosk.store.print_jobs import JobState

_AS_PRINTER_ERROR = {reason.value: PrinterErrorKind(reason.value) for reason in FailReason
                     if reason.value in PrinterErrorKind.__members__.values()}


def print_and_wait(queue: PrintQueue, receipt: Receipt, kind: str, ref: str,
                   timeout_s: float = 30.0) -> PrinterErrorKind | None:
    """Queue a receipt and wait until it printed (None) or failed (why). A job still running at the
    deadline stays queued and is reported as a hardware problem, so the screen can offer the QR."""
    job = queue.wait(queue.submit(receipt, kind, ref), timeout_s)
    if job is not None and job.state is JobState.PRINTED:
        return None
    if job is not None and job.state is JobState.FAILED:
        return _AS_PRINTER_ERROR.get(job.reason, PrinterErrorKind.HARDWARE)
    return PrinterErrorKind.HARDWARE
