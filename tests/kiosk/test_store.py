"""The local store: durability pragmas, migrations, and recovery from a damaged file."""

from __future__ import annotations

import sqlite3
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
