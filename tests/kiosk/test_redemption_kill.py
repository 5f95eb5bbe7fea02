"""Kill the kiosk with SIGKILL while a volunteer redeems, again and again, then restart and recover:
every redemption the cloud applied is deducted once, and its voucher is printed exactly once as an
original (a job cut off mid-print comes out again only as a 补打 / DUPLICATE copy).

The child process runs the real flow, sync engine, print queue and image printer against the real
service on loopback; it says "ready" when the volunteer presses 确认兑换."""

from __future__ import annotations

import random
import threading
from collections import Counter
from pathlib import Path

import pytest

from cloud.embedded import EmbeddedCloud
from kiosk.config import RedemptionConfig
from kiosk.flows.redemption import RedeemStep, RedemptionFlow, VoucherDesk
from kiosk.receipt import Receipt
from kiosk.store import open_store
from kiosk.store.orders import Orders, RedemptionState
from tests.kiosk.cloudkit import enrol, make_client, make_engine, wait_until
from tests.kiosk.killing import run_and_kill
from tests.kiosk.test_redemption_flow import MAGNET, image_queue, new_member, voucher_codes, voucher_receipt_for

KILLS = 15


def child_main(data_dir: str, base_url: str, receipts: str, token: str) -> None:
    """One volunteer's redemption through the real flow (until killed)."""
    store, _ = open_store(Path(data_dir))
    client = make_client(store, base_url, read_timeout=5.0)
    engine = make_engine(store, client, redeem_deadline_s=5.0)
    engine.start()
    queue = image_queue(store, Path(receipts))
    desk = VoucherDesk(engine, queue, voucher_receipt_for, wait_s=10.0)
    # As the app does at start: vouchers confirmed but not printed before the last kill.
    threading.Thread(target=desk.print_unprinted, daemon=True).start()
    flow = RedemptionFlow(engine, RedemptionConfig(), lambda: (engine.catalogue() or {}).get("gifts", []), desk)
    assert flow.scan(token) is None, "the volunteer's code was refused"
    assert flow.add(MAGNET) is None and flow.go(RedeemStep.CONFIRM) is None
    print("ready", flush=True)
    print(flow.redeem() or "done", flush=True)
    threading.Event().wait()


@pytest.mark.slow
def test_sigkill_during_redeem_deducts_once_and_prints_once(cloud: EmbeddedCloud, tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    data_dir, receipts = tmp_path / "kiosk", tmp_path / "receipts"
    store = enrol(cloud, data_dir)
    client = make_client(store, cloud.url)
    prepare = make_engine(store, client)
    prepare.refresh_catalogue()
    prepare.refresh_keys()
    client.close()
    store.close()

    members: list[str] = []
    cut_off = 0  # kills that left this run's redemption persisted but not yet printed
    persisted = 0
    for _ in range(KILLS):
        member = new_member(cloud)
        members.append(member)
        args = [str(data_dir), cloud.url, str(receipts), cloud.admin.member_token(member)]
        run_and_kill(__name__, args, rng.uniform(0.0, 0.5), tmp_path / "child.log")
        store, recovery = open_store(data_dir)
        assert recovery is None, f"seed {seed}: the database needed recovery after a kill: {recovery}"
        rows = store.query("SELECT state, printed_at FROM redemptions ORDER BY created_at DESC")
        if len(rows) > persisted and (rows[0]["state"] == "sending" or rows[0]["printed_at"] is None):
            cut_off += 1
        persisted = len(rows)
        store.close()
    assert cut_off >= 1, f"seed {seed}: no kill landed while a redemption was under way"

    # Restart as the app does: the engine re-sends what is in doubt, then unprinted vouchers print.
    store, _ = open_store(data_dir)
    client = make_client(store, cloud.url)
    engine = make_engine(store, client)
    engine.start()
    queue = image_queue(store, receipts)
    try:
        wait_until(lambda: engine.state.outbox_depth == 0, timeout_s=60, what="outbox drained")
        VoucherDesk(engine, queue, voucher_receipt_for, wait_s=10.0).print_unprinted()
    finally:
        queue.stop()
        engine.stop()
        client.close()

    local = {str(r.redemption_no): r for r in Orders(store).redemptions_in(RedemptionState.CONFIRMED)}
    assert not Orders(store).redemptions_in(RedemptionState.SENDING)
    assert all(r.printed_at is not None for r in local.values()), f"seed {seed}: a voucher was not printed"
    deducted = [m for m in members if cloud.admin.points(m) != 1000]
    assert all(cloud.admin.points(m) == 1000 - 30 for m in deducted), f"seed {seed}: deducted twice"
    assert len(deducted) == len(local), f"seed {seed}: the cloud and the kiosk disagree on what was redeemed"

    jobs = store.query("SELECT ref, document, state, reprint_of FROM print_jobs WHERE kind = 'voucher'")
    originals = Counter(j["ref"] for j in jobs if j["reprint_of"] is None and j["state"] == "printed")
    copies = Counter(j["ref"] for j in jobs if j["reprint_of"] is not None and j["state"] == "printed")
    assert max(originals.values(), default=0) <= 1, f"seed {seed}: a voucher printed twice as an original"
    assert all(Receipt.from_json(j["document"]).duplicate for j in jobs if j["reprint_of"] is not None)
    printed = Counter(code.split(":")[1] for code in voucher_codes(receipts))
    for number, redemption in local.items():
        key = redemption.idempotency_key
        assert originals[key] + copies[key] >= 1
        # A PNG without a printed job can only come from a job cut off after the file was written.
        assert printed[number] <= originals[key] + copies[key] + (copies[key] > 0), f"seed {seed}: {number}"
        assert printed[number] >= 1, f"seed {seed}: no voucher PNG for {number}"
    assert set(printed) == set(local)
    store.close()
