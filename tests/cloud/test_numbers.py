"""One rule for numbers in every request body (docs/api.md § Limits): NaN, ±Infinity, numbers that
overflow and values outside a field's range are refused with 400 ``bad_request`` naming the field,
before anything is committed; timestamps lie between 2020-01-01 and 2100-01-01."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloud.db import (
    devices,
    idempotency,
    order_events,
    orders,
    points_ledger,
    ratings,
    redemption_conflicts,
    redemptions,
)
from cloud.embedded import EmbeddedCloud
from cloud.errors import AdminError
from cloud.settings import Settings
from tests.cloud.conftest import new_member
from tests.cloud.signed import SignedClient, enrol, error_code, new_key
from tests.cloud.test_openapi import DOC

HOLE = "\u0000hostile\u0000"
NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"]


def literal_at(body: dict[str, Any], path: tuple[str | int, ...], literal: str) -> bytes:
    """``body`` as JSON text with ``literal`` (written as is, e.g. ``NaN``) at ``path``."""
    doc = copy.deepcopy(body)
    node: Any = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = HOLE
    return json.dumps(doc, ensure_ascii=False).replace(json.dumps(HOLE, ensure_ascii=False), literal).encode()


def order_body(client_code: str = "LHSTL2", created_at: float | None = None) -> dict[str, Any]:
    return {
        "client_code": client_code, "service_id": "svc-repair-home",
        "contact": {"phone": "13800005678", "name": "王", "title": "女士"}, "beneficiary": None,
        "address": {"building": "1栋", "unit": "2单元", "room": "301", "text": ""},
        "time_slot": {"day": "tomorrow", "part": "morning"}, "tags": [], "note": "", "consent": True,
        "created_at": time.time() - 30 if created_at is None else created_at,
    }


def heartbeat_body() -> dict[str, Any]:
    return {"app_version": "0.1.0", "role": "ordering",
            "printer": {"online": True, "paper": "ok", "detail": ""}, "scanner": {"available": True, "detail": ""},
            "outbox_depth": 0, "oldest_outbox_age_s": 0.0, "last_sync_at": time.time() - 60,
            "disk_free_mb": 2048, "uptime_s": 3600.0}


def committed(cloud: EmbeddedCloud, device_id: str) -> tuple[Any, ...]:
    """What a refused request must not change: row counts of everything a body can create, and the
    device's health report."""
    with cloud.engine.begin() as conn:
        counts = tuple(
            conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in (orders, order_events, idempotency, redemptions, redemption_conflicts, ratings,
                          points_ledger)
        )
        health = conn.execute(sa.select(devices.c.health_at).where(devices.c.id == device_id)).scalar_one()
    return (*counts, health)


def assert_bad_request(resp: httpx.Response, field: str) -> None:
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["code"] == "bad_request" and field in error["message"], error
    assert "X-Server-Time" in resp.headers


def test_offline_redemption_with_nan_time_spends_nothing(database: Path | str) -> None:
    """The HIGH defect: ``redeemed_at: NaN`` made every time check pass, so a 30-day-old token signed
    by a retired key was accepted and the member's points deducted."""
    with EmbeddedCloud(database, settings=Settings(key_rotation_grace_s=0)) as cloud:
        device = enrol(cloud.url, cloud.admin.enrolment_code("st-nanguan").code)
        member = new_member(cloud, points=500)
        token = cloud.admin.member_token(member, issued_at=time.time() - 30 * 86400)
        cloud.admin.rotate_keys()  # the token's key is retired at once
        before = committed(cloud, device.device_id)
        body = {"offline": {"token": token, "redeemed_at": 0.0}, "items": [{"gift_id": "gift-towels", "qty": 1}]}
        for literal in NON_FINITE:
            resp = device.send_bytes("POST", "/v1/redemptions", literal_at(body, ("offline", "redeemed_at"), literal),
                                     headers={"Idempotency-Key": new_key()})
            assert_bad_request(resp, "offline.redeemed_at")
        assert cloud.admin.points(member) == 500
        assert committed(cloud, device.device_id) == before
        # A real time is judged on its merits: a conflict for the staff, not a spend.
        honest = device.post("/v1/redemptions", {**body, "offline": {"token": token, "redeemed_at": time.time()}},
                             key=new_key())
        assert honest.status_code == 200 and honest.json()["conflict"] is True
        assert cloud.admin.points(member) == 500
        device.close()


def test_order_with_infinite_time_is_refused_and_its_key_stays_usable(
    cloud: EmbeddedCloud, device: SignedClient
) -> None:
    """``created_at: -Infinity`` used to be committed with its idempotency row and then fail to
    serialise: every retry with that key replayed a 500 and the kiosk never learnt its order code."""
    key = new_key()
    before = committed(cloud, device.device_id)
    for literal in NON_FINITE:
        resp = device.send_bytes("POST", "/v1/orders", literal_at(order_body(), ("created_at",), literal),
                                 headers={"Idempotency-Key": key})
        assert_bad_request(resp, "created_at")
    assert committed(cloud, device.device_id) == before
    body = order_body()
    retry = device.post("/v1/orders", body, key=key)
    assert retry.status_code == 201, retry.text
    assert device.post("/v1/orders", body, key=key).json() == retry.json()


@pytest.mark.parametrize("created_at", [0.0, -1.0, 1577836799.0, 4102444800.0, 1e300])
def test_order_time_outside_the_sane_range_is_refused(
    cloud: EmbeddedCloud, device: SignedClient, created_at: float
) -> None:
    before = committed(cloud, device.device_id)
    resp = device.post("/v1/orders", order_body(created_at=created_at), key=new_key())
    assert_bad_request(resp, "created_at")
    assert committed(cloud, device.device_id) == before


def test_order_time_from_the_future_is_dated_now(device: SignedClient) -> None:
    resp = device.post("/v1/orders", order_body(client_code="LHSTF3", created_at=time.time() + 3 * 86400),
                       key=new_key())
    assert resp.status_code == 201
    assert resp.json()["created_at"] == pytest.approx(time.time(), abs=60)


@pytest.mark.parametrize("field", ["uptime_s", "disk_free_mb", "last_sync_at", "oldest_outbox_age_s"])
def test_heartbeat_with_nan_is_refused_not_a_server_error(
    cloud: EmbeddedCloud, device: SignedClient, field: str
) -> None:
    """NaN in a heartbeat was a 500 on PostgreSQL (its JSON type has no NaN)."""
    before = committed(cloud, device.device_id)
    resp = device.send_bytes("POST", "/v1/heartbeat", literal_at(heartbeat_body(), (field,), "NaN"))
    assert_bad_request(resp, field)
    assert committed(cloud, device.device_id) == before
    assert device.post("/v1/heartbeat", heartbeat_body()).status_code == 200


def test_non_finite_numbers_are_refused_even_where_they_would_be_ignored(device: SignedClient) -> None:
    """Unknown fields are ignored, but not parsed leniently: the rule holds for the whole body."""
    body = {**heartbeat_body(), "from_a_newer_kiosk": {"load": [0.5, 0]}}
    resp = device.send_bytes("POST", "/v1/heartbeat", literal_at(body, ("from_a_newer_kiosk", "load", 1), "NaN"))
    assert_bad_request(resp, "from_a_newer_kiosk.load.1")
    assert device.post("/v1/heartbeat", body).status_code == 200


def test_remote_config_takes_no_non_finite_value(cloud: EmbeddedCloud, device: SignedClient) -> None:
    """A NaN set on the platform made every GET /v1/config of that kiosk a 500."""
    with pytest.raises(AdminError, match="finite numbers"):
        cloud.admin.set_config(device.device_id, {"ui.idle_timeout_s": float("nan")})
    resp = device.get("/v1/config")
    assert resp.status_code == 200 and "ui.idle_timeout_s" not in resp.json()["values"]


# --- every numeric field of every request body --------------------------------------------------------

def _request_schemas() -> dict[str, dict[str, Any]]:
    doc = json.loads(DOC.read_text("utf-8"))
    found = {}
    for path, item in doc["paths"].items():
        if not path.startswith("/v1/"):  # the kiosk contract (the platform's API has its own tests)
            continue
        for method, op in item.items():
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if content:
                found[f"{method.upper()} {path}"] = content["schema"]
    return found


def _numeric_paths(schema: dict[str, Any], components: dict[str, Any], prefix: tuple[str | int, ...] = ()
                   ) -> set[tuple[str | int, ...]]:
    """Where a request body of ``schema`` holds a number (array items as index 0)."""
    if "$ref" in schema:
        return _numeric_paths(components[schema["$ref"].split("/")[-1]], components, prefix)
    paths: set[tuple[str | int, ...]] = set()
    for option in schema.get("anyOf", []):
        paths |= _numeric_paths(option, components, prefix)
    if schema.get("type") in ("number", "integer"):
        paths.add(prefix)
    for name, sub in schema.get("properties", {}).items():
        paths |= _numeric_paths(sub, components, (*prefix, name))
    if "items" in schema:
        paths |= _numeric_paths(schema["items"], components, (*prefix, 0))
    return paths


def _examples(token: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """A valid body for every operation with a JSON body: (URL path, body)."""
    items = [{"gift_id": "gift-towels", "qty": 1}]
    return {
        "POST /v1/devices/enrol": ("/v1/devices/enrol",
                                   {"enrolment_code": "ABCD-EFGH-JKLM", "device_name": "k", "app_version": "1"}),
        "POST /v1/orders": ("/v1/orders", order_body()),
        "POST /v1/orders/{code}/rating": ("/v1/orders/XN20260101-0001/rating",
                                          {"phone_last4": "5678", "stars": 5, "tags": [], "comment": ""}),
        "POST /v1/members/resolve": ("/v1/members/resolve", {"token": token, "pin": None}),
        "POST /v1/redemptions": ("/v1/redemptions",
                                 {"offline": {"token": token, "redeemed_at": time.time()}, "items": items}),
        "POST /v1/heartbeat": ("/v1/heartbeat", heartbeat_body()),
    }


def _targets() -> list[tuple[str, tuple[str | int, ...]]]:
    """Every numeric field of every request body in docs/openapi.json, and an extra (ignored) field
    of every body."""
    components = json.loads(DOC.read_text("utf-8"))["components"]["schemas"]
    found = []
    for operation, schema in sorted(_request_schemas().items()):
        found += [(operation, path) for path in sorted(_numeric_paths(schema, components), key=str)]
        found.append((operation, ("extra_number",)))
    return found


TARGETS = _targets()
# Not a number this service reads, wherever it stands (an ignored field too).
UNREADABLE = st.sampled_from(NON_FINITE)
# Out of range for every numeric field the contract has: counts, stars, durations, sizes, timestamps.
HOSTILE = st.one_of(
    UNREADABLE,
    st.integers(max_value=-1).map(str),
    st.integers(min_value=10**13).map(str),
    st.floats(max_value=-1e-6, allow_infinity=False).map(repr),
    st.floats(min_value=1e13, allow_infinity=False).map(repr),
)


def test_the_property_test_covers_every_numeric_field() -> None:
    assert set(_examples("t")) == set(_request_schemas())
    assert {path for op, path in TARGETS if op == "POST /v1/redemptions"} == {
        ("items", 0, "qty"), ("offline", "redeemed_at"), ("extra_number",)}
    assert len([t for t in TARGETS if t[1] != ("extra_number",)]) == 9


@pytest.fixture(scope="module")
def hostile_kiosk(cloud: EmbeddedCloud) -> Iterator[tuple[SignedClient, str]]:
    client = enrol(cloud.url, cloud.admin.enrolment_code("st-nanguan").code)
    token = cloud.admin.member_token(new_member(cloud, points=500))
    yield client, token
    client.close()


@given(target=st.sampled_from(TARGETS), data=st.data())
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
def test_hostile_numbers_are_refused_everywhere(
    cloud: EmbeddedCloud, hostile_kiosk: tuple[SignedClient, str], target: tuple[str, tuple[str | int, ...]],
    data: st.DataObject,
) -> None:
    device, token = hostile_kiosk
    operation, path = target
    url, body = _examples(token)[operation]
    if path == ("extra_number",):
        body["extra_number"] = 0
        literal = data.draw(UNREADABLE, label="literal")
    else:
        literal = data.draw(HOSTILE, label="literal")
    before = committed(cloud, device.device_id)
    resp = device.send_bytes("POST", url, literal_at(body, path, literal), headers={"Idempotency-Key": new_key()})
    assert_bad_request(resp, ".".join(str(p) for p in path))
    assert committed(cloud, device.device_id) == before
    assert error_code(resp) == "bad_request"
