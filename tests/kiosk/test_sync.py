"""The sync engine against the reference service on loopback, through a fault proxy: online orders get
the cloud code at once, queued ones drain when the cloud is back, lost answers and duplicate deliveries
apply once, contract rejections stop with their code, redemptions survive unknown outcomes."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cloud.embedded import EmbeddedCloud
from kiosk.cloud_client import CloudClient
from kiosk.store import Store, open_store
from kiosk.store.orders import LocalState, Orders, RedemptionState
from kiosk.store.outbox import Outbox, OutboxState
from kiosk.sync import META_CONFIG_VERSION, SyncEngine, SyncIssue, SyncState, SyncStatus
from kiosk.tokens import TokenError, TokenErrorKind
from tests.kiosk.cloudkit import (
    SERVICE,
    STATION,
    make_client,
    make_engine,
    member_session,
    order_body,
    wait_until,
)
from tests.kiosk.faultproxy import Fault, FaultProxy

GIFT = "gift-coupon-veg"
ORGANISATION = "org-qicai"


@pytest.fixture
def client(store: Store, proxy: FaultProxy) -> Iterator[CloudClient]:
    client = make_client(store, proxy.url, read_timeout=2.0)
    yield client
    client.close()


class Recorder:
    def __init__(self) -> None:
        self.states: list[SyncState] = []
        self.configs: list[tuple[dict[str, Any], int]] = []
        self.catalogues: list[dict[str, Any]] = []
        self.engine: SyncEngine | None = None  # set: remote config is acknowledged as applied, as the app does
        self.refuse = False

    def config(self, values: dict[str, Any], version: int) -> None:
        self.configs.append((values, version))
        if self.engine is not None and not self.refuse:
            self.engine.config_applied(version)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def engine(store: Store, client: CloudClient, recorder: Recorder) -> Iterator[SyncEngine]:
    engine = make_engine(
        store,
        client,
        on_change=recorder.states.append,
        on_remote_config=recorder.config,
        on_catalogue=recorder.catalogues.append,
        redeem_deadline_s=3.0,
    )
    recorder.engine = engine
    engine.start()
    # The start-up sync ends with the remote config: by then catalogue, images and keys are cached.
    wait_until(lambda: store.get_meta(META_CONFIG_VERSION) is not None, what="start-up sync")
    yield engine
    engine.stop()


def on_server(cloud: EmbeddedCloud, client_code: str) -> list[dict[str, Any]]:
    return [o for o in cloud.admin.orders() if o["client_code"] == client_code]


def test_online_order_gets_the_cloud_code_before_returning(cloud: EmbeddedCloud, engine: SyncEngine) -> None:
    order = engine.submit_order(order_body())
    assert order.synced and order.order_code and order.order_code.startswith("XN")
    assert order.display_code == order.order_code
    assert [o["order_code"] for o in on_server(cloud, order.client_code)] == [order.order_code]
    assert engine.state.status is SyncStatus.ONLINE and engine.state.outbox_depth == 0
    assert engine.state.last_sync_at is not None


def test_orders_taken_during_an_outage_drain_in_order_when_it_ends(
    cloud: EmbeddedCloud, engine: SyncEngine, proxy: FaultProxy, recorder: Recorder
) -> None:
    proxy.down()
    orders = [engine.submit_order(order_body(note=f"#{i}")) for i in range(3)]
    assert not any(o.synced for o in orders)
    wait_until(lambda: engine.state.status is SyncStatus.OFFLINE, what="offline")
    assert engine.state.outbox_depth == 3
    proxy.up()
    wait_until(lambda: engine.state.outbox_depth == 0, what="drained")
    synced = [engine.orders.order(o.client_code) for o in orders]
    assert all(o is not None and o.synced for o in synced)
    server = {o["client_code"]: o["order_code"] for o in cloud.admin.orders()}
    codes = [server[o.client_code] for o in orders]
    assert codes == sorted(codes)  # delivered oldest first
    assert [o.order_code for o in synced if o] == codes
    assert any(s.status is SyncStatus.OFFLINE and s.outbox_depth == 3 for s in recorder.states)
    assert recorder.states[-1].status is SyncStatus.ONLINE


def test_lost_answer_is_resent_with_the_same_key_and_applied_once(
    cloud: EmbeddedCloud, engine: SyncEngine, proxy: FaultProxy
) -> None:
    proxy.inject(Fault.DROP_RESPONSE, count=1)
    order = engine.submit_order(order_body())
    wait_until(lambda: engine.orders.order(order.client_code).synced, what="synced")  # type: ignore[union-attr]
    item = engine.outbox.by_key(order.idempotency_key)
    assert item is not None and item.attempts == 1 and item.state is OutboxState.DONE
    server = on_server(cloud, order.client_code)
    assert len(server) == 1
    assert server[0]["order_code"] == engine.orders.order(order.client_code).order_code  # type: ignore[union-attr]


def test_read_timeout_then_retry_applies_once(cloud: EmbeddedCloud, engine: SyncEngine, proxy: FaultProxy) -> None:
    engine.client.timeouts = (1.0, 0.3)
    proxy.inject(Fault.HOLD_RESPONSE, count=1)
    order = engine.submit_order(order_body())
    wait_until(lambda: engine.orders.order(order.client_code).synced, what="synced")  # type: ignore[union-attr]
    assert len(on_server(cloud, order.client_code)) == 1


def test_5xx_backs_off_as_degraded_then_delivers(
    cloud: EmbeddedCloud, engine: SyncEngine, proxy: FaultProxy, recorder: Recorder
) -> None:
    proxy.inject(Fault.SERVICE_UNAVAILABLE, count=2)
    order = engine.submit_order(order_body())
    wait_until(lambda: engine.orders.order(order.client_code).synced, what="synced")  # type: ignore[union-attr]
    assert any(s.status is SyncStatus.DEGRADED and s.issue is SyncIssue.SERVER_ERROR for s in recorder.states)
    assert len(on_server(cloud, order.client_code)) == 1


def test_duplicate_delivery_is_applied_once(cloud: EmbeddedCloud, engine: SyncEngine) -> None:
    order = engine.submit_order(order_body())
    done = engine.outbox.by_key(order.idempotency_key)
    assert done is not None and done.state is OutboxState.DONE
    # The row as it was queued (a confirmed row keeps no personal data to send again) …
    queued = {**order_body(), "client_code": order.client_code, "created_at": done.payload["created_at"]}
    item = replace(done, payload=queued, state=OutboxState.PENDING)
    # … sent again (as after a crash between the cloud's commit and ours) …
    again = engine.client.create_order(item.idempotency_key, item.payload)
    assert again["order_code"] == order.order_code
    # … and the row itself delivered a second time: nothing changes anywhere.
    assert engine.deliver(item) is OutboxState.DONE
    assert len(on_server(cloud, order.client_code)) == 1
    assert engine.orders.order(order.client_code).order_code == order.order_code  # type: ignore[union-attr]


def test_contract_rejection_ends_the_row_with_its_code(engine: SyncEngine) -> None:
    order = engine.submit_order(order_body(service_id="svc-does-not-exist"))
    assert order.state is LocalState.REJECTED and order.reject_code == "unknown_service"
    item = engine.outbox.by_key(order.idempotency_key)
    assert item is not None and item.state is OutboxState.REJECTED and item.attempts == 1
    assert engine.state.rejected == 1 and engine.state.outbox_depth == 0
    assert [r.error_code for r in engine.rejected()] == ["unknown_service"]
    # The next order is not held up by it.
    assert engine.submit_order(order_body()).synced


def test_a_refused_device_keeps_its_queue(cloud: EmbeddedCloud, engine: SyncEngine, client: CloudClient) -> None:
    assert client.device_id is not None
    cloud.admin.revoke_device(client.device_id)
    order = engine.submit_order(order_body())
    assert not order.synced
    wait_until(lambda: engine.state.issue is SyncIssue.DEVICE_REFUSED, what="device refused")
    state = engine.state
    assert state.status is SyncStatus.DEGRADED and state.auth_code == "device_revoked"
    assert state.outbox_depth == 1 and state.rejected == 0


def test_rating_after_completion(cloud: EmbeddedCloud, engine: SyncEngine) -> None:
    order = engine.submit_order(order_body())
    early = engine.submit_rating(order.client_code, {"phone_last4": "5678", "stars": 5, "tags": [], "comment": ""})
    assert early.state is LocalState.REJECTED and early.reject_code == "not_completed"
    assert order.order_code is not None
    for status in ("dispatched", "accepted", "in_service", "completed"):
        cloud.admin.advance_order(order.order_code, status, ORGANISATION if status == "dispatched" else None)
    rating = {"phone_last4": "5678", "stars": 4, "tags": ["on_time"], "comment": "好"}
    assert engine.submit_rating(order.client_code, rating).state is LocalState.SYNCED
    again = engine.submit_rating(order.order_code, rating)
    assert again.state is LocalState.REJECTED and again.reject_code == "already_rated"
    lookup = engine.order_status(order.client_code, "5678")
    assert lookup.live and lookup.data is not None and lookup.data["rating"]["stars"] == 4


def test_order_status_live_and_local(engine: SyncEngine, proxy: FaultProxy) -> None:
    order = engine.submit_order(order_body())
    live = engine.order_status(order.client_code, "5678")
    assert live.live and live.data is not None and live.data["order_code"] == order.order_code
    proxy.down()
    queued = engine.submit_order(order_body())
    offline = engine.order_status(queued.client_code, "5678")
    assert not offline.live and offline.local is not None and not offline.local.synced
    # The cloud is back but has not got the order yet: still the local copy, not "not found".
    engine.stop()
    proxy.up()
    pending = engine.order_status(queued.client_code, "5678")
    assert not pending.live and pending.local is not None


def test_catalogue_and_images_are_cached_for_an_offline_start(
    store: Store, engine: SyncEngine, proxy: FaultProxy, client: CloudClient
) -> None:
    catalogue = engine.catalogue()
    assert catalogue is not None and catalogue["services"]
    images = [g["image"] for g in catalogue["gifts"] if g.get("image")]
    assert images and all(engine.image_path(n) is not None for n in images)
    assert engine.image_path("../kiosk.sqlite3") is None
    assert len(engine.key_ring()) >= 1
    engine.stop()
    proxy.down()
    offline = make_engine(store, client)
    offline.start()
    try:
        assert offline.catalogue() == catalogue
        assert all(offline.image_path(n) is not None for n in images)
    finally:
        offline.stop()


def test_catalogue_change_is_picked_up_by_heartbeat_command(
    cloud: EmbeddedCloud, engine: SyncEngine, recorder: Recorder
) -> None:
    before = engine.catalogue()
    assert before is not None
    data = json.loads((Path(__file__).parents[2] / "cloud" / "seed" / "catalogue.json").read_text("utf-8"))
    service = next(s for s in data["services"] if s["id"] == SERVICE)
    service["name"]["en"] = "Home visit (renamed)"
    cloud.admin.load_catalogue(data)
    assert engine.heartbeat_once()
    after = engine.catalogue()
    assert after is not None and after["version"] != before["version"]
    assert next(s for s in after["services"] if s["id"] == SERVICE)["name"]["en"] == "Home visit (renamed)"
    assert recorder.catalogues[-1] == after


def test_remote_config_handed_over_once_per_version(
    cloud: EmbeddedCloud, engine: SyncEngine, client: CloudClient, recorder: Recorder
) -> None:
    assert client.device_id is not None
    version = cloud.admin.set_config(client.device_id, {"ui.idle_timeout_s": 150})
    assert engine.heartbeat_once() and engine.heartbeat_once()
    assert recorder.configs[-1] == ({"ui.idle_timeout_s": 150}, version)
    assert [v for _, v in recorder.configs].count(version) == 1


def test_remote_config_not_applied_is_offered_again_until_it_is(
    cloud: EmbeddedCloud, engine: SyncEngine, client: CloudClient, recorder: Recorder
) -> None:
    assert client.device_id is not None
    version = cloud.admin.set_config(client.device_id, {"ui.idle_timeout_s": 150})

    def offered() -> int:
        return [v for _, v in recorder.configs].count(version)

    recorder.refuse = True  # the receiver could not write it
    assert engine.heartbeat_once() and engine.heartbeat_once()
    assert offered() >= 2
    recorder.refuse = False
    assert engine.heartbeat_once()
    applied_at = offered()
    assert engine.heartbeat_once() and engine.heartbeat_once()
    assert offered() == applied_at


def test_key_rotation_reaches_the_cache(cloud: EmbeddedCloud, engine: SyncEngine) -> None:
    new_kid = cloud.admin.rotate_keys()
    engine.sync_now()
    wait_until(lambda: engine.key_ring().get(new_kid) is not None, what="rotated key cached")
    assert len(engine.key_ring()) >= 2




def test_redemption_confirmed_and_printed_once(
    member: str, cloud: EmbeddedCloud, engine: SyncEngine, client: CloudClient
) -> None:
    points = cloud.admin.points(member)
    redemption = engine.redeem([{"gift_id": GIFT, "qty": 1}], member_session(cloud, client, member))
    assert redemption.state is RedemptionState.CONFIRMED and redemption.voucher is not None
    assert redemption.voucher["pickup_code"] and redemption.redemption_no
    assert cloud.admin.points(member) == points - redemption.voucher["points_total"]
    assert [r.idempotency_key for r in engine.unprinted_vouchers()] == [redemption.idempotency_key]
    assert engine.mark_voucher_printed(redemption.idempotency_key)
    assert engine.unprinted_vouchers() == []


def test_redemption_with_a_lost_answer_is_resent_and_deducted_once(
    member: str, cloud: EmbeddedCloud, engine: SyncEngine, client: CloudClient, proxy: FaultProxy
) -> None:
    session = member_session(cloud, client, member)
    points = cloud.admin.points(member)
    proxy.inject(Fault.DROP_RESPONSE, count=1)
    redemption = engine.redeem([{"gift_id": GIFT, "qty": 1}], session)
    assert redemption.state is RedemptionState.CONFIRMED and redemption.voucher is not None
    assert cloud.admin.points(member) == points - redemption.voucher["points_total"]


def test_redemption_outcome_unknown_past_the_deadline_is_finished_by_the_sender(
    member: str, cloud: EmbeddedCloud, engine: SyncEngine, client: CloudClient, proxy: FaultProxy
) -> None:
    session = member_session(cloud, client, member)
    points = cloud.admin.points(member)
    engine.redeem_deadline_s = 0.5
    proxy.inject(Fault.DROP_RESPONSE)
    redemption = engine.redeem([{"gift_id": GIFT, "qty": 1}], session)
    assert redemption.state is RedemptionState.SENDING
    proxy.inject(Fault.NONE)
    wait_until(lambda: engine.unprinted_vouchers(), what="late voucher")
    late = engine.orders.redemption(redemption.idempotency_key)
    assert late is not None and late.state is RedemptionState.CONFIRMED and late.voucher is not None
    assert cloud.admin.points(member) == points - late.voucher["points_total"]


def test_redemption_refused_with_its_code(
    member: str, cloud: EmbeddedCloud, engine: SyncEngine, client: CloudClient
) -> None:
    redemption = engine.redeem([{"gift_id": "gift-no-such", "qty": 1}], member_session(cloud, client, member))
    assert redemption.state is RedemptionState.REJECTED and redemption.reject_code == "unknown_gift"
    assert engine.state.outbox_depth == 0


def test_offline_redemption_is_delivered_later(
    member: str, cloud: EmbeddedCloud, engine: SyncEngine, proxy: FaultProxy
) -> None:
    points, stock = cloud.admin.points(member), cloud.admin.stock(STATION, GIFT)
    proxy.down()
    token = cloud.admin.member_token(member)
    queued = engine.submit_offline_redemption(token, [{"gift_id": GIFT, "qty": 1}], time.time())
    assert queued.state is RedemptionState.SENDING
    proxy.up()
    wait_until(
        lambda: (
            engine.orders.redemption(queued.idempotency_key).state  # type: ignore[union-attr]
            is not RedemptionState.SENDING
        ),
        what="offline redemption applied",
    )
    done = engine.orders.redemption(queued.idempotency_key)
    assert done is not None and done.state is RedemptionState.CONFIRMED and done.voucher is not None
    assert cloud.admin.points(member) == points - done.voucher["points_total"]
    assert cloud.admin.stock(STATION, GIFT) == stock - 1


def test_member_token_checked_offline_and_spent_once(
    member: str, cloud: EmbeddedCloud, engine: SyncEngine, proxy: FaultProxy
) -> None:
    token = cloud.admin.member_token(member)
    proxy.down()
    looked = engine.check_member_token(token, spend=False)
    assert engine.check_member_token(token, spend=True) == looked
    with pytest.raises(TokenError) as err:
        engine.check_member_token(token, spend=True)
    assert err.value.kind is TokenErrorKind.TOKEN_REPLAYED


def test_a_token_from_a_just_rotated_key_refreshes_the_keys_once(
    member: str, cloud: EmbeddedCloud, engine: SyncEngine, proxy: FaultProxy
) -> None:
    new_kid = cloud.admin.rotate_keys()
    token = cloud.admin.member_token(member)
    assert engine.key_ring().get(new_kid) is None
    proxy.down()
    with pytest.raises(TokenError) as err:  # offline, the new key cannot be learnt
        engine.check_member_token(token, spend=False)
    assert err.value.kind is TokenErrorKind.UNKNOWN_KEY
    proxy.up()
    assert engine.check_member_token(token, spend=False).kid == new_kid
    assert engine.key_ring().get(new_kid) is not None


def test_heartbeat_timer_reports_health_and_brings_remote_config(
    cloud: EmbeddedCloud, store: Store, client: CloudClient, recorder: Recorder
) -> None:
    engine = make_engine(store, client, heartbeat_s=0.2, on_remote_config=recorder.config)
    engine.start()
    try:
        assert client.device_id is not None
        version = cloud.admin.set_config(client.device_id, {"ui.idle_timeout_s": 200})
        wait_until(lambda: any(v == version for _, v in recorder.configs), what="remote config via heartbeat")
        device = next(d for d in cloud.admin.devices() if d["id"] == client.device_id)
        assert device["health"]["outbox_depth"] == 0 and device["health"]["role"] == "ordering"
    finally:
        engine.stop()


def test_a_refused_heartbeat_body_does_not_hold_up_orders(store: Store, client: CloudClient) -> None:
    engine = make_engine(store, client, health=lambda: {"printer": "not an object"})  # 400 bad_request
    engine.start()
    try:
        assert not engine.heartbeat_once()
        assert engine.state.status is SyncStatus.ONLINE
        assert engine.submit_order(order_body()).synced
    finally:
        engine.stop()


def test_redemption_left_in_flight_by_a_crash_is_finished_and_printed_on_recovery(
    member: str, cloud: EmbeddedCloud, store: Store, client: CloudClient
) -> None:
    # What a kiosk killed between persisting a redemption and hearing back leaves behind (its hold
    # has run out): the request and its outbox row, committed together.
    session, points = member_session(cloud, client, member), cloud.admin.points(member)
    key, body, now = str(uuid.uuid4()), {"session": session, "items": [{"gift_id": GIFT, "qty": 2}]}, time.time()
    with store.transaction() as conn:
        Orders.insert_redemption(conn, key, body, now)
        Outbox.enqueue(conn, "redemption", key, body, now=now, not_before=now)
    client.redeem(key, body)  # the request did reach the cloud before the crash
    engine = make_engine(store, client)
    engine.start()
    try:
        wait_until(lambda: engine.unprinted_vouchers(), what="voucher recovered")
    finally:
        engine.stop()
    [voucher] = engine.unprinted_vouchers()
    assert voucher.idempotency_key == key and voucher.voucher is not None
    assert cloud.admin.points(member) == points - voucher.voucher["points_total"]  # deducted once


def test_a_missing_image_does_not_stop_the_others(cloud: EmbeddedCloud, store: Store, client: CloudClient) -> None:
    import sqlalchemy as sa

    from cloud.db import images

    missing = f"{GIFT}.png"
    with cloud.engine.begin() as conn:  # a platform that lost one image file
        row = conn.execute(sa.select(images).where(images.c.name == missing)).one()
        conn.execute(sa.delete(images).where(images.c.name == missing))
    try:
        engine = make_engine(store, client)
        assert engine.refresh_catalogue()
        catalogue = engine.catalogue()
        assert catalogue is not None
        names = {g["image"] for g in catalogue["gifts"] if g.get("image")}
        assert missing in names and engine.image_path(missing) is None
        assert all(engine.image_path(n) is not None for n in names - {missing})
    finally:
        with cloud.engine.begin() as conn:
            conn.execute(sa.insert(images).values(**row._mapping))


def test_hurry_brings_a_backed_off_row_forward_but_leaves_an_inline_send_alone(tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    client = CloudClient("http://127.0.0.1:9", connect_timeout=0.2, read_timeout=0.2, store=store)
    engine = SyncEngine(store, client, heartbeat_s=30, health=dict)
    with store.transaction() as conn:
        waiting = Outbox.enqueue(conn, "redemption", "k-waiting", {"n": 1}, now=0.0)
        inline = Outbox.enqueue(conn, "redemption", "k-inline", {"n": 2}, now=0.0)
    far = time.time() + 60
    engine.outbox.record_failure(waiting, "no_answer", "lost", retry_at=far)
    engine.outbox.release(inline, at=far)
    engine.hurry("k-waiting")
    engine.hurry("k-inline")
    due = {i.idempotency_key: i.next_attempt_at for i in (engine.outbox.get(waiting), engine.outbox.get(inline)) if i}
    assert due["k-waiting"] <= time.time() + 3.0
    assert due["k-inline"] == far
    client.close()
