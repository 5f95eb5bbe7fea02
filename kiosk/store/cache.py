"""Cached cloud documents (catalogue, public keys) with their ETag, so the kiosk starts offline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kiosk.store import Store
from kiosk.store.outbox import dumps


@dataclass(frozen=True)
class CachedDocument:
    name: str
    etag: str
    body: Any
    fetched_at: float


class DocumentCache:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, name: str) -> CachedDocument | None:
        rows = self.store.query("SELECT name, etag, body, fetched_at FROM cache WHERE name = ?", (name,))
        if not rows:
            return None
        row = rows[0]
        return CachedDocument(
            str(row["name"]), str(row["etag"]), json.loads(row["body"]), float(row["fetched_at"])
        )

    def put(self, name: str, body: Any, *, etag: str, now: float) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO cache(name, etag, body, fetched_at) VALUES(?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET etag = excluded.etag, body = excluded.body, "
                "fetched_at = excluded.fetched_at",
                (name, etag, dumps(body), now),
            )

    def touch(self, name: str, now: float) -> None:
        """The cloud said 304: the cached copy is current as of ``now``."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE cache SET fetched_at = ? WHERE name = ?", (now, name))
