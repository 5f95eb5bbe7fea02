"""The print queue on a real SQLite file with the real drivers (image printer, fake serial printer)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.printing import ImagePrinter, NullPrinter, make_printer
from drivers.printing.fake import FakePrinterEngine, FakeSerialPrinter
from kiosk.config import PrinterConfig
from kiosk.devices import PaperState, Printer, PrinterStatus
from kiosk.printing import FailReason, JobNotFound, PrintJobEvent, PrintQueue
from kiosk.receipt import Receipt
from kiosk.store import Store, open_store
from kiosk.store.print_jobs import JobState, JobStateError, PrintJobs


class Events:
    def __init__(self) -> None:
        self.items: list[PrintJobEvent] = []
        self.threads: set[str] = set()
        self._cond = threading.Condition()

    def __call__(self, event: PrintJobEvent) -> None:
        with self._cond:
            self.threads.add(threading.current_thread().name)
            self.items.append(event)
            self._cond.notify_all()

    def wait(self, predicate: Callable[[PrintJobEvent], bool], timeout: float = 10.0) -> PrintJobEvent:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for event in self.items:
                    if predicate(event):
                        return event
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no such event; got {self.items}")
                self._cond.wait(left)

    def final(self, job_id: int) -> PrintJobEvent:
        return self.wait(lambda e: e.job_id == job_id and e.state in (JobState.PRINTED, JobState.FAILED))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store, _ = open_store(tmp_path / "data")
    yield store
    store.close()


def image_printer(tmp_path: Path) -> ImagePrinter:
    printer = make_printer(PrinterConfig(kind="image", paper_mm=58), tmp_path)
    assert isinstance(printer, ImagePrinter)
    return printer


def receipt(text: str = "取件码：A7K392") -> Receipt:
    return Receipt().text(text).cut()


class WatchingPrinter:
    """Delegates to a real printer and records, through its own database connection, the job's
    committed state at the moment the first byte would go out."""

    def __init__(self, inner: Printer, db: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.dots_per_line = inner.dots_per_line
        self.observer = Store(db)
        self.seen: list[list[str]] = []

    def status(self) -> PrinterStatus:
        return self.inner.status()

    def print_receipt(self, receipt: Receipt) -> None:
        self.seen.append([r["state"] for r in self.observer.query("SELECT state FROM print_jobs")])
        self.inner.print_receipt(receipt)

    def close(self) -> None:
        self.inner.close()


def test_states_are_committed_before_printing_and_after(store: Store, tmp_path: Path) -> None:
    events = Events()
    printer = WatchingPrinter(image_printer(tmp_path), store.path)
    queue = PrintQueue(store, printer, events)
    queue.start()
    try:
        job_id = queue.submit(receipt(), "order", "A7K392")
        assert PrintJobs(store).get(job_id) is not None  # committed when submit returns
        final = events.final(job_id)
    finally:
        queue.stop()
        printer.observer.close()
    assert printer.seen == [["printing"]]  # another connection already saw 'printing'
    assert events.threads == {f"print-queue {printer.name}"}  # the UI bridge marshals from there
    assert final.state is JobState.PRINTED and final.reason is None and not final.duplicate
    assert [e.state for e in events.items if e.job_id == job_id] == [JobState.PRINTING, JobState.PRINTED]
    job = queue.last_job()
    assert job is not None and job.id == job_id and job.kind == "order" and job.ref == "A7K392"
    assert Receipt.from_json(job.document) == receipt()
    assert queue.status().ready
    assert len(list((tmp_path / "receipts").glob("*.png"))) == 1


def test_crash_recovery_never_reprints_an_original(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store, _ = open_store(data)
    jobs = PrintJobs(store)
    interrupted = jobs.create("order", "A1", receipt("一").to_json())
    jobs.mark_printing(interrupted)  # the power went here
    stale = jobs.create("order", "A2", receipt("二").to_json())
    with store.transaction() as conn:
        conn.execute("UPDATE print_jobs SET created_at = ? WHERE id = ?", (time.time() - 3600, stale))
    fresh = jobs.create("order", "A3", receipt("三").to_json())
    store.close()

    store, _ = open_store(data)  # the app starts again on the same file
    events = Events()
    printer = image_printer(tmp_path)
    queue = PrintQueue(store, printer, events, stale_after_s=600)
    queue.start()
    try:
        assert events.final(interrupted).reason is FailReason.INTERRUPTED
        assert events.final(stale).reason is FailReason.STALE
        printed = events.final(fresh)
        assert printed.state is JobState.PRINTED and not printed.duplicate
        assert len(list((tmp_path / "receipts").glob("*.png"))) == 1  # only the never-sent one

        again = queue.reprint(interrupted)
        final = events.final(again)
        assert final.state is JobState.PRINTED and final.duplicate and final.ref == "A1"
        job = queue.job(again)
        assert job is not None and job.reprint_of == interrupted
        assert [j.id for j in queue.recent_jobs(2)] == [again, fresh]
        assert Receipt.from_json(job.document).duplicate
    finally:
        queue.stop()
        store.close()


def test_paper_out_mid_receipt_then_refill_and_reprint(store: Store, tmp_path: Path) -> None:
    fake = FakeSerialPrinter(FakePrinterEngine(paper_out_after_bytes=60))
    events = Events()
    printer = make_printer(PrinterConfig(kind="serial", serial_port=fake.port, paper_mm=58), tmp_path)
    queue = PrintQueue(store, printer, events)
    queue.start()
    try:
        first = queue.submit(Receipt().text("中文" * 30).cut(), "order", "B1")
        failed = events.final(first)
        assert failed.state is JobState.FAILED and failed.reason is FailReason.PAPER_OUT
        assert queue.status().paper is PaperState.OUT

        received = len(fake.engine.received)
        second = queue.submit(receipt(), "order", "B2")
        assert events.final(second).reason is FailReason.PAPER_OUT
        assert b"\x1c&" not in fake.engine.received[received:]  # refused before sending

        fake.engine.paper_out_after_bytes = None
        fake.state.paper = PaperState.OK
        assert queue.check_ready().ready and queue.status().ready
        again = queue.reprint(first)
        final = events.final(again)
        assert final.state is JobState.PRINTED and final.duplicate
        assert b"DUPLICATE" in fake.engine.received and fake.engine.jobs == 1
    finally:
        queue.stop()
        fake.close()


def test_queue_reopens_after_a_power_cycled_printer(store: Store, tmp_path: Path) -> None:
    link = tmp_path / "printer"
    first = FakeSerialPrinter()
    link.symlink_to(first.port)
    events = Events()
    queue = PrintQueue(store, make_printer(PrinterConfig(kind="serial", serial_port=str(link)), tmp_path), events)
    queue.start()
    second: FakeSerialPrinter | None = None
    try:
        assert events.final(queue.submit(receipt(), "order")).state is JobState.PRINTED
        first.close()
        lost = events.final(queue.submit(receipt(), "order"))
        assert lost.reason is FailReason.OFFLINE and not lost.status.online
        second = FakeSerialPrinter()
        link.unlink()
        link.symlink_to(second.port)
        assert events.final(queue.submit(receipt("回来了"), "order")).state is JobState.PRINTED
        assert "回来了".encode("gb18030") in second.engine.received
    finally:
        queue.stop()
        if second is not None:
            second.close()


def test_not_configured_printer_fails_with_its_reason(store: Store) -> None:
    events = Events()
    queue = PrintQueue(store, NullPrinter(), events)
    queue.start()
    try:
        event = events.final(queue.submit(receipt(), "voucher", "V1"))
        assert event.reason is FailReason.NOT_CONFIGURED
        assert not queue.status().configured
    finally:
        queue.stop()


def test_reprint_needs_a_finished_job(store: Store, tmp_path: Path) -> None:
    queue = PrintQueue(store, image_printer(tmp_path), Events())  # not started: jobs stay queued
    job_id = queue.submit(receipt(), "order")
    with pytest.raises(JobStateError):
        queue.reprint(job_id)
    with pytest.raises(JobNotFound):
        queue.reprint(job_id + 100)


def test_bad_document_fails_without_touching_the_printer(store: Store, tmp_path: Path) -> None:
    events = Events()
    printer = image_printer(tmp_path)
    queue = PrintQueue(store, printer, events)
    queue.start()
    try:
        event = events.final(queue.submit(Receipt().qr("x" * 3000), "order"))
        assert event.reason is FailReason.BAD_DOCUMENT
        assert printer.last_path is None
    finally:
        queue.stop()


def test_status_changes_are_reported_and_check_ready_asks_again(store: Store, tmp_path: Path) -> None:
    fake = FakeSerialPrinter()
    statuses: list[PrinterStatus] = []
    changed = threading.Event()

    def on_status(status: PrinterStatus) -> None:
        statuses.append(status)
        changed.set()

    printer = make_printer(PrinterConfig(kind="serial", serial_port=fake.port), tmp_path)
    queue = PrintQueue(store, printer, Events(), on_status=on_status)
    assert not queue.status().online  # nothing asked yet: not "OK"
    queue.start()
    try:
        assert changed.wait(5) and statuses[-1].ready
        fake.state.cover_open = True
        assert queue.status().ready  # cached until something asks
        fresh = queue.check_ready()
        assert fresh.cover_open and not fresh.ready and queue.status() == fresh
        assert statuses[-1] == fresh
    finally:
        queue.stop()
        fake.close()
