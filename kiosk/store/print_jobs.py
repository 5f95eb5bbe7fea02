"""Print jobs: queued → printing → printed / failed, committed before any byte reaches the printer.

A job found in ``printing`` at start-up may have printed in full, in part or not at all; it is marked
``failed`` with reason ``interrupted`` and never sent again on its own (see :mod:`kiosk.printing`).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.receipt import Receipt, ReceiptFormatError
from kiosk.store import Store


class JobState(StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


class JobStateError(Exception):
    """A transition the job's current state does not allow (e.g. printing a job twice)."""


@dataclass(frozen=True)
class PrintJob:
    id: int
    kind: str
    ref: str
    document: str
    state: JobState
    reason: str
    detail: str
    reprint_of: int | None
    created_at: float
    updated_at: float


_COLUMNS = "id, kind, ref, document, state, reason, detail, reprint_of, created_at, updated_at"


def _job(row: sqlite3.Row) -> PrintJob:
    return PrintJob(
        id=row["id"],
        kind=row["kind"],
        ref=row["ref"],
        document=row["document"],
        state=JobState(row["state"]),
        reason=row["reason"],
        detail=row["detail"],
        reprint_of=row["reprint_of"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class PrintJobs:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, kind: str, ref: str, document: str, reprint_of: int | None = None) -> int:
        now = time.time()
        with self.store.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO print_jobs(kind, ref, document, reprint_of, created_at, updated_at) "
                "VALUES(?, ?, ?, ?, ?, ?)",
                (kind, ref, document, reprint_of, now, now),
            )
            return int(cur.lastrowid or 0)

    def _move(self, job_id: int, to: JobState, allowed: tuple[JobState, ...], reason: str, detail: str) -> None:
        marks = ",".join("?" * len(allowed))
        with self.store.transaction() as conn:
            cur = conn.execute(
                f"UPDATE print_jobs SET state = ?, reason = ?, detail = ?, updated_at = ? "
                f"WHERE id = ? AND state IN ({marks})",
                (to.value, reason, detail, time.time(), job_id, *(s.value for s in allowed)),
            )
            if cur.rowcount != 1:
                row = conn.execute("SELECT state FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
                now = "missing" if row is None else row["state"]
                raise JobStateError(f"print job {job_id}: cannot go to {to.value} from {now}")
            if to in (JobState.PRINTED, JobState.FAILED):
                _drop_private_rows(conn, (job_id,))

    def mark_printing(self, job_id: int) -> None:
        self._move(job_id, JobState.PRINTING, (JobState.QUEUED,), "", "")

    def mark_printed(self, job_id: int) -> None:
        self._move(job_id, JobState.PRINTED, (JobState.PRINTING,), "", "")

    def mark_failed(self, job_id: int, reason: str, detail: str = "") -> None:
        self._move(job_id, JobState.FAILED, (JobState.QUEUED, JobState.PRINTING), reason, detail)

    def get(self, job_id: int) -> PrintJob | None:
        rows = self.store.query(f"SELECT {_COLUMNS} FROM print_jobs WHERE id = ?", (job_id,))
        return _job(rows[0]) if rows else None

    def last(self) -> PrintJob | None:
        rows = self.store.query(f"SELECT {_COLUMNS} FROM print_jobs ORDER BY id DESC LIMIT 1")
        return _job(rows[0]) if rows else None

    def recent(self, limit: int = 20) -> list[PrintJob]:
        rows = self.store.query(f"SELECT {_COLUMNS} FROM print_jobs ORDER BY id DESC LIMIT ?", (limit,))
        return [_job(r) for r in rows]

    def in_state(self, state: JobState) -> list[PrintJob]:
        rows = self.store.query(f"SELECT {_COLUMNS} FROM print_jobs WHERE state = ? ORDER BY id", (state.value,))
        return [_job(r) for r in rows]

    def fail_all(self, state: JobState, reason: str, detail: str) -> list[int]:
        """Fail every job in ``state`` in one transaction; returns their ids."""
        with self.store.transaction() as conn:
            ids = [
                int(r["id"])
                for r in conn.execute("SELECT id FROM print_jobs WHERE state = ? ORDER BY id", (state.value,))
            ]
            conn.execute(
                "UPDATE print_jobs SET state = 'failed', reason = ?, detail = ?, updated_at = ? WHERE state = ?",
                (reason, detail, time.time(), state.value),
            )
            _drop_private_rows(conn, ids)
        return ids


def _drop_private_rows(conn: sqlite3.Connection, job_ids: Iterable[int]) -> None:
    """A finished job keeps its document without the private rows (the resident's address): a
    reprint still has the code, QR, service and masked phone. A document that cannot be read is left
    as it is (it never printed either)."""
    for job_id in job_ids:
        row = conn.execute("SELECT document FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
        try:
            document = Receipt.from_json(row["document"])
        except ReceiptFormatError:
            continue
        if document.has_private:
            conn.execute(
                "UPDATE print_jobs SET document = ? WHERE id = ?", (document.without_private().to_json(), job_id)
            )
