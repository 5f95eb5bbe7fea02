"""Which print job carries a voucher: the link between a confirmed redemption and the print queue,
so a voucher already queued (or printed) before a crash is not printed a second time as an original."""

from __future__ import annotations

from kiosk.store import Store
from kiosk.store.print_jobs import PrintJob, PrintJobs

VOUCHER_JOB_KIND = "voucher"


def latest_voucher_job(store: Store, redemption_key: str) -> PrintJob | None:
    rows = store.query(
        "SELECT id FROM print_jobs WHERE kind = ? AND ref = ? ORDER BY id DESC LIMIT 1",
        (VOUCHER_JOB_KIND, redemption_key),
    )
    return PrintJobs(store).get(int(rows[0]["id"])) if rows else None
