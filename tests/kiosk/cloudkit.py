"""Shared pieces for the sync tests: the reference cloud on loopback, enrolled kiosk stores, order
bodies and a bounded wait."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cloud.embedded import EmbeddedCloud
from kiosk.cloud_client import META_DEVICE_ID, META_DEVICE_SECRET, CloudClient
from kiosk.store import Store, open_store
from kiosk.sync import SyncEngine

STATION = "st-yicaixiang-west"
SERVICE = "svc-elderly-visit"

HEALTH: dict[str, Any] = {
    "app_version": "0.1.0",
    "role": "ordering",
    "printer": {"online": True, "paper": "ok", "detail": ""},
    "scanner": {"available": True, "detail": ""},
    "disk_free_mb": 1000,
    "uptime_s": 1,
}


def order_body(phone: str = "13800005678", service_id: str = SERVICE, note: str = "") -> dict[str, Any]:
    return {
        "service_id": service_id,
        "contact": {"phone": phone, "name": "王", "title": "女士"},
        "beneficiary": None,
        "address": {"building": "1栋", "unit": "2单元", "room": "301", "text": ""},
        "time_slot": {"day": "today", "part": "morning"},
        "tags": [],
        "note": note,
        "consent": True,
    }


def wait_until(predicate: Callable[[], object], timeout_s: float = 10.0, what: str = "condition") -> None:
    """Poll ``predicate`` until true, failing after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    pause = threading.Event()
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout_s} s")
        pause.wait(0.02)


@contextmanager
def running_cloud(directory: Path) -> Iterator[EmbeddedCloud]:
    cloud = EmbeddedCloud(directory / "cloud.sqlite3", seed=True)
    cloud.start()
    try:
        yield cloud
    finally:
        cloud.stop()


def enrol(cloud: EmbeddedCloud, data_dir: Path, name: str = "kiosk-1") -> Store:
    """A kiosk store in ``data_dir`` holding a fresh device credential of the cloud."""
    store, _ = open_store(data_dir)
    client = CloudClient(cloud.url, connect_timeout=2, read_timeout=5, store=store)
    client.enrol(cloud.admin.enrolment_code(STATION).code, name)
    client.close()
    return store


def enrolled_store(data_dir: Path, device_id: str = "dev-1") -> Store:
    """A kiosk store holding a made-up device credential, for a service that checks no signature."""
    store, _ = open_store(data_dir)
    store.set_meta_many({META_DEVICE_ID: device_id, META_DEVICE_SECRET: base64.b64encode(bytes(32)).decode()})
    return store


def make_client(store: Store, base_url: str, *, read_timeout: float = 5.0) -> CloudClient:
    return CloudClient(base_url, connect_timeout=1.0, read_timeout=read_timeout, store=store)


def make_engine(store: Store, client: CloudClient, **options: Any) -> SyncEngine:
    settings: dict[str, Any] = {
        "heartbeat_s": 3600,
        "health": lambda: dict(HEALTH),
        "backoff_base_s": 0.05,
        "backoff_cap_s": 0.3,
        **options,
    }
    return SyncEngine(store, client, **settings)


def member_session(cloud: EmbeddedCloud, client: CloudClient, member: str) -> str:
    """A redemption session for ``member``, opened with a fresh token."""
    return str(client.resolve_member(cloud.admin.member_token(member), None)["session"])
