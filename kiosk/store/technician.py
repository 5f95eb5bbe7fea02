"""Technician credentials in the local store: the PIN hash, the wrong-PIN counter and the QR cards.

The counter lives here rather than in memory so that pulling the power plug does not reset a lockout.
Policy (how long to lock, what a valid PIN is) belongs to :mod:`kiosk.technician`; this module only
keeps the rows consistent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.store import Store


@dataclass(frozen=True)
class AuthState:
    pin_hash: str | None
    pin_set_at: float | None
    failures: int
    locked_until: float


@dataclass(frozen=True)
class CardRecord:
    id: int
    label: str
    created_at: float
    last_used_at: float | None
    revoked_at: float | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def _auth(row: sqlite3.Row) -> AuthState:
    return AuthState(
        pin_hash=row["pin_hash"],
        pin_set_at=row["pin_set_at"],
        failures=int(row["failures"]),
        locked_until=float(row["locked_until"]),
    )


def _card(row: sqlite3.Row) -> CardRecord:
    return CardRecord(
        id=int(row["id"]),
        label=str(row["label"]),
        created_at=float(row["created_at"]),
        last_used_at=row["last_used_at"],
        revoked_at=row["revoked_at"],
    )


_AUTH_SELECT = "SELECT pin_hash, pin_set_at, failures, locked_until FROM technician_auth WHERE id = 1"
_CARD_COLUMNS = "id, label, created_at, last_used_at, revoked_at"


class TechnicianStore:
    def __init__(self, store: Store) -> None:
        self._store = store

    def auth(self) -> AuthState:
        return _auth(self._store.query(_AUTH_SELECT)[0])

    def set_pin_hash(self, pin_hash: str, now: float, *, only_if_unset: bool = False) -> bool:
        """Store a new PIN hash; a new PIN also clears the wrong-PIN counter and any lockout.

        With ``only_if_unset`` (the first-run wizard) nothing changes if a PIN exists, and the result
        is False, so two wizards racing cannot overwrite each other's PIN.
        """
        guard = " AND pin_hash IS NULL" if only_if_unset else ""
        with self._store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE technician_auth SET pin_hash = ?, pin_set_at = ?, failures = 0, locked_until = 0 "
                "WHERE id = 1" + guard,
                (pin_hash, now),
            )
            return cursor.rowcount == 1

    def record_failure(self, lock_for: Callable[[int], float], now: float) -> AuthState:
        """Count one wrong PIN and lock for ``lock_for(new_count)`` seconds (0: no lock), atomically.

        Read and write share one ``BEGIN IMMEDIATE`` transaction so two attempts racing each other
        (or two processes on the same file) cannot both read the same count.
        """
        with self._store.transaction() as conn:
            failures = int(
                conn.execute("SELECT failures FROM technician_auth WHERE id = 1").fetchone()[0]
            ) + 1
            delay = lock_for(failures)
            locked_until = now + delay if delay > 0 else 0.0
            conn.execute(
                "UPDATE technician_auth SET failures = ?, locked_until = ? WHERE id = 1",
                (failures, locked_until),
            )
            return _auth(conn.execute(_AUTH_SELECT).fetchone())

    def record_success(self, rehashed: str | None = None) -> None:
        """A correct PIN clears the counter; ``rehashed`` replaces a hash made with weaker parameters."""
        with self._store.transaction() as conn:
            conn.execute("UPDATE technician_auth SET failures = 0, locked_until = 0 WHERE id = 1")
            if rehashed is not None:
                conn.execute("UPDATE technician_auth SET pin_hash = ? WHERE id = 1", (rehashed,))

    def clamp_lock(self, latest: float) -> None:
        """Pull a lock that ends after ``latest`` back to it (the wall clock was set backwards)."""
        with self._store.transaction() as conn:
            conn.execute(
                "UPDATE technician_auth SET locked_until = ? WHERE id = 1 AND locked_until > ?",
                (latest, latest),
            )

    # -- cards ---------------------------------------------------------------------------------------

    def add_card(self, card_hash: str, label: str, now: float) -> CardRecord:
        with self._store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO technician_cards(card_hash, label, created_at) VALUES(?, ?, ?)",
                (card_hash, label, now),
            )
            row = conn.execute(
                f"SELECT {_CARD_COLUMNS} FROM technician_cards WHERE id = ?", (cursor.lastrowid,)
            ).fetchone()
        return _card(row)

    def find_card(self, card_hash: str) -> CardRecord | None:
        rows = self._store.query(
            f"SELECT {_CARD_COLUMNS} FROM technician_cards WHERE card_hash = ?", (card_hash,)
        )
        return _card(rows[0]) if rows else None

    def mark_card_used(self, card_id: int, now: float) -> None:
        with self._store.transaction() as conn:
            conn.execute("UPDATE technician_cards SET last_used_at = ? WHERE id = ?", (now, card_id))

    def revoke_card(self, card_id: int, now: float) -> bool:
        """Revoke a card; False if there is no such card or it was already revoked."""
        with self._store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE technician_cards SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (now, card_id),
            )
            return cursor.rowcount == 1

    def cards(self) -> list[CardRecord]:
        rows = self._store.query(f"SELECT {_CARD_COLUMNS} FROM technician_cards ORDER BY id")
        return [_card(r) for r in rows]
