"""Orders, ratings and gift redemptions taken at this kiosk, each written with its outbox row.

The writes here join the caller's transaction (``conn``) so that a row and its outbox row, or an
outbox completion and the cloud's answer, commit together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.store import Store
from kiosk.store.outbox import dumps


class LocalState(StrEnum):
    QUEUED = "queued"
    SYNCED = "synced"
    REJECTED = "rejected"


@dataclass(frozen=True)
class LocalOrder:
    """An order as this kiosk knows it. ``order_code`` is None until the cloud has answered."""

    client_code: str
    idempotency_key: str
    phone_last4: str
    body: dict[str, Any]
    state: LocalState
    order_code: str | None
    reject_code: str
    created_at: float
    synced_at: float | None

    @property
    def synced(self) -> bool:
        return self.state is LocalState.SYNCED

    @property
    def display_code(self) -> str:
        return self.order_code or self.client_code


@dataclass(frozen=True)
class LocalRating:
    idempotency_key: str
    order_ref: str
    body: dict[str, Any]
    state: LocalState
    reject_code: str
    created_at: float


class RedemptionState(StrEnum):
    SENDING = "sending"  # persisted; the outcome is not known yet
    CONFIRMED = "confirmed"
    CONFLICT = "conflict"  # an offline redemption the cloud could not apply (recorded for staff)
    REJECTED = "rejected"
    NOT_SENT = "not_sent"  # the request provably never left the kiosk


@dataclass(frozen=True)
class Redemption:
    idempotency_key: str
    request: dict[str, Any]
    state: RedemptionState
    reject_code: str
    redemption_no: str | None
    voucher: dict[str, Any] | None
    printed_at: float | None
    created_at: float


# What a confirmed order keeps: enough to show its code and service, to find it by code and the phone's
# last four digits (a column of its own), and its times. Phones, names, address and notes go.
KEPT_AFTER_CONFIRMATION = ("service_id", "client_code", "created_at", "time_slot")


def minimal_order(body: dict[str, Any]) -> dict[str, Any]:
    return {k: body[k] for k in KEPT_AFTER_CONFIRMATION if k in body}


def _minimise(conn: sqlite3.Connection, key: str) -> None:
    """The order's body and its outbox payload reduced to :data:`KEPT_AFTER_CONFIRMATION`."""
    row = conn.execute("SELECT body FROM local_orders WHERE idempotency_key = ?", (key,)).fetchone()
    if row is None:
        return
    minimal = dumps(minimal_order(json.loads(row["body"])))
    conn.execute("UPDATE local_orders SET body = ? WHERE idempotency_key = ?", (minimal, key))
    conn.execute("UPDATE outbox SET payload = ? WHERE idempotency_key = ? AND kind = 'order'", (minimal, key))


def _order(row: sqlite3.Row) -> LocalOrder:
    return LocalOrder(
        client_code=str(row["client_code"]),
        idempotency_key=str(row["idempotency_key"]),
        phone_last4=str(row["phone_last4"]),
        body=json.loads(row["body"]),
        state=LocalState(row["state"]),
        order_code=row["order_code"],
        reject_code=str(row["reject_code"]),
        created_at=float(row["created_at"]),
        synced_at=row["synced_at"],
    )


def _rating(row: sqlite3.Row) -> LocalRating:
    return LocalRating(
        idempotency_key=str(row["idempotency_key"]),
        order_ref=str(row["order_ref"]),
        body=json.loads(row["body"]),
        state=LocalState(row["state"]),
        reject_code=str(row["reject_code"]),
        created_at=float(row["created_at"]),
    )


def _redemption(row: sqlite3.Row) -> Redemption:
    return Redemption(
        idempotency_key=str(row["idempotency_key"]),
        request=json.loads(row["request"]),
        state=RedemptionState(row["state"]),
        reject_code=str(row["reject_code"]),
        redemption_no=row["redemption_no"],
        voucher=None if row["voucher"] is None else json.loads(row["voucher"]),
        printed_at=row["printed_at"],
        created_at=float(row["created_at"]),
    )


class Orders:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- orders ----------------------------------------------------------------------------------------

    @staticmethod
    def insert_order(
        conn: sqlite3.Connection,
        client_code: str,
        key: str,
        phone_last4: str,
        body: dict[str, Any],
        now: float,
    ) -> None:
        conn.execute(
            "INSERT INTO local_orders(client_code, idempotency_key, phone_last4, body, created_at) "
            "VALUES(?, ?, ?, ?, ?)",
            (client_code, key, phone_last4, dumps(body), now),
        )

    @staticmethod
    def client_code_taken(conn: sqlite3.Connection, client_code: str) -> bool:
        return conn.execute("SELECT 1 FROM local_orders WHERE client_code = ?", (client_code,)).fetchone() is not None

    @staticmethod
    def order_synced(conn: sqlite3.Connection, key: str, order_code: str, now: float) -> None:
        """Record the cloud's code and, in the same transaction, forget the resident's personal data:
        from here on the cloud keeps it, and the kiosk needs only what it shows and looks up."""
        conn.execute(
            "UPDATE local_orders SET state = 'synced', order_code = ?, synced_at = ? WHERE idempotency_key = ?",
            (order_code, now, key),
        )
        _minimise(conn, key)

    @staticmethod
    def minimise_confirmed(conn: sqlite3.Connection) -> int:
        """Minimise every confirmed order still holding personal data (confirmed by an older version,
        which kept it); returns how many."""
        keys = [
            str(r["idempotency_key"])
            for r in conn.execute(
                "SELECT idempotency_key, body FROM local_orders WHERE state = 'synced'"
            )
            if minimal_order(json.loads(r["body"])) != json.loads(r["body"])
        ]
        for key in keys:
            _minimise(conn, key)
        return len(keys)

    @staticmethod
    def forget_before(conn: sqlite3.Connection, before: float) -> int:
        """Retention: confirmed orders and ratings confirmed before ``before`` are deleted (the cloud
        keeps them; a receipt is looked up there), and orders the cloud refused that long ago keep
        only their code, service and refusal for the technician. Returns how many orders changed."""
        gone = conn.execute(
            "DELETE FROM local_orders WHERE state = 'synced' AND synced_at < ?", (before,)
        ).rowcount
        conn.execute("DELETE FROM local_ratings WHERE state = 'synced' AND synced_at < ?", (before,))
        refused = [
            str(r["idempotency_key"])
            for r in conn.execute(
                "SELECT idempotency_key, body FROM local_orders WHERE state = 'rejected' AND created_at < ?", (before,)
            )
            if minimal_order(json.loads(r["body"])) != json.loads(r["body"])
        ]
        for key in refused:
            _minimise(conn, key)
        return gone + len(refused)

    @staticmethod
    def order_rejected(conn: sqlite3.Connection, key: str, code: str) -> None:
        conn.execute(
            "UPDATE local_orders SET state = 'rejected', reject_code = ? WHERE idempotency_key = ?",
            (code, key),
        )

    def order(self, client_code: str) -> LocalOrder | None:
        rows = self.store.query("SELECT * FROM local_orders WHERE client_code = ?", (client_code,))
        return _order(rows[0]) if rows else None

    def find_order(self, code: str, phone_last4: str) -> LocalOrder | None:
        """An order made here, by client or cloud code, only with the right phone digits."""
        rows = self.store.query(
            "SELECT * FROM local_orders WHERE (client_code = ? OR order_code = ?) AND phone_last4 = ?",
            (code, code, phone_last4),
        )
        return _order(rows[0]) if rows else None

    def mark_told(self, client_code: str, now: float) -> bool:
        """The resident has been given the order's code (printed, or on the done screen)."""
        with self.store.transaction() as conn:
            return conn.execute(
                "UPDATE local_orders SET told_at = ? WHERE client_code = ? AND told_at IS NULL", (now, client_code)
            ).rowcount == 1

    def untold(self) -> list[LocalOrder]:
        """Orders stored here whose resident was never told the code (the kiosk stopped in between),
        newest first."""
        return [
            _order(r)
            for r in self.store.query("SELECT * FROM local_orders WHERE told_at IS NULL ORDER BY created_at DESC")
        ]

    def orders(self, limit: int = 100_000) -> list[LocalOrder]:
        return [_order(r) for r in self.store.query("SELECT * FROM local_orders ORDER BY created_at LIMIT ?", (limit,))]

    # -- ratings ---------------------------------------------------------------------------------------

    @staticmethod
    def insert_rating(conn: sqlite3.Connection, key: str, order_ref: str, body: dict[str, Any], now: float) -> None:
        conn.execute(
            "INSERT INTO local_ratings(idempotency_key, order_ref, body, created_at) VALUES(?, ?, ?, ?)",
            (key, order_ref, dumps(body), now),
        )

    @staticmethod
    def rating_synced(conn: sqlite3.Connection, key: str, now: float) -> None:
        conn.execute("UPDATE local_ratings SET state = 'synced', synced_at = ? WHERE idempotency_key = ?", (now, key))

    @staticmethod
    def rating_rejected(conn: sqlite3.Connection, key: str, code: str) -> None:
        conn.execute(
            "UPDATE local_ratings SET state = 'rejected', reject_code = ? WHERE idempotency_key = ?",
            (code, key),
        )

    def rated_here(self, code: str) -> bool:
        """A rating for this order (by client or cloud code) was taken here and not refused."""
        rows = self.store.query(
            "SELECT 1 FROM local_ratings r LEFT JOIN local_orders o "
            "ON r.order_ref = o.client_code OR r.order_ref = o.order_code "
            "WHERE r.state != 'rejected' AND (r.order_ref = ? OR o.client_code = ? OR o.order_code = ?) LIMIT 1",
            (code, code, code),
        )
        return bool(rows)

    def rating(self, key: str) -> LocalRating | None:
        rows = self.store.query("SELECT * FROM local_ratings WHERE idempotency_key = ?", (key,))
        return _rating(rows[0]) if rows else None

    # -- redemptions -----------------------------------------------------------------------------------

    @staticmethod
    def insert_redemption(conn: sqlite3.Connection, key: str, request: dict[str, Any], now: float) -> None:
        conn.execute(
            "INSERT INTO redemptions(idempotency_key, request, created_at, updated_at) VALUES(?, ?, ?, ?)",
            (key, dumps(request), now, now),
        )

    @staticmethod
    def redemption_answered(conn: sqlite3.Connection, key: str, answer: dict[str, Any], now: float) -> None:
        """Record the cloud's definite 2xx answer: a voucher, or a conflict it recorded for staff."""
        state = RedemptionState.CONFLICT if answer.get("conflict") else RedemptionState.CONFIRMED
        conn.execute(
            "UPDATE redemptions SET state = ?, redemption_no = ?, voucher = ?, updated_at = ? "
            "WHERE idempotency_key = ?",
            (state.value, answer.get("redemption_no"), dumps(answer), now, key),
        )

    @staticmethod
    def redemption_failed(conn: sqlite3.Connection, key: str, state: RedemptionState, code: str, now: float) -> None:
        conn.execute(
            "UPDATE redemptions SET state = ?, reject_code = ?, updated_at = ? WHERE idempotency_key = ?",
            (state.value, code, now, key),
        )

    def redemption(self, key: str) -> Redemption | None:
        rows = self.store.query("SELECT * FROM redemptions WHERE idempotency_key = ?", (key,))
        return _redemption(rows[0]) if rows else None

    def redemptions_in(self, state: RedemptionState) -> list[Redemption]:
        """Oldest first; e.g. the offline redemptions still on their way, for the offline caps."""
        return [
            _redemption(r)
            for r in self.store.query(
                "SELECT * FROM redemptions WHERE state = ? ORDER BY created_at", (state.value,)
            )
        ]

    def unprinted_vouchers(self) -> list[Redemption]:
        return [
            _redemption(r)
            for r in self.store.query(
                "SELECT * FROM redemptions WHERE state = 'confirmed' AND printed_at IS NULL ORDER BY created_at"
            )
        ]

    def mark_voucher_printed(self, key: str, now: float) -> bool:
        with self.store.transaction() as conn:
            cur = conn.execute(
                "UPDATE redemptions SET printed_at = ?, updated_at = ? "
                "WHERE idempotency_key = ? AND state = 'confirmed' AND printed_at IS NULL",
                (now, now, key),
            )
            return cur.rowcount == 1
