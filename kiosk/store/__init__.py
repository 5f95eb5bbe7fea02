"""The kiosk's local SQLite store. This package is the only place in ``kiosk/`` that writes SQL.

Durability rules: WAL journal, ``synchronous=FULL``, every write inside ``BEGIN IMMEDIATE`` … ``COMMIT``
(:meth:`Store.transaction`), and callers show success or print only after the transaction returns.
The schema is migrated by ``PRAGMA user_version``; a database that fails ``integrity_check`` at start-up
is moved aside (kept, never deleted) and a fresh one is started, and the move is reported.

Domain tables get a small module each here (outbox, print jobs, …) built on :class:`Store`.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.store.schema import MIGRATIONS

log = logging.getLogger(__name__)

DB_NAME = "kiosk.sqlite3"


class StoreError(Exception):
    """The local database cannot be opened or migrated."""


@dataclass(frozen=True)
class Recovery:
    """A broken database that was moved aside at start-up."""

    moved_to: Path
    reason: str


class _ThreadConnection:
    """A thread's connection, held only by that thread's ``threading.local``: when the thread ends its
    locals go, this holder with them, and the finaliser set on it closes the connection."""

    __slots__ = ("__weakref__", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


class Store:
    """One SQLite file, one connection per thread (closed when the thread ends), explicit write
    transactions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._open: set[sqlite3.Connection] = set()  # what close() must close; a thread's leaves as it ends
        self._lock = threading.Lock()

    # -- connections -------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=10.0, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
        # Deleted and overwritten content (a resident's phone after confirmation) is zeroed, not left
        # in free space where a copy of the file would still show it.
        conn.execute("PRAGMA secure_delete=ON")
        with self._lock:
            self._open.add(conn)
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        held = getattr(self._local, "held", None)
        if held is None:
            held = _ThreadConnection(self._connect())
            weakref.finalize(held, self._release, held.conn)
            self._local.held = held
        return held.conn

    def _release(self, conn: sqlite3.Connection) -> None:
        """Close a connection whose thread has ended (runs on that thread, as it ends)."""
        with self._lock:
            if conn not in self._open:
                return  # close() got there first
            self._open.discard(conn)
        with contextlib.suppress(sqlite3.Error):
            conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: ``BEGIN IMMEDIATE`` so writers queue up front instead of failing late."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it to nothing, so content replaced since (by
        :meth:`transaction`) no longer sits in old WAL frames. False when a reader held it back."""
        busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        return not busy

    def query(self, sql: str, params: tuple[object, ...] | dict[str, object] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            conns, self._open = self._open, set()
        for conn in conns:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()

    # -- schema ------------------------------------------------------------------------------------

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: database schema {current} is newer than this app knows ({len(MIGRATIONS)}); "
                "install the newer app version or restore a backup"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            with self.transaction() as conn:
                for statement in _statements(MIGRATIONS[version - 1]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version}")
            log.info("store migrated to schema %d", version)

    def integrity_ok(self) -> tuple[bool, str]:
        rows = self.conn.execute("PRAGMA integrity_check").fetchall()
        verdict = "; ".join(str(r[0]) for r in rows)
        return verdict == "ok", verdict

    # -- small key/value settings (credentials, last sync, …) ---------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.set_meta_many({key: value})

    def set_meta_many(self, values: dict[str, str]) -> None:
        """Several settings in one transaction: all of them or none (e.g. a device credential)."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    def delete_meta(self, key: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))

    def audit(self, actor: str, action: str, detail: str = "") -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO audit_log(at, actor, action, detail) VALUES(?, ?, ?, ?)",
                (time.time(), actor, action, detail),
            )

    def audit_entries(self, limit: int = 100) -> list[sqlite3.Row]:
        return self.query("SELECT at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (sqlite3.executescript would COMMIT on its own)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def open_store(data_dir: Path) -> tuple[Store, Recovery | None]:
    """Open (creating) the store in ``data_dir``, check it, migrate it.

    A file that is not a database or fails ``integrity_check`` is renamed to
    ``kiosk.sqlite3.broken-<time>`` with its WAL, kept for inspection, and a fresh store is started.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / DB_NAME
    recovery: Recovery | None = None
    if path.exists():
        store = Store(path)
        try:
            ok, verdict = store.integrity_ok()
        except sqlite3.DatabaseError as exc:
            ok, verdict = False, str(exc)
        store.close()
        if not ok:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            moved = path.with_name(f"{DB_NAME}.broken-{stamp}")
            path.rename(moved)
            for suffix in ("-wal", "-shm"):
                side = path.with_name(DB_NAME + suffix)
                if side.exists():
                    side.rename(moved.with_name(moved.name + suffix))
            recovery = Recovery(moved, verdict)
            log.error("local database failed its integrity check (%s); moved to %s", verdict, moved)
    store = Store(path)
    store.migrate()
    return store, recovery
