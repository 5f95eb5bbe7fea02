"""Kill the kiosk with SIGKILL while it submits orders, again and again, then restart and drain: every
order taken reaches the reference service exactly once, none is lost, and the local database is sound.

The child process runs the real SyncEngine against the real service on loopback and prints each client
code once ``submit_order`` has returned (the moment a resident would see it)."""

from __future__ import annotations

import os
import random
from collections import Counter
from pathlib import Path

import pytest

from cloud.embedded import EmbeddedCloud
from kiosk.store import open_store
from kiosk.store.orders import Orders
from kiosk.store.outbox import OutboxState
from tests.kiosk.cloudkit import enrol, make_client, make_engine, order_body, wait_until
from tests.kiosk.killing import run_and_kill

KILLS = 50


def child_main(data_dir: str, base_url: str) -> None:
    """Submit orders forever through the real engine (until killed)."""
    store, _ = open_store(Path(data_dir))
    client = make_client(store, base_url, read_timeout=5.0)
    engine = make_engine(store, client, submit_wait_s=1.0)
    engine.start()
    print("ready", flush=True)
    n = 0
    while True:
        order = engine.submit_order(order_body(note=f"kill-loop {os.getpid()} #{n}"))
        print(order.client_code, flush=True)
        n += 1


def _in_doubt(data_dir: Path, cloud: EmbeddedCloud, before: set[str]) -> int:
    """Orders the service has but the killed kiosk had not yet recorded as delivered."""
    store, recovery = open_store(data_dir)
    assert recovery is None, f"the database needed recovery after a kill: {recovery}"
    try:
        pending = {o.client_code for o in Orders(store).orders() if not o.synced}
    finally:
        store.close()
    return len(pending & {o["client_code"] for o in cloud.admin.orders() if o["order_code"] not in before})


@pytest.mark.slow
def test_sigkill_while_submitting_loses_nothing_and_applies_nothing_twice(cloud: EmbeddedCloud, tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    data_dir = tmp_path / "kiosk"
    enrol(cloud, data_dir).close()
    before = {o["order_code"] for o in cloud.admin.orders()}
    confirmed: list[str] = []
    in_doubt = 0
    for _ in range(KILLS):
        confirmed += run_and_kill(__name__, [str(data_dir), cloud.url], rng.uniform(0.0, 0.6), tmp_path / "child.log")
        in_doubt += _in_doubt(data_dir, cloud, before)
    # The loop must have hit the window that matters: the service committed, the kiosk never heard.
    assert in_doubt >= 1, f"seed {seed}: no kill landed between the service's commit and the kiosk's"

    store, recovery = open_store(data_dir)
    assert recovery is None, f"seed {seed}: database needed recovery: {recovery}"
    assert store.integrity_ok() == (True, "ok")
    engine = make_engine(store, make_client(store, cloud.url))
    engine.start()
    try:
        wait_until(lambda: engine.state.outbox_depth == 0, timeout_s=60, what="outbox drained")
    finally:
        engine.stop()

    local = {o.client_code: o for o in engine.orders.orders()}
    assert len(local) >= KILLS, f"seed {seed}: too little work done to mean anything ({len(local)} orders)"
    assert set(confirmed) <= set(local), f"seed {seed}: an order shown to a resident is missing locally"
    assert all(o.synced for o in local.values())
    assert not [i for i in engine.outbox.rejected() if i.state is OutboxState.REJECTED]

    new = [o for o in cloud.admin.orders() if o["order_code"] not in before]
    counts = Counter(o["client_code"] for o in new)
    assert set(counts) == set(local), f"seed {seed}: server and kiosk disagree on which orders exist"
    assert max(counts.values()) == 1, f"seed {seed}: applied twice: {[c for c, n in counts.items() if n > 1]}"
    assert {o["client_code"]: o["order_code"] for o in new} == {c: o.order_code for c, o in local.items()}
    assert store.integrity_ok() == (True, "ok")
    store.close()
