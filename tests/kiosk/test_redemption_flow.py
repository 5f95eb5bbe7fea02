"""The redemption flow without Qt, against the reference service on loopback (through a fault proxy),
real SQLite files and the image printer: every way a scan is refused, the cart rules, offline caps,
and vouchers printed exactly once."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from cloud import crypto
from cloud.db import gift_stock, signing_keys
from cloud.embedded import EmbeddedCloud
from drivers.printing import make_printer
from kiosk.cloud_client import CloudClient
from kiosk.config import PrinterConfig, RedemptionConfig
from kiosk.flows.redemption import RedeemProblem, RedeemStep, RedemptionFlow, VoucherDesk, voucher_facts
from kiosk.printing import FailReason, PrintQueue
from kiosk.receipt import Receipt
from kiosk.store import Store
from kiosk.store.orders import Redemption, RedemptionState
from kiosk.store.print_jobs import JobState
from kiosk.store.voucher_jobs import VOUCHER_JOB_KIND, latest_voucher_job
from kiosk.sync import META_CONFIG_VERSION, META_LAST_SYNC, SyncEngine
from kiosk.tickets import VoucherWords, voucher_receipt
from tests.kiosk.cloudkit import enrol, make_client, make_engine, wait_until
from tests.kiosk.faultproxy import FaultProxy
from tests.kiosk.test_tokens import make_token

STATION = "st-yicaixiang-west"
MAGNET, BAG, EGGS, OIL = "gift-magnet", "gift-canvas-bag", "gift-eggs", "gift-oil"


def voucher_receipt_for(redemption: Redemption) -> Receipt:
    return voucher_receipt(voucher_facts("医财巷西社区新时代文明实践站", redemption, _zh), VoucherWords())


def _zh(text: Any) -> str:
    return str(text.get("zh_CN", "")) if isinstance(text, dict) else str(text or "")


def image_queue(store: Store, directory: Path) -> PrintQueue:
    queue = PrintQueue(store, make_printer(PrinterConfig(kind="image", image_dir=str(directory)), directory),
                       lambda event: None)
    queue.start()
    return queue


def new_member(cloud: EmbeddedCloud, points: int = 1000) -> str:
    member_no = f"7{secrets.randbelow(10**9):09d}"
    cloud.admin.add_member(member_no, "赵小兰", points=points)
    return member_no


def voucher_codes(directory: Path) -> list[str]:
    """The voucher QRs printed into ``directory`` (originals and any 补打 copies)."""
    out = []
    for png in sorted(directory.glob("*.png")):
        out += [str(b.text) for b in zxingcpp.read_barcodes(Image.open(png)) if b.text.startswith("SKV1:")]
    return out


@pytest.fixture
def engine(store: Store, proxy: FaultProxy) -> Iterator[SyncEngine]:
    client = make_client(store, proxy.url, read_timeout=2.0)
    engine = make_engine(store, client, redeem_deadline_s=3.0)
    engine.start()
    wait_until(lambda: store.get_meta(META_CONFIG_VERSION) is not None, what="start-up sync")
    yield engine
    engine.stop()
    client.close()


@pytest.fixture
def receipts(tmp_path: Path) -> Path:
    return tmp_path / "receipts"


@pytest.fixture
def desk(engine: SyncEngine, store: Store, receipts: Path) -> Iterator[VoucherDesk]:
    queue = image_queue(store, receipts)
    yield VoucherDesk(engine, queue, voucher_receipt_for, wait_s=10.0)
    queue.stop()


FlowFactory = Callable[..., RedemptionFlow]


@pytest.fixture
def make_flow(engine: SyncEngine, desk: VoucherDesk) -> FlowFactory:
    def factory(**config: Any) -> RedemptionFlow:
        catalogue = engine.catalogue
        return RedemptionFlow(engine, RedemptionConfig(**config),
                              lambda: list((catalogue() or {}).get("gifts", [])), desk)

    return factory


def cloud_private_key(cloud: EmbeddedCloud) -> tuple[str, str]:
    with cloud.engine.begin() as conn:
        row = conn.execute(sa.select(signing_keys).where(signing_keys.c.not_after.is_(None))).first()
    assert row is not None
    return str(row.kid), str(row.private_key)


def flip_one_byte(token: str) -> str:
    i = len("SKM1.") + 3
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]


# -- who is there ------------------------------------------------------------------------------------------


def test_valid_token_opens_the_summary_and_is_spent_here(cloud: EmbeddedCloud, make_flow: FlowFactory) -> None:
    flow = make_flow()
    token = cloud.admin.member_token("10000128")
    assert flow.scan(token) is None
    assert flow.step is RedeemStep.SUMMARY and flow.member is not None
    assert flow.member.masked_name == "张*凤" and flow.member.points == cloud.admin.points("10000128")
    assert {h["kind"] for h in flow.member.hours} == {"credit", "honour"}
    assert flow.member.expiring == {"points": 120, "date": "2026-12-31"} and flow.member.recent
    # The same token again: refused by this kiosk's own spent list before the cloud is asked.
    assert make_flow().scan(token) is RedeemProblem.TOKEN_REPLAYED


@pytest.mark.parametrize(
    ("make_text", "problem"),
    [
        (lambda c: c.admin.member_token("10000128", issued_at=time.time() - 200), RedeemProblem.TOKEN_EXPIRED),
        (lambda c: flip_one_byte(c.admin.member_token("10000128")), RedeemProblem.TOKEN_INVALID),
        (lambda c: make_token(Ed25519PrivateKey.generate(), kid="k99", iat=int(time.time())),
         RedeemProblem.UNKNOWN_KEY),
        (lambda c: "SKO1:LP3X9D:1234", RedeemProblem.NOT_A_MEMBER_CODE),
        (lambda c: "hello", RedeemProblem.NOT_A_MEMBER_CODE),
    ],
    ids=["expired", "forged", "unknown-key", "receipt", "junk"],
)
def test_refused_tokens_get_their_own_problem(
    cloud: EmbeddedCloud, make_flow: FlowFactory, make_text: Callable[[EmbeddedCloud], str], problem: RedeemProblem
) -> None:
    flow = make_flow()
    assert flow.scan(make_text(cloud)) is problem
    assert flow.step is RedeemStep.SCAN and flow.member is None


def test_unknown_member_is_told_by_the_cloud(cloud: EmbeddedCloud, make_flow: FlowFactory) -> None:
    kid, private = cloud_private_key(cloud)
    now = int(time.time())
    token = crypto.issue_token(private, crypto.TokenClaims(kid, "m_nobody", now, now + 60, secrets.token_hex(8)))
    assert make_flow().scan(token) is RedeemProblem.UNKNOWN_MEMBER


def test_token_used_at_another_kiosk_is_refused_online(
    cloud: EmbeddedCloud, make_flow: FlowFactory, tmp_path: Path
) -> None:
    token = cloud.admin.member_token("10000128")
    other = enrol(cloud, tmp_path / "other", name="kiosk-2")
    client = CloudClient(cloud.url, connect_timeout=1, read_timeout=3, store=other)
    try:
        client.resolve_member(token, None)
    finally:
        client.close()
        other.close()
    assert make_flow().scan(token) is RedeemProblem.TOKEN_REPLAYED


def test_a_rotated_key_is_fetched_once_and_accepted(cloud: EmbeddedCloud, make_flow: FlowFactory) -> None:
    cloud.admin.rotate_keys()
    assert make_flow().scan(cloud.admin.member_token("10000128")) is None


@pytest.mark.parametrize(("ahead_s", "problem"), [(10, None), (45, RedeemProblem.TOKEN_INVALID)])
def test_phone_clock_ahead_within_and_beyond_the_window(
    cloud: EmbeddedCloud, make_flow: FlowFactory, ahead_s: int, problem: RedeemProblem | None
) -> None:
    token = cloud.admin.member_token("10000128", issued_at=time.time() + ahead_s)
    assert make_flow().scan(token) is problem


def test_card_with_pin_and_member_number_with_pin(make_flow: FlowFactory) -> None:
    flow = make_flow()
    assert flow.scan("SKC1.10000619") is None and flow.step is RedeemStep.PIN
    assert flow.enter_pin("12") is RedeemProblem.PIN_INVALID
    assert flow.enter_pin("654321") is RedeemProblem.PIN_WRONG and flow.step is RedeemStep.PIN
    assert flow.enter_pin("123456") is None and flow.step is RedeemStep.SUMMARY
    assert flow.member is not None and flow.member.masked_name == "王*"

    flow.reset()
    flow.start_manual()
    assert flow.enter_number("12") is RedeemProblem.MEMBER_NO_INVALID
    assert flow.enter_number("10000231") is None and flow.step is RedeemStep.PIN
    assert flow.back() and flow.step is RedeemStep.NUMBER
    assert flow.enter_number("10000231") is None
    assert flow.enter_pin("123456") is None and flow.member is not None and flow.member.masked_name == "马*国"


def test_card_needs_the_network(make_flow: FlowFactory, proxy: FaultProxy) -> None:
    flow = make_flow(offline_enabled=True)
    assert flow.scan("SKC1.10000619") is None
    proxy.down()
    assert flow.enter_pin("123456") is RedeemProblem.CARD_NEEDS_NETWORK


def test_offline_off_by_default(cloud: EmbeddedCloud, make_flow: FlowFactory, proxy: FaultProxy) -> None:
    proxy.down()
    assert make_flow().scan(cloud.admin.member_token("10000128")) is RedeemProblem.REDEEM_OFFLINE


# -- cart ----------------------------------------------------------------------------------------------------


def test_cart_respects_stock_limit_and_balance(cloud: EmbeddedCloud, make_flow: FlowFactory) -> None:
    member = new_member(cloud, points=400)
    flow = make_flow()
    assert flow.scan(cloud.admin.member_token(member)) is None
    assert flow.go(RedeemStep.CONFIRM) is RedeemProblem.CART_EMPTY
    assert flow.add(OIL) is None  # 300 points, one per person
    assert flow.add(OIL) is RedeemProblem.OVER_LIMIT
    oil = flow.gift(OIL)
    assert oil is not None and flow.missing_points(oil) == 300 - 100
    assert flow.add(BAG) is None  # 380
    bag = flow.gift(BAG)
    assert bag is not None and flow.missing_points(bag) == 80 - 20
    assert flow.add(BAG) is RedeemProblem.OVER_BALANCE
    assert flow.set_qty(BAG, 0) is None and flow.cart == {OIL: 1}
    assert flow.set_qty(MAGNET, 3) is None and flow.total() == 390 and flow.balance_after() == 10
    assert flow.set_qty(MAGNET, 4) is RedeemProblem.OVER_LIMIT
    assert flow.set_qty(MAGNET, 0) is None and MAGNET not in flow.cart
    assert flow.go(RedeemStep.CONFIRM) is None and flow.step is RedeemStep.CONFIRM
    assert flow.back() and flow.step is RedeemStep.CART


def test_redeem_prints_the_voucher_once(
    cloud: EmbeddedCloud, make_flow: FlowFactory, engine: SyncEngine, receipts: Path
) -> None:
    member = new_member(cloud)
    flow = make_flow()
    assert flow.scan(cloud.admin.member_token(member)) is None
    assert flow.set_qty(MAGNET, 2) is None and flow.go(RedeemStep.CONFIRM) is None
    assert flow.redeem() is None and flow.step is RedeemStep.VOUCHER
    assert flow.result is not None and flow.result.voucher is not None and flow.print_problem is None
    voucher = flow.result.voucher
    assert cloud.admin.points(member) == 1000 - 60 == voucher["balance_after"]
    assert voucher_codes(receipts) == [f"SKV1:{voucher['redemption_no']}:{voucher['pickup_code']}"]
    assert engine.unprinted_vouchers() == []
    assert flow.desk is not None and flow.desk.print_voucher(flow.result.idempotency_key) is None
    assert len(voucher_codes(receipts)) == 1


def test_out_of_stock_between_adding_and_confirming(
    cloud: EmbeddedCloud, make_flow: FlowFactory, engine: SyncEngine
) -> None:
    member = new_member(cloud)
    flow = make_flow()
    assert flow.scan(cloud.admin.member_token(member)) is None
    assert flow.set_qty(BAG, 2) is None and flow.go(RedeemStep.CONFIRM) is None
    stock = cloud.admin.stock(STATION, BAG)
    with cloud.engine.begin() as conn:
        conn.execute(sa.update(gift_stock).where(gift_stock.c.station_id == STATION, gift_stock.c.gift_id == BAG)
                     .values(stock=1))
    try:
        assert flow.redeem() is RedeemProblem.OUT_OF_STOCK and flow.step is RedeemStep.CART
        assert flow.cart_line_problem(BAG) is RedeemProblem.OUT_OF_STOCK  # the catalogue was refreshed
        assert cloud.admin.points(member) == 1000
        assert flow.set_qty(BAG, 1) is None and flow.go(RedeemStep.CONFIRM) is None
        assert flow.redeem() is None and flow.step is RedeemStep.VOUCHER
    finally:
        with cloud.engine.begin() as conn:
            conn.execute(sa.update(gift_stock).where(gift_stock.c.station_id == STATION,
                                                     gift_stock.c.gift_id == BAG).values(stock=stock))


def test_per_person_limit_counts_earlier_redemptions(cloud: EmbeddedCloud, make_flow: FlowFactory) -> None:
    flow = make_flow()  # 张秀凤 took two boxes of eggs (the limit) 40 days ago
    assert flow.scan(cloud.admin.member_token("10000128")) is None
    assert flow.add(EGGS) is None and flow.go(RedeemStep.CONFIRM) is None
    points = cloud.admin.points("10000128")
    assert flow.redeem() is RedeemProblem.LIMIT_EXCEEDED and flow.step is RedeemStep.CART
    assert cloud.admin.points("10000128") == points


# -- offline -----------------------------------------------------------------------------------------------


def offline_session(flow: RedemptionFlow, cloud: EmbeddedCloud, member: str) -> None:
    assert flow.scan(cloud.admin.member_token(member)) is None
    assert flow.member is not None and flow.member.offline and flow.member.points is None


def test_offline_caps_refuse_the_first_redemption_over_them(
    cloud: EmbeddedCloud, make_flow: FlowFactory, proxy: FaultProxy, engine: SyncEngine, receipts: Path
) -> None:
    a, b = new_member(cloud), new_member(cloud)
    config = {"offline_enabled": True, "offline_member_cap": 100, "offline_kiosk_cap": 150}
    proxy.down()
    flow = make_flow(**config)
    offline_session(flow, cloud, a)
    assert flow.offline_room() == 100
    assert flow.set_qty(MAGNET, 3) is None  # 90
    assert flow.go(RedeemStep.CONFIRM) is None and flow.redeem() is None and flow.step is RedeemStep.QUEUED
    assert voucher_codes(receipts) == []  # nothing printed before the cloud confirms

    flow = make_flow(**config)
    offline_session(flow, cloud, a)
    assert flow.offline_room() == 10
    assert flow.add(MAGNET) is RedeemProblem.OFFLINE_MEMBER_CAP
    flow = make_flow(**config)
    offline_session(flow, cloud, b)
    assert flow.offline_room() == 60
    assert flow.set_qty(MAGNET, 2) is None
    assert flow.add(MAGNET) is RedeemProblem.OFFLINE_KIOSK_CAP
    # The token spent offline cannot be shown here twice.
    token = cloud.admin.member_token(b)
    assert make_flow(**config).scan(token) is None
    assert make_flow(**config).scan(token) is RedeemProblem.TOKEN_REPLAYED

    proxy.up()
    engine.sync_now()
    wait_until(lambda: engine.unprinted_vouchers(), timeout_s=15, what="offline redemption confirmed")
    assert cloud.admin.points(a) == 1000 - 90
    # The voucher waits for its member, who scans again online.
    flow = make_flow(**config)
    assert flow.scan(cloud.admin.member_token(a)) is None and flow.reprinted == 1
    assert len(voucher_codes(receipts)) == 1 and engine.unprinted_vouchers() == []


def test_offline_caps_of_zero_do_not_limit(cloud: EmbeddedCloud, make_flow: FlowFactory, proxy: FaultProxy) -> None:
    member = new_member(cloud)
    proxy.down()
    flow = make_flow(offline_enabled=True, offline_member_cap=0, offline_kiosk_cap=0)
    offline_session(flow, cloud, member)
    assert flow.offline_room() is None
    assert flow.set_qty(MAGNET, 3) is None and flow.set_qty(BAG, 2) is None and flow.set_qty(OIL, 1) is None
    assert flow.go(RedeemStep.CONFIRM) is None and flow.redeem() is None and flow.step is RedeemStep.QUEUED


def test_offline_refused_when_the_last_sync_is_too_old(
    cloud: EmbeddedCloud, store: Store, proxy: FaultProxy, desk: VoucherDesk
) -> None:
    store.set_meta(META_LAST_SYNC, repr(time.time() - 3 * 3600))
    proxy.down()
    client = make_client(store, proxy.url)
    stale = make_engine(store, client)  # not started: it knows only the stored last sync
    try:
        flow = RedemptionFlow(stale, RedemptionConfig(offline_enabled=True, offline_max_hours=2), list, desk)
        assert flow.scan(cloud.admin.member_token("10000128")) is RedeemProblem.OFFLINE_TOO_LONG
        flow = RedemptionFlow(stale, RedemptionConfig(offline_enabled=True, offline_max_hours=0), list, desk)
        assert flow.scan(cloud.admin.member_token("10000128")) is None
    finally:
        client.close()


def test_offline_conflict_is_flagged_not_dropped(
    cloud: EmbeddedCloud, make_flow: FlowFactory, proxy: FaultProxy, engine: SyncEngine
) -> None:
    member = new_member(cloud, points=100)
    proxy.down()
    flow = make_flow(offline_enabled=True, offline_member_cap=0)
    offline_session(flow, cloud, member)
    assert flow.set_qty(OIL, 1) is None  # 300 points: the balance is not known offline
    assert flow.go(RedeemStep.CONFIRM) is None and flow.redeem() is None
    assert flow.result is not None
    key = flow.result.idempotency_key
    proxy.up()
    engine.sync_now()
    wait_until(lambda: engine.orders.redemption(key).state is not RedemptionState.SENDING,  # type: ignore[union-attr]
               timeout_s=15, what="offline redemption answered")
    done = engine.orders.redemption(key)
    assert done is not None and done.state is RedemptionState.CONFLICT
    assert [c["reason"] for c in cloud.admin.conflicts() if c["redeemed_at"] == flow.result.request["offline"]
            ["redeemed_at"]] == ["insufficient_points"]
    assert cloud.admin.points(member) == 100


# -- vouchers left by a crash ---------------------------------------------------------------------------------


def _confirmed(cloud: EmbeddedCloud, engine: SyncEngine) -> Redemption:
    member = new_member(cloud)
    session = str(engine.client.resolve_member(cloud.admin.member_token(member), None)["session"])
    redemption = engine.redeem([{"gift_id": MAGNET, "qty": 1}], session)
    assert redemption.state is RedemptionState.CONFIRMED
    return redemption


def test_a_queued_voucher_job_is_not_queued_again(
    cloud: EmbeddedCloud, engine: SyncEngine, store: Store, receipts: Path
) -> None:
    redemption = _confirmed(cloud, engine)
    queue = image_queue(store, receipts)
    queue.stop()  # the job below stays queued, as after a crash right after submit
    queue = PrintQueue(store, queue.printer, lambda event: None)
    job_id = queue.jobs.create(VOUCHER_JOB_KIND, redemption.idempotency_key,
                               voucher_receipt_for(redemption).to_json())
    queue.start()  # its recovery prints the queued job
    desk = VoucherDesk(engine, queue, voucher_receipt_for, wait_s=10.0)
    try:
        assert desk.print_unprinted() == 1
    finally:
        queue.stop()
    job = latest_voucher_job(store, redemption.idempotency_key)
    assert job is not None and job.id == job_id and job.state is JobState.PRINTED
    assert len(voucher_codes(receipts)) == 1


def test_an_interrupted_voucher_is_reprinted_marked_duplicate(
    cloud: EmbeddedCloud, engine: SyncEngine, store: Store, receipts: Path
) -> None:
    redemption = _confirmed(cloud, engine)
    queue = image_queue(store, receipts)
    queue.stop()
    job_id = queue.jobs.create(VOUCHER_JOB_KIND, redemption.idempotency_key,
                               voucher_receipt_for(redemption).to_json())
    queue.jobs.mark_printing(job_id)  # killed while the printer was busy with it
    queue = PrintQueue(store, queue.printer, lambda event: None)
    queue.start()
    desk = VoucherDesk(engine, queue, voucher_receipt_for, wait_s=10.0)
    try:
        assert desk.print_voucher(redemption.idempotency_key) is None
    finally:
        queue.stop()
    reprint = latest_voucher_job(store, redemption.idempotency_key)
    assert reprint is not None and reprint.reprint_of == job_id and reprint.state is JobState.PRINTED
    assert Receipt.from_json(reprint.document).duplicate
    assert engine.unprinted_vouchers() == []


def test_voucher_waits_while_the_printer_cannot_print(
    cloud: EmbeddedCloud, engine: SyncEngine, store: Store, tmp_path: Path
) -> None:
    redemption = _confirmed(cloud, engine)
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("the output path is a file: the image printer cannot write")
    queue = image_queue(store, blocked)
    desk = VoucherDesk(engine, queue, voucher_receipt_for, wait_s=10.0)
    try:
        assert desk.print_voucher(redemption.idempotency_key) is FailReason.HARDWARE
    finally:
        queue.stop()
    assert [r.idempotency_key for r in engine.unprinted_vouchers()] == [redemption.idempotency_key]
    fixed = image_queue(store, tmp_path / "receipts-2")
    try:
        assert VoucherDesk(engine, fixed, voucher_receipt_for, wait_s=10.0).print_unprinted() == 1
    finally:
        fixed.stop()
    assert len(voucher_codes(tmp_path / "receipts-2")) == 1


def test_voucher_receipt_carries_code_items_balance_validity_and_place() -> None:
    redemption = Redemption(
        "k1", {"session": "s", "items": []}, RedemptionState.CONFIRMED, "", "R20261129-0007",
        {"redemption_no": "R20261129-0007", "pickup_code": "77287978", "points_total": 460,
         "items": [{"gift_id": BAG, "name": {"zh_CN": "西宁文创帆布袋", "en": "Tote bag"}, "qty": 2, "points": 160},
                   {"gift_id": "gift-ticket-kumbum", "name": {"zh_CN": "塔尔寺门票"}, "qty": 1, "points": 300}],
         "balance_before": 1200, "balance_after": 740, "valid_until_date": "2027-01-28",
         "pickup_location": {"zh_CN": "一楼服务台", "en": "Ground floor desk"}},
        None, 1_764_400_000.0,
    )
    receipt = voucher_receipt_for(redemption)
    texts = [getattr(e, "text", "") for e in receipt.elements]
    rows = {e.label: e.value for e in receipt.elements if e.type == "row"}  # type: ignore[union-attr]
    assert "礼品兑换券" in texts and "7728 7978" in texts
    assert rows["西宁文创帆布袋 ×2"] == "160 积分" and rows["塔尔寺门票 ×1"] == "300 积分"
    assert rows["合计"] == "460 积分" and rows["兑换后积分"] == "740" and rows["兑换前积分"] == "1200"
    assert rows["有效期至"] == "2027-01-28" and rows["领取地点"] == "一楼服务台"
    assert [e.data for e in receipt.elements if e.type == "qr"] == ["SKV1:R20261129-0007:77287978"]  # type: ignore[union-attr]
    assert Receipt.from_json(receipt.to_json()) == receipt


def test_too_many_lookups_for_one_member_are_refused_kindly(cloud: EmbeddedCloud, make_flow: FlowFactory) -> None:
    member = new_member(cloud)
    limit = cloud.settings.resolve_per_member.limit
    for _ in range(limit):
        assert make_flow().scan(cloud.admin.member_token(member)) is None
    assert make_flow().scan(cloud.admin.member_token(member)) is RedeemProblem.MEMBER_RATE_LIMITED
