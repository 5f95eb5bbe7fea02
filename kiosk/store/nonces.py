"""Member-token nonces spent at this kiosk: the offline half of "a token works once"."""

from __future__ import annotations

import sqlite3

from kiosk.store import Store


class SpentNonces:
    def __init__(self, store: Store) -> None:
        self.store = store

    def spend(self, nonce: str, member_id: str, *, expires_at: float, now: float) -> bool:
        """Record the nonce; False if it was already spent here (a replay)."""
        try:
            with self.store.transaction() as conn:
                conn.execute(
                    "INSERT INTO spent_nonces(nonce, member_id, expires_at, spent_at) VALUES(?, ?, ?, ?)",
                    (nonce, member_id, expires_at, now),
                )
        except sqlite3.IntegrityError:
            return False
        return True

    def is_spent(self, nonce: str) -> bool:
        return bool(self.store.query("SELECT 1 FROM spent_nonces WHERE nonce = ?", (nonce,)))

    def prune(self, expired_before: float) -> int:
        """Forget nonces of tokens that can no longer verify anyway (they expired)."""
        with self.store.transaction() as conn:
            return conn.execute("DELETE FROM spent_nonces WHERE expires_at < ?", (expired_before,)).rowcount
