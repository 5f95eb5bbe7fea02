"""The cloud client against a hostile service on loopback: non-finite, huge and negative numbers in
every header and body it reads, endless and deeply nested bodies, and a bad clock offset left in the
store by an older version."""

from __future__ import annotations

import base64
import json
import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.cloud_client import (
    MAX_JSON_BYTES,
    MAX_RETRY_AFTER_S,
    META_CLOCK_OFFSET,
    CloudClient,
    CloudRateLimited,
    CloudServerError,
)
from kiosk.strictjson import EARLIEST_TIME, LATEST_TIME, MAX_MAGNITUDE
from kiosk.tokens import KeyRing
from tests.kiosk.cloudkit import HEALTH, enrolled_store, make_engine
from tests.kiosk.hostileserver import Answer, HostileServer

NOW = time.time()
KEY = base64.b64encode(bytes(32)).decode()

# A plausible answer of each endpoint, as the contract (docs/api.md) shapes it. Every number in them is
# a field the hostile server will replace.
SAMPLES: dict[str, dict[str, Any]] = {
    "time": {"server_time": NOW},
    "catalogue": {
        "version": "v1",
        "categories": [{"id": "c1", "name": {"zh_CN": "助老"}, "icon": "x", "sort": 1}],
        "gifts": [{"id": "g1", "points": 50, "stock": 3, "per_person_limit": 2, "voucher_valid_days": 30}],
    },
    "keys": {"keys": [{"kid": "k1", "alg": "Ed25519", "public_key": KEY, "not_after": NOW + 3600}]},
    "resolve": {
        "session": "s1",
        "session_expires_at": NOW + 300,
        "member": {
            "id": "m1",
            "points": 120,
            "hours": [{"kind": "credit", "label": {"zh_CN": "时长"}, "hours": 12.5}],
            "expiring": {"points": 10, "date": "2026-12-31"},
            "recent": [{"redemption_no": "R1", "at": NOW - 86400, "points": 30, "items": [{"qty": 1}]}],
        },
    },
    "redeem": {
        "redemption_no": "R2",
        "pickup_code": "123456",
        "items": [{"gift_id": "g1", "qty": 1, "points": 50}],
        "points_total": 50,
        "balance_before": 120,
        "balance_after": 70,
    },
    "order": {"order_code": "XN1", "client_code": "LABCDE", "status": "submitted", "created_at": NOW},
    "status": {
        "order_code": "XN1",
        "timeline": [{"status": "submitted", "at": NOW}],
        "rating": {"stars": 5, "tags": [], "comment": "", "at": NOW},
    },
    "rating": {"rating": {"stars": 4, "tags": [], "comment": "", "at": NOW}},
    "heartbeat": {"server_time": NOW, "config_version": 3, "commands": []},
    "config": {"version": 2, "values": {"ui": {"idle_timeout_s": 90}}},
    "enrol": {"device_id": "dev-1", "device_secret": KEY, "station_id": "st-1", "server_time": NOW},
    "kept": {"idempotency_key": "k" * 16, "status": 201, "body": {"points_total": 50, "created_at": NOW}},
}

CALLS: dict[str, Callable[[CloudClient], Any]] = {
    "time": lambda c: c.server_time(),
    "catalogue": lambda c: c.catalogue().body,
    "keys": lambda c: KeyRing.from_document(c.keys()),
    "resolve": lambda c: c.resolve_member("SKM1.a.b", None),
    "redeem": lambda c: c.redeem("k" * 16, {"session": "s1", "items": [{"gift_id": "g1", "qty": 1}]}),
    "order": lambda c: c.create_order("k" * 16, {"service_id": "s"}),
    "status": lambda c: c.order_status("XN1", "5678"),
    "rating": lambda c: c.rate_order("k" * 16, "XN1", {"stars": 4}),
    "heartbeat": lambda c: c.heartbeat({}),
    "config": lambda c: c.remote_config(),
    "enrol": lambda c: c.enrol("ABCD-EFGH-JKLM", "kiosk"),
    "kept": lambda c: c.kept_response("k" * 16),
}

# The numbers a hostile service sends, as the JSON text it sends them in.
HOSTILE = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e308", "123456789012345678901234567890",
           "-1", "-0.5", "-9007199254740993", "4102444800", "0"]


def numeric_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [path]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    return [p for key, item in items for p in numeric_paths(item, (*path, key))]


def with_number(sample: dict[str, Any], path: tuple[Any, ...], literal: str) -> bytes:
    """``sample`` as JSON text with the number at ``path`` written as ``literal`` (NaN is not JSON)."""
    marker = "__HOSTILE__"
    doc = json.loads(json.dumps(sample))
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = marker
    return json.dumps(doc).replace(f'"{marker}"', literal).encode()


def acceptable(literal: str, field: str, in_values: bool) -> bool:
    """Whether the contract allows this number in this field (what the client may pass on)."""
    value = json.loads(literal)  # as Python reads it: NaN → nan, 1e999 → inf, big integers exact
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        return False
    if field in ("at", "server_time", "not_after") or field.endswith("_at"):
        return EARLIEST_TIME <= value < LATEST_TIME
    return in_values or value >= 0


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    server = HostileServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(server: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CloudClient]:
    store = enrolled_store(tmp_path_factory.mktemp("kiosk"))
    client = CloudClient(server.url, connect_timeout=1.0, read_timeout=2.0, store=store)
    yield client
    client.close()
    store.close()


def all_cases() -> list[tuple[str, tuple[Any, ...]]]:
    """Every numeric field of every answer (the lookup's status is a code, checked on its own)."""
    return [(name, path) for name, sample in SAMPLES.items() for path in numeric_paths(sample)
            if (name, path) != ("kept", ("status",))]


@given(
    case=st.sampled_from(all_cases()),
    literal=st.sampled_from(HOSTILE) | st.floats(allow_nan=False, allow_infinity=False).map(repr),
    clock=st.sampled_from(["nan", "inf", "-inf", "1e300", "-5", "0", "abc", ""]),
)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_parser_refuses_hostile_numbers_and_keeps_its_clock(
    server: HostileServer, client: CloudClient, case: tuple[str, tuple[Any, ...]], literal: str, clock: str
) -> None:
    name, path = case
    server.answer = Answer(200, json.dumps({"server_time": NOW}).encode(), {"X-Server-Time": f"{time.time() + 42:.3f}"})
    client.server_time()  # a good clock first: the hostile one must not replace it
    good_offset = client.clock_offset
    server.answer = Answer(200, with_number(SAMPLES[name], path, literal), {"X-Server-Time": clock})
    field = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    try:
        CALLS[name](client)
    except CloudServerError as exc:
        assert exc.code == "bad_response"
        assert not acceptable(literal, field, "values" in path) or (name == "keys" and field == "not_after")
    except ValueError as exc:  # the key ring refuses a key document with an implausible not_after
        assert name == "keys" and "not_after" in str(exc)
    else:
        assert acceptable(literal, field, "values" in path), f"{name} {path} = {literal} was accepted"
    assert client.clock_offset == good_offset and math.isfinite(client.clock_offset)
    assert client.store.get_meta(META_CLOCK_OFFSET) is None or math.isfinite(
        float(client.store.get_meta(META_CLOCK_OFFSET) or "nan")
    )


@pytest.mark.parametrize("clock", ["inf", "-inf", "nan", "1e300", "-1764400000", "0"])
def test_a_hostile_server_time_is_ignored_and_signed_calls_go_on(
    server: HostileServer, tmp_path: Path, clock: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = enrolled_store(tmp_path)
    client = CloudClient(server.url, connect_timeout=1.0, read_timeout=2.0, store=store)
    server.answer = Answer(200, b'{"version": 1, "values": {}}', {"X-Server-Time": f"{time.time() + 100:.3f}"})
    client.remote_config()
    learnt = client.clock_offset
    assert 99 < learnt < 101 and float(store.get_meta(META_CLOCK_OFFSET) or 0) == learnt
    server.answer = Answer(200, b'{"version": 1, "values": {}}', {"X-Server-Time": clock})
    for _ in range(3):
        client.remote_config()  # signed: before the fix it raised OverflowError from the second call on
    assert client.clock_offset == learnt and float(store.get_meta(META_CLOCK_OFFSET) or 0) == learnt
    assert sum("X-Server-Time" in r.message for r in caplog.records) == 1  # said once, not per request
    client.close()
    restarted = CloudClient(server.url, connect_timeout=1.0, read_timeout=2.0, store=store)
    assert restarted.clock_offset == learnt
    restarted.close()
    store.close()


@pytest.mark.parametrize("stored", ["inf", "-inf", "nan", "1e300", "-1e12", "garbage"])
def test_a_bad_offset_stored_by_an_older_version_is_healed_at_start(
    server: HostileServer, tmp_path: Path, stored: str
) -> None:
    store = enrolled_store(tmp_path)
    store.set_meta(META_CLOCK_OFFSET, stored)
    client = CloudClient(server.url, connect_timeout=1.0, read_timeout=2.0, store=store)
    assert client.clock_offset == 0.0 and not client.clock_offset_known
    assert store.get_meta(META_CLOCK_OFFSET) is None
    server.answer = Answer(200, b'{"version": 1, "values": {}}')
    assert client.remote_config()["version"] == 1  # signs and sends instead of raising OverflowError
    client.close()
    store.close()


def test_an_answer_larger_than_the_cap_is_refused(server: HostileServer, client: CloudClient) -> None:
    server.answer = Answer(200, b'{"pad": "' + b"x" * MAX_JSON_BYTES + b'"}')
    with pytest.raises(CloudServerError, match="longer than"):
        client.remote_config()


def test_an_endless_answer_is_cut_off_at_the_cap(server: HostileServer, client: CloudClient) -> None:
    server.answer = Answer(200, endless=True)
    with pytest.raises(CloudServerError, match="longer than"):
        client.remote_config()


@pytest.mark.parametrize("depth", [100, 5000, 100_000])
def test_a_deeply_nested_answer_is_a_bad_response_not_a_recursion_error(
    server: HostileServer, client: CloudClient, depth: int
) -> None:
    server.answer = Answer(200, b'{"version": ' + b"[" * depth + b"]" * depth + b"}")
    with pytest.raises(CloudServerError) as err:
        client.remote_config()
    assert err.value.code == "bad_response"


@pytest.mark.parametrize(
    ("header", "expected"), [("inf", MAX_RETRY_AFTER_S), ("1e300", MAX_RETRY_AFTER_S), ("nan", 1.0),
                             ("-inf", 0.0), ("-5", 0.0), ("7", 7.0)]
)
def test_retry_after_is_bounded(server: HostileServer, client: CloudClient, header: str, expected: float) -> None:
    server.answer = Answer(429, b'{"error": {"code": "rate_limited", "message": "slow down"}}', {"Retry-After": header})
    with pytest.raises(CloudRateLimited) as err:
        client.remote_config()
    assert err.value.retry_after_s == expected


def test_an_error_body_with_nan_still_gives_its_status(server: HostileServer, client: CloudClient) -> None:
    server.answer = Answer(400, b'{"error": {"code": "bad_request", "message": NaN}}')
    with pytest.raises(Exception) as err:
        client.remote_config()
    assert "400 http_400" in str(err.value)


def test_a_heartbeat_with_a_non_finite_health_figure_is_still_sent(server: HostileServer, tmp_path: Path) -> None:
    store = enrolled_store(tmp_path)
    client = CloudClient(server.url, connect_timeout=1.0, read_timeout=2.0, store=store)
    health = {**HEALTH, "disk_free_mb": math.nan, "uptime_s": math.inf}
    engine = make_engine(store, client, health=lambda: health)
    reply = {"server_time": time.time(), "config_version": 1, "commands": []}
    server.routes = {"POST /v1/heartbeat": Answer(200, json.dumps(reply).encode()),
                     "GET /v1/keys": Answer(200, b'{"keys": []}'),
                     "GET /v1/config": Answer(200, b'{"version": 1, "values": {}}')}
    server.bodies.clear()
    try:
        assert engine.heartbeat_once()
    finally:
        server.routes = {}
    sent = json.loads(server.bodies[0])  # strict JSON: no NaN for the service to choke on
    assert sent["disk_free_mb"] is None and sent["uptime_s"] is None and sent["role"] == HEALTH["role"]
    client.close()
    store.close()


@pytest.mark.parametrize(
    "answer",
    [
        {"idempotency_key": "k" * 16, "status": 500, "body": {}},
        {"idempotency_key": "k" * 16, "status": "201", "body": {}},
        {"idempotency_key": "x" * 16, "status": 201, "body": {}},
        {"idempotency_key": "k" * 16, "status": 201, "body": []},
    ],
)
def test_a_kept_response_that_does_not_answer_the_question_is_refused(
    server: HostileServer, client: CloudClient, answer: dict[str, Any]
) -> None:
    server.answer = Answer(200, json.dumps(answer).encode())
    with pytest.raises(CloudServerError) as err:
        client.kept_response("k" * 16)
    assert err.value.code == "bad_response"
