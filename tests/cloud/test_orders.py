"""Orders: creation with idempotency, lookup, timeline, rating (docs/api.md § Orders)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cloud.embedded import EmbeddedCloud
from cloud.errors import AdminError
from cloud.seeding import DEMO_STATION
from cloud.settings import RateLimit, Settings
from tests.cloud.signed import SignedClient, enrol, error_code, new_key

_codes = iter(f"LT{a}{b}{c}{d}" for a in "ABCD" for b in "EFGH" for c in "JKMN" for d in "2345")


def order_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_code": next(_codes), "service_id": "svc-repair-home",
        "contact": {"phone": "13800005678", "name": "王", "title": "女士"},
        "beneficiary": None,
        "address": {"building": "1栋", "unit": "2单元", "room": "301", "text": ""},
        "time_slot": {"day": "tomorrow", "part": "morning"},
        "tags": ["mobility"], "note": "冰箱不制冷", "consent": True, "created_at": time.time() - 30,
    }
    body.update(changes)
    return body


def test_create_order(device: SignedClient) -> None:
    body = order_body()
    resp = device.post("/v1/orders", body, key=new_key())
    assert resp.status_code == 201
    created = resp.json()
    assert created["order_code"].startswith("XN") and len(created["order_code"]) == len("XN20261129-0042")
    assert created["client_code"] == body["client_code"] and created["status"] == "submitted"
    assert created["created_at"] == pytest.approx(body["created_at"])


def test_same_key_same_body_replays_first_response(cloud: EmbeddedCloud, device: SignedClient) -> None:
    key, body = new_key(), order_body()
    first = device.post("/v1/orders", body, key=key)
    again = device.post("/v1/orders", body, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert sum(o["client_code"] == body["client_code"] for o in cloud.admin.orders()) == 1


def test_same_key_different_body_is_409(device: SignedClient) -> None:
    key, body = new_key(), order_body()
    assert device.post("/v1/orders", body, key=key).status_code == 201
    resp = device.post("/v1/orders", {**body, "note": "另一件事"}, key=key)
    assert (resp.status_code, error_code(resp)) == (409, "idempotency_mismatch")


def test_keys_are_per_device(cloud: EmbeddedCloud, device: SignedClient) -> None:
    other = enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code)
    key = new_key()
    assert device.post("/v1/orders", order_body(), key=key).status_code == 201
    assert other.post("/v1/orders", order_body(), key=key).status_code == 201
    other.close()


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"service_id": "svc-none"}, 400, "unknown_service"),
        ({"consent": False}, 400, "consent_required"),
        ({"contact": {"phone": "12345", "name": "王", "title": ""}}, 400, "invalid_phone"),
        ({"beneficiary": {"phone": "1380000", "name": "李", "relation": "parent"}}, 400, "invalid_phone"),
        ({"tags": ["no-such-tag"]}, 400, "bad_request"),
        ({"client_code": "L0O1I9"}, 400, "bad_request"),
        ({"time_slot": {"day": "someday", "part": "any"}}, 400, "bad_request"),
    ],
)
def test_order_refusals(device: SignedClient, changes: dict[str, Any], status: int, code: str) -> None:
    resp = device.post("/v1/orders", order_body(**changes), key=new_key())
    assert (resp.status_code, error_code(resp)) == (status, code)


def test_missing_idempotency_key_and_missing_field(device: SignedClient) -> None:
    resp = device.post("/v1/orders", order_body())
    assert (resp.status_code, error_code(resp)) == (400, "bad_request")
    assert "Idempotency-Key" in resp.json()["error"]["message"]
    body = order_body()
    del body["contact"]["phone"]
    resp = device.post("/v1/orders", body, key=new_key())
    assert error_code(resp) == "bad_request" and "contact.phone" in resp.json()["error"]["message"]


def test_lookup_by_either_code_and_wrong_last4(device: SignedClient) -> None:
    body = order_body(beneficiary={"phone": "13912344321", "name": "李奶奶", "relation": "parent"})
    created = device.post("/v1/orders", body, key=new_key()).json()
    for code in (created["order_code"], created["client_code"], created["client_code"].lower()):
        resp = device.get(f"/v1/orders/{code}?phone_last4=5678")
        assert resp.status_code == 200, code
        view = resp.json()
        assert view["order_code"] == created["order_code"] and view["status"] == "submitted"
        assert view["service"] == {"id": "svc-repair-home", "name": {"zh_CN": "上门小家电维修",
                                                                      "en": "Small appliance repair at home"}}
        assert [e["status"] for e in view["timeline"]] == ["submitted"]
        assert view["timeline"][0]["by"] is None
        assert view["organisation"] is None and view["rating"] is None and view["can_rate"] is False
    assert device.get(f"/v1/orders/{created['order_code']}?phone_last4=4321").status_code == 200
    wrong = device.get(f"/v1/orders/{created['order_code']}?phone_last4=0000")
    unknown = device.get("/v1/orders/XN19990101-0001?phone_last4=5678")
    assert (wrong.status_code, error_code(wrong)) == (404, "not_found")
    assert wrong.json()["error"] == unknown.json()["error"]  # no hint that the code exists
    bad = device.get(f"/v1/orders/{created['order_code']}?phone_last4=56")
    assert error_code(bad) == "bad_request"


def test_advance_then_rate_once(cloud: EmbeddedCloud, device: SignedClient) -> None:
    code = device.post("/v1/orders", order_body(), key=new_key()).json()["order_code"]
    rating = {"phone_last4": "5678", "stars": 5, "tags": ["on_time", "patient"], "comment": "谢谢师傅"}
    early = device.post(f"/v1/orders/{code}/rating", rating, key=new_key())
    assert (early.status_code, error_code(early)) == (409, "not_completed")
    with pytest.raises(AdminError, match="needs --by"):
        cloud.admin.advance_order(code, "dispatched")
    with pytest.raises(AdminError, match="can go to"):
        cloud.admin.advance_order(code, "completed")
    cloud.admin.advance_order(code, "dispatched", by="org-repair-team")
    for status in ("accepted", "in_service", "completed"):
        cloud.admin.advance_order(code, status)
    view = device.get(f"/v1/orders/{code}?phone_last4=5678").json()
    assert [e["status"] for e in view["timeline"]] == ["submitted", "dispatched", "accepted", "in_service",
                                                         "completed"]
    assert view["timeline"][1]["by"]["id"] == "org-repair-team"
    assert view["organisation"]["name"]["zh_CN"] == "城西区家电维修志愿服务队"
    assert view["can_rate"] is True
    key = new_key()
    first = device.post(f"/v1/orders/{code}/rating", rating, key=key)
    assert first.status_code == 201
    assert first.json()["rating"]["stars"] == 5 and first.json()["rating"]["tags"] == ["on_time", "patient"]
    assert device.post(f"/v1/orders/{code}/rating", rating, key=key).json() == first.json()  # retry
    second = device.post(f"/v1/orders/{code}/rating", {**rating, "stars": 1}, key=new_key())
    assert (second.status_code, error_code(second)) == (409, "already_rated")
    view = device.get(f"/v1/orders/{code}?phone_last4=5678").json()
    assert view["rating"]["comment"] == "谢谢师傅" and view["can_rate"] is False
    wrong_phone = device.post(f"/v1/orders/{code}/rating", {**rating, "phone_last4": "0000"}, key=new_key())
    assert error_code(wrong_phone) == "not_found"
    with pytest.raises(AdminError, match="final"):
        cloud.admin.advance_order(code, "cancelled")


def test_bad_rating_bodies(cloud: EmbeddedCloud, device: SignedClient) -> None:
    code = device.post("/v1/orders", order_body(), key=new_key()).json()["order_code"]
    cloud.admin.advance_order(code, "dispatched", by="org-repair-team")
    for status in ("accepted", "in_service", "completed"):
        cloud.admin.advance_order(code, status)
    for changes in ({"stars": 0}, {"stars": 6}, {"tags": ["nonsense"]}, {"phone_last4": "56789"}):
        body = {"phone_last4": "5678", "stars": 4, "tags": [], "comment": "", **changes}
        resp = device.post(f"/v1/orders/{code}/rating", body, key=new_key())
        assert (resp.status_code, error_code(resp)) == (400, "bad_request"), changes
    assert device.get(f"/v1/orders/{code}?phone_last4=5678").json()["can_rate"] is True


def test_seeded_orders_in_every_state(cloud: EmbeddedCloud) -> None:
    states = {o["status"] for o in cloud.admin.orders()}
    assert {"submitted", "accepted", "completed", "cancelled"} <= states


def test_lookups_are_rate_limited_per_device(tmp_path: Any) -> None:
    settings = Settings(order_lookup_per_device=RateLimit(3, 60))
    with EmbeddedCloud(tmp_path / "c.sqlite3", settings=settings) as cloud:
        device = enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code)
        for _ in range(3):
            assert device.get("/v1/orders/LB6R3T?phone_last4=9876").status_code == 200
        resp = device.get("/v1/orders/LB6R3T?phone_last4=9876")
        assert (resp.status_code, error_code(resp)) == (429, "rate_limited")
        assert 1 <= int(resp.headers["Retry-After"]) <= 60
        other = enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code)
        assert other.get("/v1/orders/LB6R3T?phone_last4=9876").status_code == 200
        device.close()
        other.close()
