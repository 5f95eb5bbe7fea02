"""The sync engine with no cloud at all (a loopback port nobody listens on): orders are taken at once,
kept across restarts, looked up locally; an unsent redemption is withdrawn; the engine stops promptly."""

from __future__ import annotations

import base64
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cloud_client import META_DEVICE_ID, META_DEVICE_SECRET, CloudClient
from kiosk.store import Store, open_store
from kiosk.store.orders import RedemptionState
from kiosk.store.outbox import OutboxState
from kiosk.sync import (
    InvalidRequest,
    SyncEngine,
    SyncIssue,
    SyncState,
    SyncStatus,
    SyncUnavailable,
    full_jitter,
    new_client_code,
)

ORDER: dict[str, object] = {
    "service_id": "elderly-visit",
    "contact": {"phone": "13800005678", "name": "王", "title": "女士"},
    "beneficiary": None,
    "address": {"building": "1栋", "unit": "2单元", "room": "301", "text": ""},
    "time_slot": {"day": "today", "part": "morning"},
    "tags": [],
    "note": "",
    "consent": True,
}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: object, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        threading.Event().wait(0.02)


def make_engine(store: Store, port: int, states: list[SyncState] | None = None) -> SyncEngine:
    client = CloudClient(f"http://127.0.0.1:{port}", connect_timeout=0.5, read_timeout=1.0, store=store)
    return SyncEngine(
        store,
        client,
        heartbeat_s=60,
        health=lambda: {"app_version": "0.1.0", "role": "ordering"},
        on_change=None if states is None else states.append,
        backoff_base_s=0.05,
        backoff_cap_s=0.2,
        redeem_deadline_s=1.0,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store, _ = open_store(tmp_path)
    # A credential for a service that is not there: requests are signed and then refused at connect.
    store.set_meta(META_DEVICE_ID, "dev_offline")
    store.set_meta(META_DEVICE_SECRET, base64.b64encode(b"k" * 32).decode())
    yield store
    store.close()


@pytest.fixture
def engine(store: Store) -> Iterator[SyncEngine]:
    states: list[SyncState] = []
    engine = make_engine(store, closed_port(), states)
    engine.start()
    yield engine
    engine.stop()


def test_client_code_shape() -> None:
    codes = {new_client_code() for _ in range(500)}
    assert all(re.fullmatch(r"L[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{5}", c) for c in codes)
    assert len(codes) > 490


def test_full_jitter_stays_within_its_cap() -> None:
    delays = [full_jitter(n, 1.0, 60.0) for n in range(40) for _ in range(20)]
    assert all(0.0 <= d <= 60.0 for d in delays)
    assert max(full_jitter(2, 1.0, 60.0) for _ in range(200)) <= 4.0
    assert max(delays) > 30.0  # it does grow towards the cap


def test_offline_order_gets_its_code_at_once_and_stays_queued(engine: SyncEngine) -> None:
    started = time.monotonic()
    order = engine.submit_order(dict(ORDER))
    assert time.monotonic() - started < 2.0
    assert re.fullmatch(r"L[A-Z2-9]{5}", order.client_code)
    assert not order.synced and order.order_code is None and order.display_code == order.client_code
    assert order.body["client_code"] == order.client_code and order.phone_last4 == "5678"
    wait_until(lambda: engine.state.issue is SyncIssue.UNREACHABLE and engine.outbox.pending()[0].attempts >= 1)
    state = engine.state
    assert state.status is SyncStatus.OFFLINE and state.outbox_depth == 1
    item = engine.outbox.pending()[0]
    assert item.error_code == "unreachable" and item.state is OutboxState.PENDING


def test_queue_survives_restart(tmp_path: Path, store: Store) -> None:
    port = closed_port()
    first = make_engine(store, port)
    codes = [first.submit_order(dict(ORDER)).client_code for _ in range(3)]  # not started: queue only
    store.close()
    reopened, _ = open_store(tmp_path)
    second = make_engine(reopened, port)
    assert [o.client_code for o in second.orders.orders()] == codes
    assert second.state.outbox_depth == 3
    reopened.close()


def test_offline_status_lookup_uses_the_local_copy(engine: SyncEngine) -> None:
    order = engine.submit_order(dict(ORDER))
    lookup = engine.order_status(order.client_code, "5678")
    assert not lookup.live and lookup.local is not None and lookup.local.client_code == order.client_code
    with pytest.raises(SyncUnavailable) as err:
        engine.order_status(order.client_code, "0000")
    assert err.value.issue is SyncIssue.UNREACHABLE


def test_unsent_redemption_is_withdrawn_not_queued(engine: SyncEngine) -> None:
    redemption = engine.redeem([{"gift_id": "eggs", "qty": 1}], "sess")
    assert redemption.state is RedemptionState.NOT_SENT
    item = engine.outbox.by_key(redemption.idempotency_key)
    assert item is not None and item.state is OutboxState.CANCELLED
    assert engine.state.outbox_depth == 0


def test_offline_redemption_is_queued_for_later(engine: SyncEngine) -> None:
    redemption = engine.submit_offline_redemption("SKM1.a.b", [{"gift_id": "eggs", "qty": 1}], time.time())
    assert redemption.state is RedemptionState.SENDING
    item = engine.outbox.by_key(redemption.idempotency_key)
    assert item is not None and item.kind == "redemption" and item.payload["offline"]["token"] == "SKM1.a.b"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contact": {"phone": "12"}}, "contact.phone"),
        ({"contact": None}, "contact.phone"),
        ({"service_id": None}, "service_id"),
        ({"created_at": float("nan")}, "created_at"),
        ({"created_at": float("-inf")}, "created_at"),
        ({"created_at": 1e300}, "created_at"),
        ({"note": float("inf")}, "note"),
    ],
)
def test_an_order_that_could_never_be_delivered_is_refused_up_front(
    engine: SyncEngine, change: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidRequest) as err:
        engine.submit_order({**ORDER, **change})
    assert err.value.field == field
    assert engine.orders.orders() == [] and engine.state.outbox_depth == 0


@pytest.mark.parametrize("redeemed_at", [float("nan"), float("inf"), -1.0])
def test_an_offline_redemption_with_an_implausible_time_is_refused_up_front(
    engine: SyncEngine, redeemed_at: float
) -> None:
    with pytest.raises(InvalidRequest) as err:
        engine.submit_offline_redemption("SKM1.a.b", [{"gift_id": "g", "qty": 1}], redeemed_at)
    assert err.value.field == "redeemed_at" and engine.state.outbox_depth == 0


def test_state_changes_are_reported(store: Store) -> None:
    states: list[SyncState] = []
    engine = make_engine(store, closed_port(), states)
    engine.start()
    try:
        engine.submit_order(dict(ORDER))
        wait_until(lambda: any(s.outbox_depth == 1 and s.status is SyncStatus.OFFLINE for s in states))
    finally:
        engine.stop()


def test_stop_is_prompt_while_backing_off(store: Store) -> None:
    engine = make_engine(store, closed_port())
    engine.backoff_base_s = engine.backoff_cap_s = 30.0
    engine.start()
    engine.submit_order(dict(ORDER))
    wait_until(lambda: engine.outbox.pending()[0].attempts >= 1)
    started = time.monotonic()
    engine.stop()
    assert time.monotonic() - started < 2.0 and not engine.running


def test_a_queued_offline_redemption_is_not_taken_for_an_inline_send_cut_off_at_restart(engine: SyncEngine) -> None:
    queued = engine.submit_offline_redemption("SKM1.a.b", [{"gift_id": "g", "qty": 1}], time.time())
    engine.outbox.release_held()  # what start-up does with rows an inline sender held when it died
    row = engine.outbox.by_key(queued.idempotency_key)
    assert row is not None and not row.outcome_unknown  # never sent: a refusal of it needs no question
