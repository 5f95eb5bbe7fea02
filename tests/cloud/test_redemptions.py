"""Redemptions: balance, stock, per-person limits, idempotency, offline conflicts, and many kiosks at
once (docs/api.md § Redemptions)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from cloud.db import points_ledger, redemptions
from cloud.embedded import EmbeddedCloud
from cloud.seeding import DEMO_STATION
from cloud.settings import Settings
from tests.cloud.conftest import new_member
from tests.cloud.signed import SignedClient, enrol, error_code, new_key


def session_for(cloud: EmbeddedCloud, device: SignedClient, member: str) -> str:
    resp = device.post("/v1/members/resolve", {"token": cloud.admin.member_token(member), "pin": None})
    assert resp.status_code == 200, resp.text
    session: str = resp.json()["session"]
    return session


def redeem(device: SignedClient, session: str, items: list[tuple[str, int]], key: str | None = None) -> httpx.Response:
    body = {"session": session, "items": [{"gift_id": g, "qty": q} for g, q in items]}
    return device.post("/v1/redemptions", body, key=key or new_key())


def test_redemption_deducts_points_and_stock(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud, points=500)
    session = session_for(cloud, device, member)
    eggs, towels = cloud.admin.stock(DEMO_STATION, "gift-eggs"), cloud.admin.stock(DEMO_STATION, "gift-towels")
    resp = redeem(device, session, [("gift-eggs", 1), ("gift-towels", 2), ("gift-eggs", 1)])
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["redemption_no"].startswith("R") and len(body["pickup_code"]) == 8 and body["pickup_code"].isdigit()
    assert {i["gift_id"]: (i["qty"], i["points"]) for i in body["items"]} == {
        "gift-eggs": (2, 120), "gift-towels": (2, 80)}
    assert (body["points_total"], body["balance_before"], body["balance_after"]) == (200, 500, 300)
    assert body["valid_until_date"] > time.strftime("%Y-%m-%d")
    assert body["pickup_location"]["zh_CN"] == "医财巷西社区实践站一楼服务台"
    assert cloud.admin.points(member) == 300
    assert cloud.admin.stock(DEMO_STATION, "gift-eggs") == eggs - 2
    assert cloud.admin.stock(DEMO_STATION, "gift-towels") == towels - 2
    # The member summary shows it as the latest redemption.
    recent = device.post("/v1/members/resolve", {"token": cloud.admin.member_token(member)}).json()["member"]
    assert recent["points"] == 300 and recent["recent"][0]["redemption_no"] == body["redemption_no"]


def test_refusals_change_nothing(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud, points=100)
    session = session_for(cloud, device, member)
    stock = cloud.admin.stock(DEMO_STATION, "gift-eggs")
    cases = [
        ([("gift-oil", 1)], 409, "insufficient_points"),
        ([("gift-eggs", 3)], 409, "limit_exceeded"),
        ([("gift-eggs", 1), ("gift-nothing", 1)], 400, "unknown_gift"),
        ([("gift-eggs", 1), ("gift-oil", 1)], 409, "insufficient_points"),
    ]
    for items, status, code in cases:
        resp = redeem(device, session, items)
        assert (resp.status_code, error_code(resp)) == (status, code), items
    assert cloud.admin.points(member) == 100 and cloud.admin.stock(DEMO_STATION, "gift-eggs") == stock
    expired = redeem(device, "ses_nothing", [("gift-eggs", 1)])
    assert (expired.status_code, error_code(expired)) == (410, "session_expired")
    empty = device.post("/v1/redemptions", {"session": session, "items": []}, key=new_key())
    assert error_code(empty) == "bad_request"


def test_out_of_stock_names_the_gift(cloud: EmbeddedCloud, device: SignedClient) -> None:
    # Gongyuan Lane has no Kumbum tickets at all.
    yinma = enrol(cloud.url, cloud.admin.enrolment_code("st-gongyuanxiang").code)
    member = new_member(cloud, points=1000)
    resp = redeem(yinma, session_for(cloud, yinma, member), [("gift-ticket-kumbum", 1)])
    assert (resp.status_code, error_code(resp)) == (409, "out_of_stock")
    assert "gift-ticket-kumbum" in resp.json()["error"]["message"]
    assert cloud.admin.points(member) == 1000
    yinma.close()


def test_per_person_limit_spans_redemptions(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud, points=1000)
    session = session_for(cloud, device, member)
    assert redeem(device, session, [("gift-ticket-zoo", 1)]).status_code == 201
    assert redeem(device, session, [("gift-ticket-zoo", 1)]).status_code == 201
    third = redeem(device, session, [("gift-ticket-zoo", 1)])
    assert (third.status_code, error_code(third)) == (409, "limit_exceeded")
    assert cloud.admin.points(member) == 600


def test_session_belongs_to_its_kiosk(cloud: EmbeddedCloud, device: SignedClient) -> None:
    session = session_for(cloud, device, new_member(cloud))
    other = enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code)
    assert error_code(redeem(other, session, [("gift-magnet", 1)])) == "session_expired"
    other.close()


def test_session_expires(tmp_path: Path) -> None:
    with EmbeddedCloud(tmp_path / "c.sqlite3", settings=Settings(session_ttl_s=0)) as cloud:
        device = enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code)
        session = session_for(cloud, device, "10000619")
        assert error_code(redeem(device, session, [("gift-magnet", 1)])) == "session_expired"
        device.close()


def test_idempotent_redemption(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud, points=200)
    session = session_for(cloud, device, member)
    key = new_key()
    first = redeem(device, session, [("gift-magnet", 1)], key=key)
    again = redeem(device, session, [("gift-magnet", 1)], key=key)
    assert (first.status_code, again.status_code) == (201, 200) and first.json() == again.json()
    assert cloud.admin.points(member) == 170
    other = redeem(device, session, [("gift-magnet", 2)], key=key)
    assert (other.status_code, error_code(other)) == (409, "idempotency_mismatch")
    # A refused attempt is not stored: once the cause is gone, the same key goes through.
    poor = new_member(cloud, points=10)
    poor_session = session_for(cloud, device, poor)
    key = new_key()
    assert error_code(redeem(device, poor_session, [("gift-magnet", 1)], key=key)) == "insufficient_points"
    cloud.admin.add_points(poor, 50)
    assert redeem(device, poor_session, [("gift-magnet", 1)], key=key).status_code == 201


def _offline(device: SignedClient, token: str, items: list[tuple[str, int]], at: float) -> httpx.Response:
    body = {"offline": {"token": token, "redeemed_at": at}, "items": [{"gift_id": g, "qty": q} for g, q in items]}
    return device.post("/v1/redemptions", body, key=new_key())


def test_offline_redemption_applied_later(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud, points=300)
    issued = time.time() - 3600  # shown an hour ago, when the kiosk was offline
    token = cloud.admin.member_token(member, issued_at=issued)
    resp = _offline(device, token, [("gift-towels", 1)], issued + 20)
    assert resp.status_code == 201, resp.text
    assert resp.json()["balance_after"] == 260 and cloud.admin.points(member) == 260
    with cloud.engine.begin() as conn:
        assert conn.execute(sa.select(redemptions.c.offline).where(
            redemptions.c.redemption_no == resp.json()["redemption_no"])).scalar_one() is True


def test_offline_redemption_that_cannot_apply_becomes_a_conflict(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud, points=50)
    issued = time.time() - 600
    token = cloud.admin.member_token(member, issued_at=issued)
    resp = _offline(device, token, [("gift-oil", 1)], issued + 10)
    assert resp.status_code == 200
    body = resp.json()
    assert body["conflict"] is True and body["reason"] == "insufficient_points"
    # The token is not burnt by a conflict: applying the same token again is judged afresh.
    late = _offline(device, cloud.admin.member_token(member, issued_at=issued), [("gift-towels", 1)], issued + 200)
    assert late.json()["reason"] == "token_expired"
    forged = _offline(device, token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"), [("gift-towels", 1)],
                      issued + 10)
    assert forged.json()["reason"] == "token_invalid"
    recorded = {c["id"]: c for c in cloud.admin.conflicts()}
    assert recorded[body["conflict_id"]]["reason"] == "insufficient_points"
    assert recorded[body["conflict_id"]]["items"] == [{"gift_id": "gift-oil", "qty": 1}]
    assert cloud.admin.points(member) == 50
    both = device.post("/v1/redemptions", {"session": "x", "offline": {"token": token, "redeemed_at": issued},
                                           "items": [{"gift_id": "gift-towels", "qty": 1}]}, key=new_key())
    assert error_code(both) == "bad_request"


def test_offline_token_used_online_is_replayed_conflict(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud, points=300)
    token = cloud.admin.member_token(member)
    assert device.post("/v1/members/resolve", {"token": token}).status_code == 200
    resp = _offline(device, token, [("gift-towels", 1)], time.time())
    assert (resp.status_code, resp.json()["reason"]) == (200, "token_replayed")


def _racing_cloud(database: Path | str, kiosks: int) -> tuple[EmbeddedCloud, list[SignedClient]]:
    cloud = EmbeddedCloud(database)
    cloud.start()
    return cloud, [enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code) for _ in range(kiosks)]


def test_parallel_redemptions_never_overdraw(database: Path | str) -> None:
    """24 kiosks redeem at the same instant for one member who can afford exactly 7."""
    cloud, kiosks = _racing_cloud(database, 24)
    try:
        cloud.admin.load_catalogue({"gifts": [_gift("gift-race-bag", points=40, stock=100, limit=None)]})
        member = new_member(cloud, points=7 * 40 + 39)
        sessions = [session_for(cloud, k, member) if i < 10 else None for i, k in enumerate(kiosks)]
        # Sessions are limited per member per minute; the rest race offline with their own tokens.
        tokens = [None if s else cloud.admin.member_token(member) for s in sessions]
        start = threading.Barrier(len(kiosks))

        def attempt(i: int) -> httpx.Response:
            items = [{"gift_id": "gift-race-bag", "qty": 1}]
            body: dict[str, Any] = (
                {"session": sessions[i], "items": items} if sessions[i]
                else {"offline": {"token": tokens[i], "redeemed_at": time.time()}, "items": items}
            )
            start.wait(timeout=30)
            return kiosks[i].post("/v1/redemptions", body, key=new_key())

        with ThreadPoolExecutor(len(kiosks)) as pool:
            results = list(pool.map(attempt, range(len(kiosks))))
        applied = [r for r in results if r.status_code == 201]
        refused = [r for r in results if r.status_code != 201]
        assert len(applied) == 7
        for r in refused:
            reason = r.json().get("reason") or error_code(r)
            assert reason == "insufficient_points", r.text
        assert cloud.admin.points(member) == 39
        assert cloud.admin.stock(DEMO_STATION, "gift-race-bag") == 93
        afters = sorted(r.json()["balance_after"] for r in applied)
        assert afters == [39 + 40 * n for n in range(7)]
        with cloud.engine.begin() as conn:
            # The ledger never went below zero at any row, and its sum is the balance.
            assert conn.execute(sa.select(sa.func.min(points_ledger.c.balance_after))).scalar_one() >= 0
    finally:
        for k in kiosks:
            k.close()
        cloud.stop()


def test_parallel_redemptions_never_oversell(database: Path | str) -> None:
    """20 rich members race for 5 tickets."""
    cloud, kiosks = _racing_cloud(database, 20)
    try:
        cloud.admin.load_catalogue({"gifts": [_gift("gift-race-ticket", points=500, stock=5, limit=1)]})
        sessions = [session_for(cloud, k, new_member(cloud, points=10_000)) for k in kiosks]
        start = threading.Barrier(len(kiosks))

        def attempt(i: int) -> httpx.Response:
            start.wait(timeout=30)
            return redeem(kiosks[i], sessions[i], [("gift-race-ticket", 1)])

        with ThreadPoolExecutor(len(kiosks)) as pool:
            results = list(pool.map(attempt, range(len(kiosks))))
        assert sum(r.status_code == 201 for r in results) == 5
        assert {error_code(r) for r in results if r.status_code != 201} == {"out_of_stock"}
        assert cloud.admin.stock(DEMO_STATION, "gift-race-ticket") == 0
        assert len({r.json()["pickup_code"] for r in results if r.status_code == 201}) == 5
    finally:
        for k in kiosks:
            k.close()
        cloud.stop()


def test_parallel_redemptions_respect_per_person_limit(database: Path | str) -> None:
    """One member on 20 kiosks at once (offline tokens) for a gift limited to 3 per person."""
    cloud, kiosks = _racing_cloud(database, 20)
    try:
        cloud.admin.load_catalogue({"gifts": [_gift("gift-race-mug", points=10, stock=100, limit=3)]})
        member = new_member(cloud, points=10_000)
        tokens = [cloud.admin.member_token(member) for _ in kiosks]
        start = threading.Barrier(len(kiosks))

        def attempt(i: int) -> httpx.Response:
            body = {"offline": {"token": tokens[i], "redeemed_at": time.time()},
                    "items": [{"gift_id": "gift-race-mug", "qty": 1}]}
            start.wait(timeout=30)
            return kiosks[i].post("/v1/redemptions", body, key=new_key())

        with ThreadPoolExecutor(len(kiosks)) as pool:
            results = list(pool.map(attempt, range(len(kiosks))))
        assert sum(r.status_code == 201 for r in results) == 3
        assert {r.json()["reason"] for r in results if r.status_code != 201} == {"limit_exceeded"}
        assert cloud.admin.points(member) == 10_000 - 30
        assert cloud.admin.stock(DEMO_STATION, "gift-race-mug") == 97
    finally:
        for k in kiosks:
            k.close()
        cloud.stop()


def _gift(gift_id: str, *, points: int, stock: int, limit: int | None) -> dict[str, Any]:
    return {
        "id": gift_id, "category_id": "souvenir", "points": points, "per_person_limit": limit,
        "voucher_valid_days": 30, "name": {"zh_CN": "测试礼品", "en": "Test gift"},
        "description": {"zh_CN": "并发测试用。", "en": "For the concurrency tests."},
        "tile": {"emblem": "测", "caption_zh": "测试", "caption_en": "Test", "colour": "#1F618D"},
        "stock": {DEMO_STATION: stock},
    }


def test_a_device_can_ask_what_was_kept_for_its_idempotency_key_even_when_revoked(cloud: EmbeddedCloud) -> None:
    device = enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code)
    other = enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code)
    member = new_member(cloud, points=300)
    key, refused_key = new_key(), new_key()
    created = redeem(device, session_for(cloud, device, member), [("gift-eggs", 1)], key=key)
    assert created.status_code == 201
    refused = redeem(device, "ses_nothing", [("gift-eggs", 1)], key=refused_key)
    assert refused.status_code == 410
    issued = time.time() - 600
    conflict_key = new_key()
    token = cloud.admin.member_token(member, issued_at=issued)
    conflict = device.post("/v1/redemptions", {"offline": {"token": token, "redeemed_at": issued + 10},
                                               "items": [{"gift_id": "gift-oil", "qty": 1}]}, key=conflict_key)
    assert conflict.status_code == 200 and conflict.json()["conflict"] is True

    cloud.admin.revoke_device(device.device_id)
    assert error_code(redeem(device, "ses_nothing", [("gift-eggs", 1)], key=key)) == "device_revoked"
    kept = device.get(f"/v1/requests/{key}")
    assert kept.status_code == 200, kept.text
    assert kept.json() == {"idempotency_key": key, "status": 201, "body": created.json()}
    assert device.get(f"/v1/requests/{conflict_key}").json()["status"] == 200
    # A refused request kept nothing; another device's key and an unknown key are not found alike.
    for who, asked in ((device, refused_key), (device, new_key()), (other, key)):
        missing = who.get(f"/v1/requests/{asked}")
        assert (missing.status_code, error_code(missing)) == (404, "not_found")
    # The signature is still checked for a revoked device.
    forged = device.http.get(f"/v1/requests/{key}", headers={
        **device.signed_headers("GET", f"/v1/requests/{key}", b""), "X-Signature": "0" * 64})
    assert (forged.status_code, error_code(forged)) == (401, "bad_signature")
    device.close()
    other.close()
