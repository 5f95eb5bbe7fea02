"""The outbox: everything that must reach the cloud, queued in the same transaction as the thing itself.

A row is delivered at least once with its idempotency key (the cloud applies it at most once), so a
crash between the cloud's commit and ours only means one more send of the same key. Rows end ``done``
(with the cloud's answer), ``rejected`` (a contract error code, surfaced, never retried) or
``cancelled`` (the kiosk knows the request never left the machine and withdrew it).
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.store import Store


class OutboxState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class OutboxItem:
    id: int
    kind: str
    idempotency_key: str
    payload: dict[str, Any]
    state: OutboxState
    attempts: int
    next_attempt_at: float
    last_error: str
    error_code: str
    result: dict[str, Any] | None
    created_at: float
    done_at: float | None
    outcome_unknown: bool = False  # an earlier attempt may have been applied: ask before taking a refusal


@dataclass(frozen=True)
class OutboxStats:
    depth: int
    oldest_age_s: float
    rejected: int


_COLUMNS = (
    "id, kind, idempotency_key, payload, state, attempts, next_attempt_at, last_error, error_code, "
    "result, created_at, done_at, outcome_unknown"
)


def _item(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        id=int(row["id"]),
        kind=str(row["kind"]),
        idempotency_key=str(row["idempotency_key"]),
        payload=json.loads(row["payload"]),
        state=OutboxState(row["state"]),
        attempts=int(row["attempts"]),
        next_attempt_at=float(row["next_attempt_at"]),
        last_error=str(row["last_error"]),
        error_code=str(row["error_code"]),
        result=None if row["result"] is None else json.loads(row["result"]),
        created_at=float(row["created_at"]),
        done_at=None if row["done_at"] is None else float(row["done_at"]),
        outcome_unknown=bool(row["outcome_unknown"]),
    )


def dumps(value: object) -> str:
    """Compact, stable JSON for stored payloads (the same bytes are sent on every retry)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class Outbox:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- writes that join the caller's transaction ---------------------------------------------------

    @staticmethod
    def enqueue(
        conn: sqlite3.Connection,
        kind: str,
        idempotency_key: str,
        payload: dict[str, Any],
        *,
        now: float,
        not_before: float = 0.0,
    ) -> int:
        """Queue a row inside the caller's transaction (with the row it belongs to)."""
        cur = conn.execute(
            "INSERT INTO outbox(kind, idempotency_key, payload, next_attempt_at, created_at) VALUES(?, ?, ?, ?, ?)",
            (kind, idempotency_key, dumps(payload), not_before, now),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    @staticmethod
    def complete(conn: sqlite3.Connection, item_id: int, result: dict[str, Any], *, now: float) -> bool:
        """Mark delivered; False when the row was no longer pending (someone else finished it)."""
        cur = conn.execute(
            "UPDATE outbox SET state = 'done', result = ?, done_at = ?, last_error = '', error_code = '' "
            "WHERE id = ? AND state = 'pending'",
            (dumps(result), now, item_id),
        )
        return cur.rowcount == 1

    @staticmethod
    def reject(conn: sqlite3.Connection, item_id: int, code: str, message: str, *, now: float) -> bool:
        cur = conn.execute(
            "UPDATE outbox SET state = 'rejected', error_code = ?, last_error = ?, done_at = ?, "
            "attempts = attempts + 1 WHERE id = ? AND state = 'pending'",
            (code, message, now, item_id),
        )
        return cur.rowcount == 1

    @staticmethod
    def cancel(conn: sqlite3.Connection, item_id: int, reason: str, *, now: float) -> bool:
        cur = conn.execute(
            "UPDATE outbox SET state = 'cancelled', last_error = ?, done_at = ? WHERE id = ? AND state = 'pending'",
            (reason, now, item_id),
        )
        return cur.rowcount == 1

    # -- writes of their own ---------------------------------------------------------------------------

    def record_failure(
        self, item_id: int, code: str, message: str, *, retry_at: float, outcome_unknown: bool = False
    ) -> None:
        """A transient failure: count it, say why, and hold the row until ``retry_at``.
        ``outcome_unknown``: the request may have been applied (once set, it stays set)."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, error_code = ?, "
                "last_error = ?, outcome_unknown = MAX(outcome_unknown, ?) WHERE id = ? AND state = 'pending'",
                (retry_at, code, message, int(outcome_unknown), item_id),
            )

    def release(self, item_id: int, *, at: float, outcome_unknown: bool = False) -> None:
        """Make a held row due at ``at`` (the sender takes over from an inline attempt)."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET next_attempt_at = ?, outcome_unknown = MAX(outcome_unknown, ?) "
                "WHERE id = ? AND state = 'pending'",
                (at, int(outcome_unknown), item_id),
            )

    def prune(self, finished_before: float) -> int:
        """Forget delivered and cancelled rows finished before the cutoff (the orders themselves stay in
        their own table). Refused rows are kept: a technician must see them."""
        with self.store.transaction() as conn:
            return conn.execute(
                "DELETE FROM outbox WHERE state IN ('done', 'cancelled') AND done_at < ?", (finished_before,)
            ).rowcount

    def release_held(self) -> int:
        """At start-up: rows held for an inline sender of a previous process (an inline redemption cut
        off by a crash) are due now, so their outcome is settled at once, not after the hold runs out.
        That sender may have sent them before it died: their outcome is unknown."""
        with self.store.transaction() as conn:
            return conn.execute(
                "UPDATE outbox SET next_attempt_at = 0, outcome_unknown = 1 "
                "WHERE state = 'pending' AND next_attempt_at > 0 AND attempts = 0"
            ).rowcount

    def retry_now(self) -> int:
        """Make every backed-off row due now (the technician's "sync now", or the cloud is back).

        A row held back with no attempt yet is being sent by its owner (an inline redemption) and is
        left alone, so it never goes out twice at once.
        """
        with self.store.transaction() as conn:
            return conn.execute(
                "UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending' AND next_attempt_at > 0 AND attempts > 0"
            ).rowcount

    # -- reads -----------------------------------------------------------------------------------------

    def get(self, item_id: int) -> OutboxItem | None:
        rows = self.store.query(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (item_id,))
        return _item(rows[0]) if rows else None

    def by_key(self, idempotency_key: str) -> OutboxItem | None:
        rows = self.store.query(f"SELECT {_COLUMNS} FROM outbox WHERE idempotency_key = ?", (idempotency_key,))
        return _item(rows[0]) if rows else None

    def next_due(self, now: float) -> OutboxItem | None:
        """The oldest pending row that is due: rows go out in the order they were taken."""
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 1",
            (now,),
        )
        return _item(rows[0]) if rows else None

    def next_attempt_at(self) -> float | None:
        row = self.store.query("SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'")[0]
        return None if row[0] is None else float(row[0])

    def pending(self, limit: int = 1000) -> list[OutboxItem]:
        return [
            _item(r)
            for r in self.store.query(
                f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?", (limit,)
            )
        ]

    def rejected(self, limit: int = 100) -> list[OutboxItem]:
        return [
            _item(r)
            for r in self.store.query(
                f"SELECT {_COLUMNS} FROM outbox WHERE state = 'rejected' ORDER BY id DESC LIMIT ?", (limit,)
            )
        ]

    def stats(self, now: float | None = None) -> OutboxStats:
        now = time.time() if now is None else now
        row = self.store.query(
            "SELECT COUNT(*) FILTER (WHERE state = 'pending'), "
            "MIN(created_at) FILTER (WHERE state = 'pending'), "
            "COUNT(*) FILTER (WHERE state = 'rejected') FROM outbox"
        )[0]
        oldest = 0.0 if row[1] is None else max(0.0, now - float(row[1]))
        return OutboxStats(depth=int(row[0]), oldest_age_s=oldest, rejected=int(row[2]))
