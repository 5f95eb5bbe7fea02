"""A cut-off order is not silent: an order stored in the outbox whose resident was never told its code
(the kiosk stopped between the commit and the receipt) is found after a restart and can be printed
again, marked 补打, from what the kiosk still holds. Real SQLite files, a real print queue and the image
printer."""

from __future__ import annotations

import random
import socket
import time
from pathlib import Path

import pytest

from drivers.printing import ImagePrinter, make_printer
from kiosk.config import PrinterConfig
from kiosk.devices import PaperState, PrinterStatus
from kiosk.flows.ordering import Draft, OrderPorts, PlacedOrder, place_order
from kiosk.operations import cut_off_receipt_facts, print_and_wait, reprint_cut_off
from kiosk.printing import PrintQueue
from kiosk.receipt import QrCode, Receipt, Row
from kiosk.store import Store, open_store
from kiosk.store.orders import LocalOrder, Orders
from kiosk.store.print_jobs import JobState
from kiosk.sync import SyncEngine
from kiosk.tickets import OrderReceiptWords, order_receipt
from tests.kiosk.cloudkit import SERVICE, enrolled_store, make_client, make_engine
from tests.kiosk.killing import run_and_kill
from tests.kiosk.test_redemption_flow import image_queue


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


# -- the real thing: SIGKILL between storing orders and their receipts ---------------------------------

KILLS = 8


def child_main(data_dir: str, receipts: str) -> None:
    """Residents ordering one after another at an offline kiosk with the image printer (until killed);
    prints each client code once its resident has been told."""
    store, _ = open_store(Path(data_dir))
    engine = make_engine(store, make_client(store, f"http://127.0.0.1:{closed_port()}"), submit_wait_s=0.0)
    queue = image_queue(store, Path(receipts))
    order_ports = OrderPorts(
        printer_ready=queue.check_ready,
        submit=engine.submit_order,
        print_receipt=lambda receipt, code: print_and_wait(queue, receipt, "order", code),
        receipt_for=lambda d, placed, at: order_receipt(
            cut_off_receipt_facts(engine.orders.order(placed.client_code), station="站", hotline="1",  # type: ignore[arg-type]
                                  service="助老探访", provider="", slot="今天 上午"), OrderReceiptWords()),
        told=lambda code: engine.orders.mark_told(code, time.time()) and None,
    )
    print("ready", flush=True)
    while True:
        print(place_order(draft(), order_ports).client_code, flush=True)


@pytest.mark.slow
def test_sigkill_between_an_order_and_its_receipt_leaves_it_offered_never_lost(tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    data_dir, receipts = tmp_path / "kiosk", tmp_path / "receipts"
    enrolled_store(data_dir).close()
    told: set[str] = set()
    for _ in range(KILLS):
        told.update(run_and_kill(__name__, [str(data_dir), str(receipts)], rng.uniform(0.2, 1.5),
                                 tmp_path / "child.log"))
    store, recovery = open_store(data_dir)
    assert recovery is None
    orders = Orders(store)
    everything = {o.client_code for o in orders.orders()}
    untold = {o.client_code for o in orders.untold()}
    assert told <= everything - untold, f"seed {seed}: an order reported as told is offered again"
    assert len(untold) <= KILLS, f"seed {seed}: more cut-off orders than kills"
    assert untold, f"seed {seed}: no kill landed between an order and its receipt"
    queue = image_queue(store, receipts)
    try:
        for _ in untold:
            job_id = reprint_cut_off(orders, queue, cut_off_receipt)
            assert job_id is not None
            done = queue.wait(job_id, 20)
            assert done is not None and done.state is JobState.PRINTED and Receipt.from_json(done.document).duplicate
    finally:
        queue.stop()
    assert orders.untold() == []
    store.close()
