"""How fast does the outbox drain? Queue N orders while offline, start the sync engine against the
embedded reference service on loopback and time the drain; then send N orders with a bare loop (same
client and signing, no outbox, no local writes) and print both rates and their ratio.

    python -m bench.sync [--orders 5000]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
import uuid
from pathlib import Path

from cloud.embedded import EmbeddedCloud
from cloud.seeding import DEMO_STATION
from kiosk.cloud_client import CloudClient
from kiosk.store import open_store
from kiosk.sync import SyncEngine, new_client_code

STATION = DEMO_STATION


def order_body(n: int) -> dict[str, object]:
    return {
        "service_id": "svc-elderly-visit",
        "contact": {"phone": f"138{n:08d}", "name": "王", "title": "女士"},
        "beneficiary": None,
        "address": {"building": "1栋", "unit": "2单元", "room": "301", "text": ""},
        "time_slot": {"day": "any", "part": "any"},
        "tags": [],
        "note": f"bench #{n}",
        "consent": True,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=5000, help="orders per run (default 5000)")
    args = parser.parse_args()
    n = args.orders

    with tempfile.TemporaryDirectory() as tmp:
        cloud = EmbeddedCloud(Path(tmp) / "cloud.sqlite3", seed=True)
        cloud.start()
        try:
            store, _ = open_store(Path(tmp) / "kiosk")
            client = CloudClient(cloud.url, connect_timeout=2, read_timeout=10, store=store)
            client.enrol(cloud.admin.enrolment_code(STATION).code, "bench")
            engine = SyncEngine(store, client, heartbeat_s=3600, health=lambda: {"app_version": "bench"})

            started = time.perf_counter()
            for i in range(n):
                engine.submit_order(order_body(i))  # not started: persisted and queued only
            enqueue_s = time.perf_counter() - started

            started = time.perf_counter()
            engine.start()
            idle = threading.Event()
            while engine.state.outbox_depth:
                idle.wait(0.05)
            drain_s = time.perf_counter() - started
            engine.stop()
            assert all(o.synced for o in engine.orders.orders()), "an order was not delivered"

            started = time.perf_counter()
            for i in range(n):
                body = {**order_body(i), "client_code": new_client_code(), "created_at": time.time()}
                client.create_order(str(uuid.uuid4()), body)
            bare_s = time.perf_counter() - started
            store.close()
        finally:
            cloud.stop()

    drain_rate, bare_rate = n / drain_s, n / bare_s
    print(f"orders:                 {n}")
    print(f"queue (local commit):   {n / enqueue_s:8.1f} orders/s  ({enqueue_s:.1f} s)")
    print(f"outbox drain:           {drain_rate:8.1f} orders/s  ({drain_s:.1f} s)")
    print(f"bare request loop:      {bare_rate:8.1f} orders/s  ({bare_s:.1f} s)")
    print(f"drain / bare:           {drain_rate / bare_rate:8.2f}")


if __name__ == "__main__":
    main()
