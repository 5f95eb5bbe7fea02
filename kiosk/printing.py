"""The print queue: one worker thread per printer, every job persisted before a byte is sent.

Life of a job: ``submit`` commits it as ``queued`` and returns its id; the worker commits ``printing``,
hands the receipt to the driver, then commits ``printed`` or ``failed`` with a stable
:class:`FailReason` (the UI maps the code to its message; ``detail`` is for the technician).

After a crash or power cut:

* a job left in ``printing`` may have printed in full, in part or not at all. It is marked ``failed``
  with reason ``interrupted`` and is never sent again by itself; staff reprint it on request, and a
  reprint always carries the 补打 / DUPLICATE banner, so two originals never exist.
* a job left in ``queued`` never reached the printer (``printing`` is committed before sending). If it
  is younger than ``stale_after_s`` it is printed now as the original; older ones (the resident has
  long gone) are marked ``failed`` with reason ``stale`` and can be reprinted.

Job events reach ``on_event`` from the worker thread. ``on_status`` is called when the status
changes, from the thread that asked (the worker, or a caller of :meth:`PrintQueue.check_ready`); the UI
bridge moves both onto the GUI thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.devices import PaperState, Printer, PrinterError, PrinterStatus
from kiosk.receipt import Receipt, ReceiptFormatError
from kiosk.store import Store
from kiosk.store.print_jobs import JobState, JobStateError, PrintJob, PrintJobs

log = logging.getLogger(__name__)


class FailReason(StrEnum):
    """Why a job failed; the first five are :class:`kiosk.devices.PrinterErrorKind` values."""

    NOT_CONFIGURED = "not_configured"
    OFFLINE = "offline"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    HARDWARE = "hardware"
    INTERRUPTED = "interrupted"  # the app stopped while the job was being sent
    STALE = "stale"  # queued before a restart and too old to print now
    BAD_DOCUMENT = "bad_document"  # the receipt cannot be rendered (e.g. a QR too long for the paper)


@dataclass(frozen=True)
class PrintJobEvent:
    job_id: int
    kind: str
    ref: str
    state: JobState
    reason: FailReason | None
    detail: str
    duplicate: bool
    status: PrinterStatus


NOT_CHECKED = PrinterStatus(online=False, paper=PaperState.UNKNOWN, detail="not checked yet")


class JobNotFound(KeyError):
    pass


class PrintQueue:
    def __init__(
        self,
        store: Store,
        printer: Printer,
        on_event: Callable[[PrintJobEvent], None],
        *,
        on_status: Callable[[PrinterStatus], None] | None = None,
        stale_after_s: float = 600.0,
    ) -> None:
        self.jobs = PrintJobs(store)
        self.printer = printer
        self.on_event = on_event
        self.on_status = on_status
        self.stale_after_s = stale_after_s
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._device = threading.Lock()  # one conversation with the printer at a time
        self._settled = threading.Condition()  # notified whenever a job changes state
        self._status = NOT_CHECKED
        self._thread: threading.Thread | None = None
        self._stopping = False

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("print queue already started")
        self._thread = threading.Thread(target=self._run, name=f"print-queue {self.printer.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the job being printed, leave the rest queued (they print after the next start)."""
        if self._thread is None:
            return
        self._stopping = True
        self._queue.put(None)
        self._thread.join(timeout)
        self._thread = None
        with self._device:
            self.printer.close()

    # -- API ---------------------------------------------------------------------------------------

    def replace_printer(self, printer: Printer) -> None:
        """Use another printer from the next job on (new settings); a job being printed finishes on
        the old one first, then the old one is closed."""
        with self._device:
            old, self.printer = self.printer, printer
            old.close()

    def submit(self, receipt: Receipt, kind: str, ref: str = "") -> int:
        """Persist the job (committed when this returns), then queue it; returns the job id."""
        job_id = self.jobs.create(kind, ref, receipt.to_json())
        self._queue.put(job_id)
        return job_id

    def reprint(self, job_id: int) -> int:
        """A new job with the same document marked 补打 / DUPLICATE; the original must be finished."""
        job = self.jobs.get(job_id)
        if job is None:
            raise JobNotFound(job_id)
        if job.state not in (JobState.PRINTED, JobState.FAILED):
            raise JobStateError(f"print job {job_id} is {job.state.value}; reprint it once it has finished")
        document = Receipt.from_json(job.document).as_duplicate()
        new_id = self.jobs.create(job.kind, job.ref, document.to_json(), reprint_of=job.reprint_of or job.id)
        self._queue.put(new_id)
        return new_id

    def wait(self, job_id: int, timeout_s: float) -> PrintJob | None:
        """Block until the job has printed or failed, or ``timeout_s`` has passed; the job as it stands."""
        deadline = time.monotonic() + timeout_s
        with self._settled:
            while True:
                job = self.jobs.get(job_id)
                remaining = deadline - time.monotonic()
                if job is None or job.state in (JobState.PRINTED, JobState.FAILED) or remaining <= 0:
                    return job
                self._settled.wait(remaining)

    def last_job(self) -> PrintJob | None:
        return self.jobs.last()

    def job(self, job_id: int) -> PrintJob | None:
        return self.jobs.get(job_id)

    def recent_jobs(self, limit: int = 20) -> list[PrintJob]:
        """Newest first, for the technician's job list (failed ones offer a reprint)."""
        return self.jobs.recent(limit)

    def status(self) -> PrinterStatus:
        """The last known status (refreshed around every job and by :meth:`check_ready`)."""
        return self._status

    def check_ready(self, wait_s: float = 5.0) -> PrinterStatus:
        """Ask the printer now (blocks up to a few status timeouts; call it off the GUI thread).

        If a job holds the printer for longer than ``wait_s``, the cached status is returned.
        """
        if not self._device.acquire(timeout=wait_s):
            return self._status
        try:
            return self._refresh()
        finally:
            self._device.release()

    # -- worker ------------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._recover()
        except Exception:
            log.exception("print queue recovery failed")
        with self._device:
            self._refresh()
        while True:
            job_id = self._queue.get()
            if job_id is None or self._stopping:
                return
            try:
                self._print(job_id)
            except Exception:
                # The store failed: the job keeps its last committed state and is not sent.
                log.exception("print job %d could not be processed", job_id)

    def _recover(self) -> None:
        for job_id in self.jobs.fail_all(
            JobState.PRINTING, FailReason.INTERRUPTED, "the app stopped while this job was being sent"
        ):
            log.warning("print job %d was interrupted; it needs a reprint (marked duplicate)", job_id)
            self._emit_job(job_id)
        cutoff = time.time() - self.stale_after_s
        for job in self.jobs.in_state(JobState.QUEUED):
            if job.created_at < cutoff:
                self.jobs.mark_failed(job.id, FailReason.STALE, "queued before a restart, too old to print")
                self._emit_job(job.id)
            else:
                self._queue.put(job.id)

    def _print(self, job_id: int) -> None:
        job = self.jobs.get(job_id)
        if job is None or job.state is not JobState.QUEUED:
            return  # already handled (queued twice by recovery and submit)
        try:
            receipt = Receipt.from_json(job.document)
        except ReceiptFormatError as exc:
            self.jobs.mark_failed(job_id, FailReason.BAD_DOCUMENT, str(exc))
            self._emit_job(job_id)
            return
        with self._device:
            self._refresh()
            self.jobs.mark_printing(job_id)
            self._emit_job(job_id)
            failure: tuple[FailReason, str] | None = None
            try:
                self.printer.print_receipt(receipt)
            except PrinterError as exc:
                failure = FailReason(exc.kind.value), exc.detail
            except ReceiptFormatError as exc:
                failure = FailReason.BAD_DOCUMENT, str(exc)
            except Exception as exc:
                log.exception("printer %s failed on job %d", self.printer.name, job_id)
                failure = FailReason.HARDWARE, f"{type(exc).__name__}: {exc}"
            if failure is None:
                self.jobs.mark_printed(job_id)
            else:
                self.jobs.mark_failed(job_id, *failure)
                self.printer.close()  # reopen on the next job: the printer may have been power-cycled
            self._refresh()
        self._emit_job(job_id)

    def _refresh(self) -> PrinterStatus:
        try:
            status = self.printer.status()
        except Exception as exc:
            log.exception("printer %s status query failed", self.printer.name)
            status = PrinterStatus(online=False, paper=PaperState.UNKNOWN, detail=f"status failed: {exc}")
        changed, self._status = status != self._status, status
        if changed and self.on_status is not None:
            try:
                self.on_status(status)
            except Exception:
                log.exception("print status listener failed")
        return status

    def _emit_job(self, job_id: int) -> None:
        job = self.jobs.get(job_id)
        if job is None:
            return
        try:
            duplicate = Receipt.from_json(job.document).duplicate
        except ReceiptFormatError:
            duplicate = False
        event = PrintJobEvent(
            job_id=job.id,
            kind=job.kind,
            ref=job.ref,
            state=job.state,
            reason=FailReason(job.reason) if job.reason else None,
            detail=job.detail,
            duplicate=duplicate,
            status=self._status,
        )
        with self._settled:
            self._settled.notify_all()
        try:
            self.on_event(event)
        except Exception:
            log.exception("print event listener failed")
