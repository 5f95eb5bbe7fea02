"""Unknown stays unknown: after an attempt whose outcome the kiosk never learnt, a refusal is final only
once the service says it kept nothing for the key (GET /v1/requests/{key}); a kept answer is taken as
the answer, and when the service cannot be asked the row stays pending and visible.

Against the reference service through the fault proxy (a redemption committed whose answer is lost,
then the device revoked), and against a scripted service for the cases it cannot be made to show."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cloud.embedded import EmbeddedCloud
from kiosk.cloud_client import CloudClient
from kiosk.store import Store
from kiosk.store.orders import LocalState, Orders, RedemptionState
from kiosk.store.outbox import Outbox, OutboxState
from kiosk.sync import META_CONFIG_VERSION, SyncEngine
from tests.kiosk.cloudkit import enrolled_store, make_client, make_engine, member_session, order_body, wait_until
from tests.kiosk.faultproxy import Fault, FaultProxy
from tests.kiosk.hostileserver import Answer, HostileServer

GIFT = "gift-coupon-veg"


@pytest.fixture
def client(store: Store, proxy: FaultProxy) -> Iterator[CloudClient]:
    client = make_client(store, proxy.url, read_timeout=2.0)
    yield client
    client.close()


@pytest.fixture
def engine(store: Store, client: CloudClient) -> Iterator[SyncEngine]:
    engine = make_engine(store, client, redeem_deadline_s=3.0)
    engine.start()
    wait_until(lambda: store.get_meta(META_CONFIG_VERSION) is not None, what="start-up sync")
    yield engine
    engine.stop()




def test_a_kept_redemption_refused_after_revocation_gets_its_voucher_from_the_sender(
    member: str, cloud: EmbeddedCloud, engine: SyncEngine, client: CloudClient, proxy: FaultProxy
) -> None:
    session, points = member_session(cloud, client, member), cloud.admin.points(member)
    engine.redeem_deadline_s = 0.5
    proxy.inject(Fault.DROP_RESPONSE)  # the service commits every send; the kiosk hears none
    redemption = engine.redeem([{"gift_id": GIFT, "qty": 1}], session)
    assert redemption.state is RedemptionState.SENDING
    wait_until(lambda: cloud.admin.points(member) < points, what="the service committed it")
    assert client.device_id is not None
    cloud.admin.revoke_device(client.device_id)
    proxy.inject(Fault.NONE)  # the next send is answered: 403 device_revoked
    wait_until(lambda: engine.unprinted_vouchers(), what="the voucher of the kept redemption")
    kept = engine.orders.redemption(redemption.idempotency_key)
    assert kept is not None and kept.state is RedemptionState.CONFIRMED and kept.voucher is not None
    assert kept.voucher["pickup_code"] and engine.state.outbox_depth == 0
    assert cloud.admin.points(member) == points - kept.voucher["points_total"]  # deducted once


def test_an_inline_redemption_refused_after_a_timeout_gets_the_kept_voucher(
    member: str, cloud: EmbeddedCloud, engine: SyncEngine, client: CloudClient, proxy: FaultProxy
) -> None:
    session, points = member_session(cloud, client, member), cloud.admin.points(member)
    proxy.inject(Fault.HOLD_RESPONSE, count=1)  # applied, answer held until the read timeout
    done: dict[str, Any] = {}
    redeeming = threading.Thread(target=lambda: done.update(r=engine.redeem([{"gift_id": GIFT, "qty": 1}], session)))
    redeeming.start()
    wait_until(lambda: cloud.admin.points(member) < points, what="the service committed it")
    assert client.device_id is not None
    cloud.admin.revoke_device(client.device_id)  # so the retry after the timeout is refused
    redeeming.join(15)
    redemption = done["r"]
    assert redemption.state is RedemptionState.CONFIRMED and redemption.voucher is not None
    assert cloud.admin.points(member) == points - redemption.voucher["points_total"]


def test_a_refusal_after_an_answer_that_never_came_is_final_when_nothing_was_kept(
    member: str, cloud: EmbeddedCloud, engine: SyncEngine, proxy: FaultProxy
) -> None:
    points = cloud.admin.points(member)
    proxy.inject(Fault.SERVICE_UNAVAILABLE, count=1)  # a 5xx: maybe applied, as far as the kiosk knows
    seen = proxy.requests_seen
    redemption = engine.redeem([{"gift_id": GIFT, "qty": 1}], "ses_nothing")
    assert redemption.state is RedemptionState.REJECTED and redemption.reject_code == "session_expired"
    assert proxy.requests_seen - seen == 3  # the 503, the refusal, and the question that made it final
    assert cloud.admin.points(member) == points and engine.state.outbox_depth == 0


# -- against a scripted service -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scripted() -> Iterator[HostileServer]:
    server = HostileServer().start()
    yield server
    server.stop()


def _error(status: int, code: str) -> Answer:
    return Answer(status, json.dumps({"error": {"code": code, "message": code}}).encode())


def _unknown_row(engine: SyncEngine, kind: str, body: dict[str, Any]) -> str:
    """A row whose last send was lost (as the sender records it), ready to be sent again."""
    key, now = str(uuid.uuid4()), time.time()
    with engine.store.transaction() as conn:
        if kind == "order":
            Orders.insert_order(conn, "LTESTX", key, "5678", body, now)
        else:
            Orders.insert_redemption(conn, key, body, now)
        item_id = Outbox.enqueue(conn, kind, key, body, now=now)
    engine.outbox.record_failure(item_id, "no_answer", "read timeout", retry_at=0.0, outcome_unknown=True)
    return key


@pytest.mark.parametrize("lookup", ["unreachable", "not_found", "kept"])
def test_a_redemption_refused_after_an_unknown_outcome(scripted: HostileServer, tmp_path: Path, lookup: str) -> None:
    store = enrolled_store(tmp_path)
    client = CloudClient(scripted.url, connect_timeout=1.0, read_timeout=2.0, store=store)
    engine = make_engine(store, client)
    key = _unknown_row(engine, "redemption", {"session": "ses_1", "items": [{"gift_id": GIFT, "qty": 1}]})
    voucher = {"redemption_no": "R1", "pickup_code": "12345678", "items": [], "points_total": 40,
               "balance_before": 100, "balance_after": 60}
    scripted.routes = {
        "POST /v1/redemptions": _error(410, "session_expired"),
        f"GET /v1/requests/{key}": {
            "unreachable": _error(503, "internal"),
            "not_found": _error(404, "not_found"),
            "kept": Answer(200, json.dumps({"idempotency_key": key, "status": 201, "body": voucher}).encode()),
        }[lookup],
    }
    try:
        item = engine.outbox.by_key(key)
        assert item is not None and item.outcome_unknown
        state = engine.deliver(item)
    finally:
        scripted.routes = {}
    redemption = engine.orders.redemption(key)
    row = engine.outbox.by_key(key)
    assert redemption is not None and row is not None
    if lookup == "unreachable":  # stays pending, and says why
        assert state is OutboxState.PENDING and redemption.state is RedemptionState.SENDING
        assert row.error_code == "session_expired" and row.outcome_unknown and engine.state.outbox_depth == 1
    elif lookup == "not_found":
        assert state is OutboxState.REJECTED and redemption.state is RedemptionState.REJECTED
        assert redemption.reject_code == "session_expired"
    else:
        assert state is OutboxState.DONE and redemption.state is RedemptionState.CONFIRMED
        assert redemption.voucher == voucher and [v.idempotency_key for v in engine.unprinted_vouchers()] == [key]
    client.close()
    store.close()


def test_an_order_refused_after_an_unknown_outcome_takes_the_kept_code(scripted: HostileServer, tmp_path: Path) -> None:
    store = enrolled_store(tmp_path)
    client = CloudClient(scripted.url, connect_timeout=1.0, read_timeout=2.0, store=store)
    engine = make_engine(store, client)
    key = _unknown_row(engine, "order", {**order_body(), "client_code": "LTESTX", "created_at": time.time()})
    created = {"order_code": "XN20261203-0001", "client_code": "LTESTX", "status": "submitted",
               "created_at": time.time()}
    scripted.routes = {
        "POST /v1/orders": _error(403, "device_revoked"),
        f"GET /v1/requests/{key}": Answer(200, json.dumps({"idempotency_key": key, "status": 201,
                                                           "body": created}).encode()),
    }
    try:
        item = engine.outbox.by_key(key)
        assert item is not None
        assert engine.deliver(item) is OutboxState.DONE
    finally:
        scripted.routes = {}
    order = engine.orders.order("LTESTX")
    assert order is not None and order.state is LocalState.SYNCED and order.order_code == "XN20261203-0001"
    client.close()
    store.close()
