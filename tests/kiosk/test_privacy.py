"""Data minimisation on real SQLite files: once the cloud has confirmed an order, no full phone number,
name, address or note of the resident (or of the person served) is left in any table, nor anywhere in
the database's files; the tracking flow and the receipt reprint still work."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cloud.embedded import EmbeddedCloud
from drivers.printing import ImagePrinter, make_printer
from kiosk.config import PrinterConfig
from kiosk.printing import PrintQueue
from kiosk.receipt import Receipt, Row
from kiosk.store import Store, open_store
from kiosk.store.orders import Orders
from kiosk.store.outbox import Outbox
from kiosk.store.print_jobs import JobState, PrintJobs
from kiosk.sync import ORDERS_KEEP_S, SyncEngine
from kiosk.tickets import OrderReceiptFacts, OrderReceiptWords, order_receipt
from tests.kiosk.cloudkit import SERVICE, enrolled_store, make_client, make_engine, wait_until

PHONE, OTHER_PHONE = "13912345671", "13787654329"
NAME, OTHER_NAME = "欧阳娜娜", "欧阳奶奶"
BUILDING, ROOM, STREET, NOTE = "莲花88栋", "9901", "幸福里小区东门进", "钥匙在门卫处"
PERSONAL = (PHONE, OTHER_PHONE, NAME, OTHER_NAME, BUILDING, STREET, NOTE, f"{ROOM}室")


def personal_order() -> dict[str, object]:
    return {
        "service_id": SERVICE,
        "contact": {"phone": PHONE, "name": NAME, "title": "女士"},
        "beneficiary": {"phone": OTHER_PHONE, "name": OTHER_NAME, "relation": "母亲"},
        "address": {"building": BUILDING, "unit": "", "room": ROOM, "text": STREET},
        "time_slot": {"day": "today", "part": "morning"},
        "tags": [],
        "note": NOTE,
        "consent": True,
    }


def every_text(store: Store) -> str:
    """Every value of every row of every table, as text."""
    tables = [r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return "\n".join(
        "|".join(str(v) for v in tuple(row)) for table in tables for row in store.query(f"SELECT * FROM {table}")
    )


def every_byte(data_dir: Path) -> bytes:
    """The database file, its WAL and anything else beside it, byte for byte."""
    return b"".join(p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file())


def found(haystack: str | bytes) -> list[str]:
    if isinstance(haystack, str):
        return [p for p in PERSONAL if p in haystack]
    return [p for p in PERSONAL if p.encode() in haystack]


@pytest.fixture
def engine(cloud: EmbeddedCloud, store: Store) -> Iterator[SyncEngine]:
    client = make_client(store, cloud.url)
    engine = make_engine(store, client)
    engine.start()
    yield engine
    engine.stop()
    client.close()


def test_a_confirmed_order_leaves_no_personal_data_in_any_table_or_file(
    engine: SyncEngine, store: Store, tmp_path: Path
) -> None:
    order = engine.submit_order(personal_order())
    assert found(every_text(store)) or order.synced  # held in full while it waits for the cloud
    wait_until(lambda: (o := engine.orders.order(order.client_code)) is not None and o.synced, what="confirmed")
    confirmed = engine.orders.order(order.client_code)
    assert confirmed is not None and confirmed.order_code
    assert found(every_text(store)) == []
    assert confirmed.body == {"service_id": SERVICE, "client_code": order.client_code,
                              "created_at": confirmed.body["created_at"],
                              "time_slot": {"day": "today", "part": "morning"}}
    # What the tracking flow reads still works: found by code and last four digits, with its service.
    local = engine.orders.find_order(confirmed.order_code, PHONE[-4:])
    assert local is not None and local.body["service_id"] == SERVICE
    live = engine.order_status(confirmed.order_code, PHONE[-4:])
    assert live.live and live.data is not None and live.data["service"]["id"] == SERVICE
    engine.stop()
    assert found(every_byte(tmp_path / "kiosk")) == []


def test_an_order_confirmed_by_an_older_version_is_minimised_at_start(tmp_path: Path) -> None:
    store = enrolled_store(tmp_path / "kiosk")
    key, now = "3b0c7c8e-0000-4000-8000-000000000001", time.time()
    body = {**personal_order(), "client_code": "LOLDER", "created_at": now}
    with store.transaction() as conn:  # what an older version left: confirmed, personal data kept
        Orders.insert_order(conn, "LOLDER", key, PHONE[-4:], body, now)
        item_id = Outbox.enqueue(conn, "order", key, body, now=now)
        conn.execute("UPDATE local_orders SET state = 'synced', order_code = 'XN1' WHERE idempotency_key = ?", (key,))
        Outbox.complete(conn, item_id, {"order_code": "XN1"}, now=now)
    assert found(every_text(store))
    engine = make_engine(store, make_client(store, "http://127.0.0.1:9"))
    engine.start()
    engine.stop()
    assert found(every_text(store)) == []
    store.close()
    assert found(every_byte(tmp_path / "kiosk")) == []


def _receipt_facts(address: str) -> OrderReceiptFacts:
    return OrderReceiptFacts(
        station="南关街社区实践站", hotline="0471-1234567", code="XN20261203-0001", synced=True,
        service="助老探访", provider="", slot="今天 上午", contact_masked="139****5671",
        beneficiary_masked="137****6329", address=address, created_at=time.time(),
        qr=f"SKO1:XN20261203-0001:{PHONE[-4:]}",
    )


def test_a_printed_receipt_keeps_no_address_and_its_reprint_still_prints(tmp_path: Path) -> None:
    store, _ = open_store(tmp_path / "kiosk")
    printer = make_printer(PrinterConfig(kind="image", paper_mm=58), tmp_path)
    assert isinstance(printer, ImagePrinter)
    queue = PrintQueue(store, printer, lambda event: None)
    queue.start()
    try:
        original = order_receipt(_receipt_facts(f"{BUILDING} {STREET}"), OrderReceiptWords())
        job_id = queue.submit(original, "order", "XN20261203-0001")
        done = queue.wait(job_id, 20)
        assert done is not None and done.state is JobState.PRINTED
        kept = Receipt.from_json(done.document)
        assert kept == original.without_private() and found(done.document) == []
        assert any(isinstance(e, Row) and e.value == "139****5671" for e in kept.elements)
        again = queue.wait(queue.reprint(job_id), 20)
        assert again is not None and again.state is JobState.PRINTED
        assert Receipt.from_json(again.document).duplicate
        assert json.loads(again.document)["elements"][1:] == json.loads(done.document)["elements"][1:]
    finally:
        queue.stop()
    assert found(every_text(store)) == []
    assert [j.state for j in PrintJobs(store).recent()] == [JobState.PRINTED, JobState.PRINTED]
    store.close()


def test_orders_past_retention_are_forgotten_and_old_refusals_keep_no_personal_data(tmp_path: Path) -> None:
    store = enrolled_store(tmp_path / "kiosk")
    long_ago, recent = time.time() - ORDERS_KEEP_S - 3600, time.time() - 3600
    cases = [("LOLD01", "synced", long_ago), ("LNEW01", "synced", recent), ("LOLD02", "rejected", long_ago),
             ("LNEW02", "rejected", recent), ("LOLD03", "queued", long_ago)]
    with store.transaction() as conn:
        for code, state, at in cases:
            body = {**personal_order(), "client_code": code, "created_at": at}
            Orders.insert_order(conn, code, f"key-{code}", PHONE[-4:], body, at)
            conn.execute("UPDATE local_orders SET state = ?, synced_at = ? WHERE client_code = ?", (state, at, code))
    engine = make_engine(store, make_client(store, "http://127.0.0.1:9"))
    engine.start()
    engine.stop()
    kept = {o.client_code: o for o in engine.orders.orders()}
    assert set(kept) == {"LNEW01", "LOLD02", "LNEW02", "LOLD03"}  # the old confirmed one is gone
    assert found(json.dumps(kept["LOLD02"].body, ensure_ascii=False)) == []  # refused long ago: minimised
    assert kept["LOLD02"].reject_code == "" and kept["LOLD02"].body["service_id"] == SERVICE
    assert found(json.dumps(kept["LNEW02"].body, ensure_ascii=False))  # a recent refusal: still whole
    assert found(json.dumps(kept["LOLD03"].body, ensure_ascii=False))  # not delivered yet: still whole
    store.close()
