"""Operations a screen waits for, with typed outcomes the UI turns into specific messages."""

from __future__ import annotations

import time
from collections.abc import Callable

from kiosk.devices import PrinterErrorKind
from kiosk.printing import FailReason, PrintQueue
from kiosk.receipt import Receipt
from kiosk.store.orders import LocalOrder, Orders
from kiosk.store.print_jobs import JobState
from kiosk.tickets import OrderReceiptFacts, order_qr

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


def cut_off_receipt_facts(
    order: LocalOrder, *, station: str, hotline: str, service: str, provider: str, slot: str
) -> OrderReceiptFacts:
    """The receipt of an order whose resident never got it, from what the kiosk still holds: the
    phone shows only its last four digits, and there is no address (a reprint never carries it)."""
    return OrderReceiptFacts(
        station=station, hotline=hotline, code=order.display_code, synced=order.synced, service=service,
        provider=provider, slot=slot, contact_masked=f"*******{order.phone_last4}", beneficiary_masked="",
        address="", created_at=order.created_at, qr=order_qr(order.display_code, order.phone_last4),
    )


def reprint_cut_off(orders: Orders, queue: PrintQueue, receipt_for: Callable[[LocalOrder], Receipt]) -> int | None:
    """Print, marked 补打, the newest order whose resident was never told its code (the kiosk stopped
    between storing it and the receipt); it then counts as told. Returns the job id, None if none."""
    untold = orders.untold()
    if not untold:
        return None
    order = untold[0]
    job_id = queue.submit(receipt_for(order).as_duplicate(), "order", order.display_code)
    orders.mark_told(order.client_code, time.time())
    return job_id
