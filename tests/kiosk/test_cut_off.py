"""A cut-off order is not silent: an order stored in the outbox whose resident was never told its code
(the kiosk stopped between the commit and the receipt) is found after a restart and can be printed
again, marked 补打, from what the kiosk still holds. Real SQLite files, a real print queue and the image
printer."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from drivers.printing import ImagePrinter, make_printer
from kiosk.config import PrinterConfig
from kiosk.devices import PaperState, PrinterStatus
from kiosk.flows.ordering import Draft, OrderPorts, PlacedOrder, place_order
from kiosk.operations import cut_off_receipt_facts, reprint_cut_off
from kiosk.printing import PrintQueue
from kiosk.receipt import QrCode, Receipt, Row
from kiosk.store import Store, open_store
from kiosk.store.orders import LocalOrder, Orders
from kiosk.store.print_jobs import JobState
from kiosk.sync import SyncEngine
from kiosk.tickets import OrderReceiptWords, order_receipt
from tests.kiosk.cloudkit import SERVICE, enrolled_store, make_client, make_engine


class PowerCut(BaseException):
    """The process dying between storing the order and printing its receipt."""


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def draft() -> Draft:
    return Draft(service={"id": SERVICE, "location": "station"}, phone="13912345671", surname="王", title="女士",
                 day="today", part="morning", consent=True)


def offline_engine(data_dir: Path) -> tuple[Store, SyncEngine]:
    store = enrolled_store(data_dir)
    return store, make_engine(store, make_client(store, f"http://127.0.0.1:{closed_port()}"))


def ports(engine: SyncEngine, print_receipt: object, paper: PaperState = PaperState.OK) -> OrderPorts:
    return OrderPorts(
        printer_ready=lambda: PrinterStatus(online=True, paper=paper),
        submit=engine.submit_order,
        print_receipt=print_receipt,  # type: ignore[arg-type]
        receipt_for=lambda d, placed, at: Receipt().text(placed.code).cut(),
        told=lambda code: engine.orders.mark_told(code, 0.0) and None,
    )


def cut_off_receipt(order: LocalOrder) -> Receipt:
    facts = cut_off_receipt_facts(order, station="南关街社区实践站", hotline="0471-1234567", service="助老探访",
                                  provider="", slot="今天 上午")
    return order_receipt(facts, OrderReceiptWords())


def test_an_order_cut_off_before_its_receipt_is_offered_again_after_a_restart(tmp_path: Path) -> None:
    store, engine = offline_engine(tmp_path / "kiosk")
    told = place_order(draft(), ports(engine, lambda receipt, code: None))

    def power_cut(receipt: Receipt, code: str) -> None:
        raise PowerCut

    with pytest.raises(PowerCut):
        place_order(draft(), ports(engine, power_cut))
    store.close()

    store, _ = open_store(tmp_path / "kiosk")  # the restart
    orders = Orders(store)
    [cut] = orders.untold()
    assert cut.client_code != told.client_code and cut.phone_last4 == "5671"
    printer = make_printer(PrinterConfig(kind="image", paper_mm=58), tmp_path)
    assert isinstance(printer, ImagePrinter)
    queue = PrintQueue(store, printer, lambda event: None)
    queue.start()
    try:
        job_id = reprint_cut_off(orders, queue, cut_off_receipt)
        assert job_id is not None
        job = queue.wait(job_id, 20)
    finally:
        queue.stop()
    assert job is not None and job.state is JobState.PRINTED and job.ref == cut.client_code
    printed = Receipt.from_json(job.document)
    assert printed.duplicate  # 补打
    assert QrCode(f"SKO1:{cut.client_code}:5671", caption=OrderReceiptWords().scan) in printed.elements
    assert any(isinstance(e, Row) and e.value == "*******5671" for e in printed.elements)
    assert orders.untold() == [] and reprint_cut_off(orders, queue, cut_off_receipt) is None
    store.close()


def test_an_order_told_on_screen_when_the_printer_failed_is_not_offered(tmp_path: Path) -> None:
    store, engine = offline_engine(tmp_path / "kiosk")
    placed: PlacedOrder = place_order(draft(), ports(engine, lambda receipt, code: None, PaperState.OUT))
    assert not placed.printed and placed.print_problem == "paper_out"  # the done screen shows the QR
    assert engine.orders.untold() == []
    store.close()


def test_orders_stored_before_the_upgrade_count_as_told(tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    with store.transaction() as conn:
        conn.execute("PRAGMA user_version = 1")
        conn.execute("ALTER TABLE local_orders DROP COLUMN told_at")
        conn.execute("ALTER TABLE outbox DROP COLUMN outcome_unknown")
        Orders.insert_order(conn, "LOLD01", "key-old", "5678", {"service_id": SERVICE}, 1.0)
    store.migrate()
    assert Orders(store).untold() == [] and Orders(store).order("LOLD01") is not None
    store.close()
