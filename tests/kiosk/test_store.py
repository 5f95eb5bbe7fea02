"""The local store: durability pragmas, migrations, and recovery from a damaged file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from kiosk.store import DB_NAME, Store, StoreError, open_store
from kiosk.store.schema import MIGRATIONS


def test_new_store_is_wal_full_sync_and_migrated(tmp_path: Path) -> None:
    store, recovery = open_store(tmp_path)
    assert recovery is None
    assert store.schema_version() == len(MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    store.set_meta("device_id", "dev_1")
    store.close()
    again, _ = open_store(tmp_path)
    assert again.get_meta("device_id") == "dev_1"


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES('a', '1')")
        raise RuntimeError("crash before commit")
    assert store.get_meta("a") is None


def test_damaged_file_is_moved_aside_and_a_fresh_store_started(tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    store.audit("technician", "test")
    store.close()
    path = tmp_path / DB_NAME
    raw = bytearray(path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # trash the schema page
    path.write_bytes(bytes(raw))
    fresh, recovery = open_store(tmp_path)
    assert recovery is not None
    assert recovery.moved_to.exists() and recovery.moved_to.name.startswith(f"{DB_NAME}.broken-")
    assert fresh.integrity_ok() == (True, "ok")
    assert fresh.audit_entries() == []


def test_not_a_database_at_all_is_recovered(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_text("this is not sqlite")
    store, recovery = open_store(tmp_path)
    assert recovery is not None and "not a database" in recovery.reason
    assert store.schema_version() == len(MIGRATIONS)


def test_newer_schema_than_the_app_is_refused(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this app knows"):
        Store(path).migrate()


def files_open_on(path: Path) -> list[str]:
    """This process's file descriptors on the store's files (the database, its WAL and shared memory)."""
    out = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor is gone by now
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith(str(path)):
                out.append(target)
    return sorted(out)


def test_a_thread_that_ends_closes_its_connection(tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    store.set_meta("k", "v")
    before = files_open_on(tmp_path)
    assert before  # the main thread's own connection

    def use_the_store() -> None:
        store.set_meta("k", store.get_meta("k") or "")

    def in_a_thread() -> None:
        thread = threading.Thread(target=use_the_store)
        thread.start()
        thread.join()

    in_a_thread()
    # SQLite keeps the database descriptor of a closed connection for the next one while another
    # connection holds its locks (POSIX locks belong to the process): one, reused, never more.
    settled = files_open_on(tmp_path)
    assert len(settled) <= len(before) + 1
    for _ in range(20):
        in_a_thread()
    assert files_open_on(tmp_path) == settled
    assert store.get_meta("k") == "v"
    store.close()
    assert files_open_on(tmp_path) == []


def test_close_closes_the_connections_of_threads_still_running(tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    used, finish = threading.Event(), threading.Event()

    def hold_a_connection() -> None:
        store.get_meta("k")
        used.set()
        finish.wait(10)

    thread = threading.Thread(target=hold_a_connection)
    thread.start()
    assert used.wait(10)
    store.close()
    assert files_open_on(tmp_path) == []
    finish.set()
    thread.join()  # its connection, already closed, is not closed twice
    assert files_open_on(tmp_path) == []
