"""The district's rules at work on a real database: points by rate, rounding and daily cap; expiry with its
reminder; unclaimed vouchers expiring; sign-in lockout; service gifts becoming routed orders; printed
cards; escalation; adjustments; reports rolled up along the station hierarchy."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
import sqlalchemy as sa

from cloud import accounts, jobs, ledger, rules, vouchers
from cloud import redeem as redeem_ops
from cloud.db import gift_stock, points_ledger, stations
from cloud.embedded import EmbeddedCloud
from cloud.errors import ApiError, ErrorCode
from tests.cloud.conftest import new_member
from tests.cloud.people import PASSWORD, Person, first_admin, invite, member_no, new_phone
from tests.cloud.signed import enrol, error_code, new_key
from tests.kiosk.cloudkit import order_body

STATION = "st-nanguan"
DAY = 86400.0
NOON = 1_780_000_000.0  # a fixed instant, so days and caps do not depend on when the test runs


@pytest.fixture(scope="module")
def admin(cloud: EmbeddedCloud) -> Iterator[Person]:
    person = first_admin(cloud)
    yield person
    person.close()


def member_id(cloud: EmbeddedCloud, number: str) -> str:
    return str(cloud.admin.member_info(number)["id"])


def set_rules(cloud: EmbeddedCloud, **values: object) -> None:
    for name, value in values.items():
        cloud.admin.set_rule(name.replace("__", "."), value)


def test_points_follow_rate_rounding_and_daily_cap(cloud: EmbeddedCloud) -> None:
    mid = member_id(cloud, new_member(cloud, points=0))
    set_rules(cloud, points__per_hour=10, points__rounding="down", points__daily_cap=25)
    try:
        with cloud.engine.begin() as conn:
            assert ledger.service_hours(conn, NOON, NOON + 80 * 60) == 1.25  # 80 min → 75 min in 15-min steps
            first = ledger.credit_service(conn, mid, "XN-A", 1.25, NOON, None)
            rules.put(conn, "points.rounding", "half_up", by=None, at=NOON)
            second = ledger.credit_service(conn, mid, "XN-B", 1.25, NOON + 60, None)
            next_day = ledger.credit_service(conn, mid, "XN-C", 1.25, NOON + DAY, None)
            again = ledger.credit_service(conn, mid, "XN-A", 1.25, NOON + DAY, None)
            total = ledger.balance(conn, mid)
    finally:
        set_rules(cloud, points__per_hour=10, points__rounding="half_up", points__daily_cap=80)
    assert (first.points, second.points, next_day.points) == (12, 13, 13)
    assert second.points == 13 and first.points + second.points == 25  # the cap is exactly reached
    assert not again.credited and again.points == 0
    assert total == 38


def test_daily_cap_cuts_the_last_credit_of_the_day(cloud: EmbeddedCloud) -> None:
    mid = member_id(cloud, new_member(cloud, points=0))
    set_rules(cloud, points__daily_cap=30)
    try:
        with cloud.engine.begin() as conn:
            credits = [ledger.credit_service(conn, mid, f"XN-CAP{i}", 2.0, NOON + i, None).points for i in range(3)]
    finally:
        set_rules(cloud, points__daily_cap=80)
    assert credits == [20, 10, 0]


def test_points_expire_by_rule_with_a_reminder_first(cloud: EmbeddedCloud) -> None:
    mid = member_id(cloud, new_member(cloud, points=0))
    with cloud.engine.begin() as conn:
        ledger.credit(conn, mid, 100, ledger.ADJUSTMENT, at=NOON, note="old credit")
        ledger.credit(conn, mid, 50, ledger.ADJUSTMENT, at=NOON + 200 * DAY, note="newer credit")
        ledger.post(conn, mid, -30, ledger.REDEMPTION, at=NOON + 201 * DAY, ref="R-1")  # uses the oldest first
        last_day = (ledger.local_date(NOON) + timedelta(days=365)).isoformat()
        assert ledger.expiring(conn, mid, NOON + 300 * DAY) is None
        assert ledger.expiring(conn, mid, NOON + 340 * DAY) == {"points": 70, "date": last_day}
        assert ledger.expire_member(conn, mid, NOON + 365 * DAY) == 0  # the last valid day itself
        expired = jobs.run_due(conn, NOON + 366 * DAY)["expired_points"]
        assert expired[mid] == 70
        assert jobs.run_due(conn, NOON + 367 * DAY)["expired_points"].get(mid) is None
        assert ledger.balance(conn, mid) == 50
        rows = conn.execute(sa.select(points_ledger.c.delta, points_ledger.c.balance_after)
                            .where(points_ledger.c.member_id == mid).order_by(points_ledger.c.id)).all()
    assert [tuple(r) for r in rows] == [(100, 100), (50, 150), (-30, 120), (-70, 50)]


def test_unclaimed_voucher_expires_and_gives_points_and_stock_back(cloud: EmbeddedCloud, admin: Person) -> None:
    number = new_member(cloud, points=100)
    mid = member_id(cloud, number)
    stock = cloud.admin.stock(STATION, "gift-magnet")
    with cloud.engine.begin() as conn:
        voucher = redeem_ops.apply(conn, member_id=mid, station_id=STATION, device_id="test",
                                   items=[("gift-magnet", 2)], at=NOON, offline=False)
    assert cloud.admin.points(number) == 40 and cloud.admin.stock(STATION, "gift-magnet") == stock - 2
    valid_until = date.fromisoformat(voucher["valid_until_date"])
    with cloud.engine.begin() as conn:
        on_last_day = (valid_until - ledger.local_date(NOON)).days * DAY + NOON
        assert voucher["redemption_no"] not in vouchers.expire_unclaimed(conn, on_last_day)
        assert voucher["redemption_no"] in vouchers.expire_unclaimed(conn, on_last_day + DAY)
        assert voucher["redemption_no"] not in vouchers.expire_unclaimed(conn, on_last_day + 2 * DAY)
    assert cloud.admin.points(number) == 100 and cloud.admin.stock(STATION, "gift-magnet") == stock
    resp = admin.post(f"/api/vouchers/{voucher['pickup_code']}/verify")
    assert (resp.status_code, error_code(resp)) == (410, "voucher_expired")


def test_sign_in_lockout_grows_and_ends(cloud: EmbeddedCloud) -> None:
    phone = new_phone()
    _, code = cloud.admin.invite(phone, "锁定测试", "admin")
    accounts.activate(cloud.engine, code, PASSWORD, NOON)
    with pytest.raises(ApiError) as used:
        accounts.activate(cloud.engine, code, "another password", NOON)
    assert used.value.code is ErrorCode.ACTIVATION_INVALID

    def attempt(password: str, at: float) -> ErrorCode | None:
        try:
            accounts.sign_in(cloud.engine, phone, password, at)
        except ApiError as exc:
            return exc.code
        return None

    assert [attempt("wrong", NOON + i) for i in range(4)] == [ErrorCode.WRONG_PASSWORD] * 4  # 3 free, 4th locks
    assert attempt(PASSWORD, NOON + 10) is ErrorCode.ACCOUNT_LOCKED  # 30 s
    assert attempt("wrong", NOON + 34) is ErrorCode.WRONG_PASSWORD  # 5th: 60 s
    assert attempt(PASSWORD, NOON + 34 + 59) is ErrorCode.ACCOUNT_LOCKED
    assert attempt(PASSWORD, NOON + 34 + 61) is None
    assert attempt("wrong", NOON + 100) is ErrorCode.WRONG_PASSWORD  # the count starts again
    assert attempt(PASSWORD, NOON + 101) is None


def test_a_service_gift_becomes_an_order_at_the_volunteers_address(cloud: EmbeddedCloud, admin: Person) -> None:
    cloud.admin.load_catalogue({"gifts": [{
        "id": "gift-lamp-repair", "category_id": "household", "points": 50, "per_person_limit": None,
        "voucher_valid_days": 30, "service_id": "svc-repair-home",
        "name": {"zh_CN": "上门修灯", "en": "Lamp repair at home"}, "description": {"zh_CN": "", "en": ""},
        "tile": {"emblem": "修", "caption_zh": "修灯", "caption_en": "Repair", "colour": "#336699"},
        "stock": {STATION: 5}}]})
    cloud.admin.set_routing(None, "repair", "organisation", "org-repair-team")
    volunteer = invite(admin, "volunteer", "周阿姨", station_id=STATION)
    kiosk = enrol(cloud.url, cloud.admin.enrolment_code(STATION).code)
    try:
        address = {"building": "5栋", "unit": "2单元", "room": "101", "text": ""}
        assert volunteer.put("/api/me/address", address).status_code == 200
        number = member_no(volunteer)
        assert admin.post(f"/api/members/{number}/adjustments", {"delta": 50, "note": "活动奖励"}).status_code == 200
        token = volunteer.post("/api/me/member-token").json()["token"]
        session = kiosk.post("/v1/members/resolve", {"token": token}).json()["session"]
        redeemed = kiosk.post("/v1/redemptions", {"session": session,
                                                  "items": [{"gift_id": "gift-lamp-repair", "qty": 1}]}, key=new_key())
        assert redeemed.status_code == 201, redeemed.text
        made = [o for o in admin.get("/api/orders").json()["orders"]
                if o["redemption_no"] == redeemed.json()["redemption_no"]]
        assert [(o["service_id"], o["status"], o["route"], o["organisation_id"]) for o in made] == [
            ("svc-repair-home", "dispatched", "organisation", "org-repair-team")]
        order = admin.get(f"/api/orders/{made[0]['order_code']}").json()
        assert order["address"] == address and order["contact"]["name"] == "周阿姨"
    finally:
        kiosk.close()
        volunteer.close()


def test_leaders_issue_and_revoke_printed_cards(cloud: EmbeddedCloud, admin: Person) -> None:
    leader = invite(admin, "leader", "石榴籽队长", organisation_id="org-nanguan-team")
    volunteer = invite(admin, "volunteer", "石榴籽队员", station_id=STATION, organisation_id="org-nanguan-team")
    kiosk = enrol(cloud.url, cloud.admin.enrolment_code(STATION).code)
    try:
        number = member_no(volunteer)
        card = leader.put(f"/api/members/{number}/card", {"pin": "135790"})
        assert card.status_code == 200 and card.json()["card"] == f"SKC1.{number}"
        assert kiosk.post("/v1/members/resolve", {"token": card.json()["card"], "pin": "135790"}).status_code == 200
        assert leader.http.delete(f"/api/members/{number}/card").status_code == 204
        refused = kiosk.post("/v1/members/resolve", {"token": card.json()["card"], "pin": "135790"})
        assert (refused.status_code, error_code(refused)) == (400, "token_invalid")
        assert "revoked" in refused.json()["error"]["message"]
    finally:
        kiosk.close()
        leader.close()
        volunteer.close()


def test_an_order_nobody_accepts_is_escalated_once_and_shown_overdue(cloud: EmbeddedCloud, admin: Person) -> None:
    cloud.admin.set_routing(STATION, "legal", "organisation", "org-legal-aid", accept_minutes=30)
    kiosk = enrol(cloud.url, cloud.admin.enrolment_code(STATION).code)
    try:
        body = {**order_body(service_id="svc-legal-will"), "client_code": "LESC23", "created_at": time.time()}
        code = kiosk.post("/v1/orders", body, key=new_key()).json()["order_code"]
    finally:
        kiosk.close()
    assert code not in [o["order_code"] for o in admin.get("/api/orders?overdue=true").json()["orders"]]
    later = time.time() + 31 * 60
    assert code in cloud.admin.run_jobs(later)["escalated_orders"]
    assert code not in cloud.admin.run_jobs(later + 60)["escalated_orders"]
    order = admin.get(f"/api/orders/{code}").json()
    assert order["escalated"] and [e["status"] for e in order["timeline"]].count("escalated") == 1


def test_adjustments_need_a_reason_and_name_who_made_them(cloud: EmbeddedCloud, admin: Person) -> None:
    staff = invite(admin, "staff", "对账员", station_id=STATION)
    volunteer = invite(admin, "volunteer", "被调整者", station_id=STATION)
    try:
        number = member_no(volunteer)
        blank = staff.post(f"/api/members/{number}/adjustments", {"delta": 5, "note": "  "})
        assert (blank.status_code, error_code(blank)) == (400, "bad_request")
        overdraw = staff.post(f"/api/members/{number}/adjustments", {"delta": -5, "note": "扣错了"})
        assert (overdraw.status_code, error_code(overdraw)) == (409, "insufficient_points")
        assert staff.post(f"/api/members/{number}/adjustments", {"delta": 5, "note": "补录活动"}).json() == {
            "balance": 5}
        entry = volunteer.get(f"/api/members/{number}").json()["ledger"][0]
        assert (entry["reason"], entry["note"], entry["actor"]) == ("adjustment", "补录活动", staff.id)
    finally:
        staff.close()
        volunteer.close()


def test_reports_roll_up_from_station_to_institute_to_centre(cloud: EmbeddedCloud, admin: Person) -> None:
    for sid, name, level, parent in (("c-centre", "城中区新时代文明实践中心", "centre", None),
                                     ("i-nanguan", "南关街新时代文明实践所", "institute", "c-centre")):
        cloud.admin.add_station({"id": sid, "name": {"zh_CN": name, "en": name}, "address": {"zh_CN": "", "en": ""},
                                 "pickup_location": {"zh_CN": "", "en": ""}})
        with cloud.engine.begin() as conn:
            conn.execute(sa.update(stations).where(stations.c.id == sid).values(level=level, parent_id=parent))
    with cloud.engine.begin() as conn:
        conn.execute(sa.update(stations).where(stations.c.id == STATION).values(level="station", parent_id="i-nanguan"))
    month = ledger.local_date(time.time()).strftime("%Y-%m")
    rows = {r["id"]: r for r in admin.get(f"/api/reports?month={month}").json()["rows"]}
    assert rows["c-centre"]["orders"] == rows["i-nanguan"]["orders"] == rows[STATION]["orders"] > 0
    assert rows["c-centre"]["vouchers_verified"] >= rows[STATION]["vouchers_verified"]
    staff = invite(admin, "staff", "报表员", station_id="i-nanguan")
    try:
        own = staff.get(f"/api/reports?month={month}&format=csv")
        assert own.status_code == 200 and own.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(own.text)))
        assert [r["station"] for r in table] == ["i-nanguan", STATION]
        assert table[0]["orders"] == str(rows["i-nanguan"]["orders"])
        other = staff.get(f"/api/reports?month={month}&station_id=st-czq")
        assert other.status_code == 403
        # A 所's staff act for the stations under it.
        below = staff.get("/api/orders").json()["orders"]
        assert below and {o["station_id"] for o in below} == {STATION}
        assert staff.get(f"/api/orders/{below[0]['order_code']}").status_code == 200
    finally:
        staff.close()
    bad = admin.get("/api/reports?month=2026-13")
    assert (bad.status_code, error_code(bad)) == (400, "bad_request")


def test_stock_is_untouched_when_the_policy_keeps_it(cloud: EmbeddedCloud) -> None:
    number = new_member(cloud, points=100)
    mid = member_id(cloud, number)
    set_rules(cloud, vouchers__return_stock=False)
    try:
        with cloud.engine.begin() as conn:
            before = conn.execute(sa.select(gift_stock.c.stock).where(
                gift_stock.c.station_id == STATION, gift_stock.c.gift_id == "gift-towels")).scalar_one()
            voucher = redeem_ops.apply(conn, member_id=mid, station_id=STATION,
                                       device_id="test", items=[("gift-towels", 1)], at=NOON, offline=False)
            assert voucher["redemption_no"] in vouchers.expire_unclaimed(conn, NOON + 400 * DAY)
    finally:
        set_rules(cloud, vouchers__return_stock=True)
    assert cloud.admin.points(number) == 100
    assert cloud.admin.stock(STATION, "gift-towels") == before - 1


def test_bad_rule_values_are_refused_with_the_rule_named(cloud: EmbeddedCloud, admin: Person) -> None:
    for name, value in (("points.per_hour", -1), ("points.rounding", "sideways"), ("points.valid_days", 1.5),
                        ("vouchers.return_points", "yes")):
        resp = admin.put(f"/api/rules/{name}", {"value": value})
        assert (resp.status_code, error_code(resp)) == (400, "bad_request") and name in resp.text
    unknown = admin.put("/api/rules/points.nonsense", {"value": 1})
    assert (unknown.status_code, error_code(unknown)) == (404, "not_found")
    listed = {r["name"]: r for r in admin.get("/api/rules").json()["rules"]}
    assert listed["points.per_hour"]["default"] == 10


def test_signing_out_ends_the_session(cloud: EmbeddedCloud) -> None:
    person = first_admin(cloud, "临时管理员")
    assert person.get("/api/me").status_code == 200
    assert person.post("/api/sign-out").status_code == 204
    gone = person.get("/api/me")
    assert (gone.status_code, error_code(gone)) == (401, "not_signed_in")
    person.close()
    with httpx.Client(base_url=cloud.url, timeout=20) as anonymous:
        wrong = anonymous.post("/api/sign-in", json={"phone": "13000000000", "password": "whatever1"})
    assert (wrong.status_code, error_code(wrong)) == (401, "wrong_password")


def test_staff_reroute_a_leader_assigns_and_a_cancellation_keeps_its_reason(
    cloud: EmbeddedCloud, admin: Person
) -> None:
    staff = invite(admin, "staff", "分派员", station_id=STATION)
    leader = invite(admin, "leader", "反诈队长", organisation_id="org-antifraud")
    member_of_team = invite(admin, "volunteer", "反诈队员", station_id=STATION, organisation_id="org-antifraud")
    outsider = invite(admin, "volunteer", "别队队员", station_id=STATION, organisation_id="org-legal-aid")
    kiosk = enrol(cloud.url, cloud.admin.enrolment_code(STATION).code)
    try:
        body = {**order_body(service_id="svc-antifraud-talk"), "client_code": "LRRT23", "created_at": time.time()}
        code = kiosk.post("/v1/orders", body, key=new_key()).json()["order_code"]
        assert staff.get(f"/api/orders/{code}").json()["status"] == "submitted"  # no rule: the station's desk
        assert leader.get(f"/api/orders/{code}").status_code == 403
        routed = staff.post(f"/api/orders/{code}/route", {"route": "organisation", "organisation_id": "org-antifraud"})
        assert (routed.json()["status"], routed.json()["organisation"]["id"]) == ("dispatched", "org-antifraud")
        assert routed.json()["timeline"][-1]["actor"]["name"] == "分派员"
        refused = leader.post(f"/api/orders/{code}/assign", {"volunteers": [outsider.id]})
        assert (refused.status_code, error_code(refused)) == (403, "forbidden")
        assigned = leader.post(f"/api/orders/{code}/assign", {"volunteers": [member_of_team.id]})
        assert assigned.json()["status"] == "accepted"
        assert [p["name"] for p in assigned.json()["participants"]] == ["反诈队员"]
        late = staff.post(f"/api/orders/{code}/route", {"route": "pool"})
        assert (late.status_code, error_code(late)) == (409, "wrong_state")
        blank = leader.post(f"/api/orders/{code}/cancel", {"reason": " "})
        assert (blank.status_code, error_code(blank)) == (400, "bad_request")
        cancelled = leader.post(f"/api/orders/{code}/cancel", {"reason": "居民改期"}).json()
        assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "居民改期")
        seen_by_kiosk = kiosk.get(f"/v1/orders/{code}?phone_last4=5678").json()
        assert [e["status"] for e in seen_by_kiosk["timeline"]] == ["submitted", "dispatched", "accepted", "cancelled"]
    finally:
        kiosk.close()
        for person in (staff, leader, member_of_team, outsider):
            person.close()
