"""The whole loop, on SQLite and PostgreSQL: a resident orders at the ordering kiosk (the real kiosk core)
→ the order is routed to the station's volunteer pool → a volunteer takes it → checks in and out →
completes it → the resident rates it at the kiosk by scanning the receipt → the volunteer's hours and
points grow by the district's rule → the volunteer redeems at the gift kiosk → staff verify the pickup
code → a second verification is refused, saying when and by whom."""

from __future__ import annotations

import time
from pathlib import Path

from cloud.embedded import EmbeddedCloud
from cloud.seeding import DEMO_STATION
from drivers.printing import make_printer
from kiosk.config import PrinterConfig, RedemptionConfig
from kiosk.flows.redemption import RedeemStep, RedemptionFlow, VoucherDesk
from kiosk.flows.tracking import TrackFlow, TrackPorts, TrackStep
from kiosk.printing import PrintQueue
from kiosk.store import Store
from kiosk.sync import META_CONFIG_VERSION, SyncEngine
from kiosk.tickets import order_qr
from tests.cloud.people import Person, first_admin, invite, member_no
from tests.kiosk.cloudkit import enrol, make_client, make_engine, order_body, wait_until
from tests.kiosk.test_redemption_flow import voucher_receipt_for

STATION = DEMO_STATION
SERVICE = "svc-elderly-visit"  # category "elderly"
MAGNET = "gift-magnet"  # 30 points


class Kiosk:
    """An enrolled kiosk core: its store and a running sync engine on the real seeded_cloud."""

    def __init__(self, seeded_cloud: EmbeddedCloud, directory: Path, name: str) -> None:
        self.store: Store = enrol(seeded_cloud, directory, name)
        self.client = make_client(self.store, seeded_cloud.url)
        self.engine: SyncEngine = make_engine(self.store, self.client)
        self.engine.start()
        wait_until(lambda: self.store.get_meta(META_CONFIG_VERSION) is not None, what="start-up sync")

    def close(self) -> None:
        self.engine.stop()
        self.client.close()
        self.store.close()


def test_order_to_points_to_gift_to_pickup(seeded_cloud: EmbeddedCloud, tmp_path: Path) -> None:
    admin = first_admin(seeded_cloud)
    staff = invite(admin, "staff", "医财巷西站王站长", station_id=STATION)
    volunteer = invite(admin, "volunteer", "李志愿", station_id=STATION)
    people: list[Person] = [admin, staff, volunteer]
    ordering = Kiosk(seeded_cloud, tmp_path / "ordering", "点单机")
    gifts = Kiosk(seeded_cloud, tmp_path / "gifts", "兑换机")
    try:
        # The district routes elderly care at this station to its volunteers' pool, 20 points an hour.
        rule = {"station_id": STATION, "category_id": "elderly", "route": "pool", "accept_minutes": 60}
        assert staff.put("/api/routing-rules", rule).status_code == 200
        assert admin.put("/api/rules/points.per_hour", {"value": 20}).status_code == 200

        # 点单: at the ordering kiosk.
        order = ordering.engine.submit_order(order_body(service_id=SERVICE))
        assert order.synced and order.order_code is not None
        code = order.order_code

        # 派单: routed on arrival; the volunteer sees it in their station's open pool.
        pool = volunteer.get("/api/orders").json()["orders"]
        assert [(o["order_code"], o["status"], o["route"], o["overdue"]) for o in pool] == [
            (code, "dispatched", "pool", False)]

        # Before taking it the volunteer sees where, not who; once taken, the whole contact.
        offered = volunteer.get(f"/api/orders/{code}").json()
        assert (offered["contact"]["phone"], offered["address"]["room"]) == ("138****5678", "")

        # 接单 and 做单: take, check in (3 h 5 min ago), check out now, complete.
        taken = volunteer.post(f"/api/orders/{code}/take").json()
        assert taken["status"] == "accepted"
        assert volunteer.get(f"/api/orders/{code}").json()["contact"]["phone"] == "13800005678"
        started = time.time() - 3 * 3600 - 5 * 60
        assert volunteer.post(f"/api/orders/{code}/check-in", {"started_at": started}).json()["status"] == "in_service"
        assert volunteer.post(f"/api/orders/{code}/check-out", {}).status_code == 200
        done = volunteer.post(f"/api/orders/{code}/complete")
        assert done.status_code == 200 and done.json()["status"] == "completed"
        steps = [(e["status"], (e["actor"] or {}).get("name")) for e in done.json()["timeline"]]
        assert steps == [("submitted", None), ("dispatched", None), ("accepted", "李志愿"),
                         ("in_service", "李志愿"), ("checked_out", "李志愿"), ("completed", "李志愿")]

        # 评价: the resident scans the receipt at the ordering kiosk and rates it.
        track = TrackFlow(TrackPorts(
            ordering.engine.order_status, lambda c, body: ordering.engine.submit_rating(c, body),
            ordering.engine.orders.rated_here))
        assert track.scanned(order_qr(code, "5678")) is None
        assert track.order is not None and track.order.status == "completed" and track.order.can_rate
        # The kiosk's timeline keeps its /v1 shape: the status steps only.
        assert [e["status"] for e in track.order.timeline] == [
            "submitted", "dispatched", "accepted", "in_service", "completed"]
        assert track.start_rating() is None
        track.stars = 5
        assert track.submit_rating() is None and track.step is TrackStep.THANKS
        assert staff.get(f"/api/orders/{code}").json()["rating"]["stars"] == 5

        # Hours → points: 3 h 5 min rounds to 3 h (15-minute steps), 3 h × 20 = 60 points, in the ledger.
        number = member_no(volunteer)
        member = volunteer.get(f"/api/members/{number}").json()
        assert member["points"] == 60
        assert member["hours"] == [{"kind": "credit", "label": {"zh_CN": "信用时长", "en": "Credit hours"},
                                    "hours": 3.0}]
        assert [(e["reason"], e["ref"], e["delta"]) for e in member["ledger"]] == [("service", code, 60)]

        # 兑换: the volunteer shows a member code from the API at the gift kiosk and takes a magnet.
        token = volunteer.post("/api/me/member-token").json()["token"]
        queue = PrintQueue(gifts.store, make_printer(PrinterConfig(kind="image", image_dir=str(tmp_path / "v")),
                                                     tmp_path / "v"), lambda event: None)
        queue.start()
        try:
            desk = VoucherDesk(gifts.engine, queue, voucher_receipt_for, wait_s=10.0)
            flow = RedemptionFlow(gifts.engine, RedemptionConfig(),
                                  lambda: list((gifts.engine.catalogue() or {}).get("gifts", [])), desk)
            assert flow.scan(token) is None and flow.member is not None and flow.member.points == 60
            assert flow.add(MAGNET) is None and flow.go(RedeemStep.CONFIRM) is None
            assert flow.redeem() is None and flow.step is RedeemStep.VOUCHER
            assert flow.result is not None and flow.result.voucher is not None
            voucher = flow.result.voucher
        finally:
            queue.stop()
        assert voucher["balance_after"] == 30
        ledger = volunteer.get(f"/api/members/{number}").json()["ledger"]
        assert [(e["reason"], e["delta"], e["balance_after"]) for e in ledger] == [
            ("redemption", -30, 30), ("service", 60, 60)]

        # 核销: staff scan the voucher's QR once; the second time is refused with when and by whom.
        scanned = f"SKV1:{voucher['redemption_no']}:{voucher['pickup_code']}"
        first = staff.post(f"/api/vouchers/{scanned}/verify")
        assert first.status_code == 200 and first.json()["state"] == "verified"
        again = staff.post(f"/api/vouchers/{voucher['pickup_code']}/verify")
        assert again.status_code == 409 and again.json()["error"]["code"] == "already_verified"
        assert "医财巷西站王站长" in again.json()["error"]["message"]
        assert volunteer.get(f"/api/members/{number}").json()["points"] == 30
    finally:
        gifts.close()
        ordering.close()
        for person in people:
            person.close()
