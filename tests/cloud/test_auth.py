"""Enrolment and request authentication (docs/api.md § Device authentication)."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from cloud.db import request_nonces
from cloud.embedded import EmbeddedCloud
from cloud.seeding import DEMO_STATION
from cloud.settings import Settings
from tests.cloud.signed import SignedClient, enrol, error_code


def _enrol_raw(cloud: EmbeddedCloud, code: str) -> httpx.Response:
    return httpx.post(f"{cloud.url}/v1/devices/enrol",
                      json={"enrolment_code": code, "device_name": "kiosk", "app_version": "0.1.0"})


def test_enrolment_gives_working_credentials(cloud: EmbeddedCloud) -> None:
    code = cloud.admin.enrolment_code("xicheng-centre")
    resp = _enrol_raw(cloud, code.code.lower().replace("-", ""))  # typed without dashes, lower case
    assert resp.status_code == 201
    body = resp.json()
    assert body["device_id"].startswith("dev_") and body["station_id"] == "xicheng-centre"
    assert len(base64.b64decode(body["device_secret"])) == 32
    assert abs(body["server_time"] - time.time()) < 5
    client = SignedClient(cloud.url, body["device_id"], body["device_secret"])
    assert client.get("/v1/config").json() == {"version": 0, "values": {}}


def test_enrolment_code_is_one_time(cloud: EmbeddedCloud) -> None:
    code = cloud.admin.enrolment_code(DEMO_STATION).code
    assert _enrol_raw(cloud, code).status_code == 201
    again = _enrol_raw(cloud, code)
    assert (again.status_code, error_code(again)) == (409, "enrolment_code_used")


def test_expired_and_unknown_enrolment_codes(cloud: EmbeddedCloud) -> None:
    expired = cloud.admin.enrolment_code(DEMO_STATION, ttl_s=0).code
    resp = _enrol_raw(cloud, expired)
    assert (resp.status_code, error_code(resp)) == (410, "enrolment_code_expired")
    resp = _enrol_raw(cloud, "AAAA-BBBB-CCCC")
    assert (resp.status_code, error_code(resp)) == (400, "enrolment_code_invalid")


def test_qr_text_of_enrolment_code(cloud: EmbeddedCloud) -> None:
    code = cloud.admin.enrolment_code(DEMO_STATION)
    assert code.qr_text("https://cloud.example.cn/") == f"SKE1:https://cloud.example.cn:{code.code}"


def test_time_is_public_and_every_response_has_server_time(cloud: EmbeddedCloud) -> None:
    public = httpx.get(f"{cloud.url}/v1/time")
    assert public.status_code == 200 and abs(public.json()["server_time"] - time.time()) < 5
    for resp in (public, httpx.get(f"{cloud.url}/v1/catalogue"), httpx.get(f"{cloud.url}/v1/nowhere"),
                 _enrol_raw(cloud, "nope")):
        assert abs(float(resp.headers["X-Server-Time"]) - time.time()) < 5, resp.url
    missing = httpx.get(f"{cloud.url}/v1/nowhere")
    assert (missing.status_code, error_code(missing)) == (404, "not_found")


def test_signed_request_accepted(device: SignedClient) -> None:
    assert device.get("/v1/keys").status_code == 200


@pytest.mark.parametrize("header", ["X-Device-Id", "X-Timestamp", "X-Nonce", "X-Signature"])
def test_missing_auth_header_refused(device: SignedClient, header: str) -> None:
    headers = device.signed_headers("GET", "/v1/keys", b"")
    del headers[header]
    resp = device.http.get("/v1/keys", headers=headers)
    expected = "unknown_device" if header == "X-Device-Id" else "bad_signature"
    assert (resp.status_code, error_code(resp)) == (401, expected)


def test_bad_signature_wrong_secret_tampered_body_and_unknown_device(device: SignedClient) -> None:
    impostor = SignedClient(str(device.http.base_url), device.device_id, "A" * 43 + "=")
    resp = impostor.get("/v1/keys")
    assert (resp.status_code, error_code(resp)) == (401, "bad_signature")
    # Signed for one body, sent with another.
    headers = device.signed_headers("POST", "/v1/heartbeat", b"{}")
    resp = device.http.post("/v1/heartbeat", content=b'{"x":1}', headers=headers)
    assert (resp.status_code, error_code(resp)) == (401, "bad_signature")
    # Signed for one path, sent to another.
    headers = device.signed_headers("GET", "/v1/config", b"")
    resp = device.http.get("/v1/keys", headers=headers)
    assert error_code(resp) == "bad_signature"
    stranger = SignedClient(str(device.http.base_url), "dev_0000000000000000", device.secret)
    resp = stranger.get("/v1/keys")
    assert (resp.status_code, error_code(resp)) == (401, "unknown_device")


def test_query_string_is_signed(device: SignedClient) -> None:
    headers = device.signed_headers("GET", "/v1/orders/XN20261129-0001?phone_last4=1111", b"")
    resp = device.http.get("/v1/orders/XN20261129-0001?phone_last4=2222", headers=headers)
    assert error_code(resp) == "bad_signature"


def test_clock_skew_limits(device: SignedClient) -> None:
    now = int(time.time())
    for offset in (-301 - 5, 301 + 5):
        resp = device.get("/v1/keys", timestamp=now + offset)
        assert (resp.status_code, error_code(resp)) == (401, "clock_skew")
        assert "X-Server-Time" in resp.headers
    assert device.get("/v1/keys", timestamp=now - 250).status_code == 200
    assert device.get("/v1/keys", timestamp=now + 250).status_code == 200


def test_replayed_nonce_refused(device: SignedClient) -> None:
    nonce = "0123456789abcdef0123456789abcdef"
    ts = int(time.time())
    assert device.get("/v1/keys", nonce=nonce, timestamp=ts).status_code == 200
    resp = device.get("/v1/keys", nonce=nonce, timestamp=ts)
    assert (resp.status_code, error_code(resp)) == (401, "replayed_request")
    # The same nonce cannot be laundered through a new timestamp either.
    resp = device.get("/v1/keys", nonce=nonce, timestamp=ts + 1)
    assert error_code(resp) == "replayed_request"


def test_revoked_device_refused(cloud: EmbeddedCloud, device: SignedClient) -> None:
    assert device.get("/v1/keys").status_code == 200
    cloud.admin.revoke_device(device.device_id)
    resp = device.get("/v1/keys")
    assert (resp.status_code, error_code(resp)) == (403, "device_revoked")
    listed = {d["id"]: d for d in cloud.admin.devices()}
    assert listed[device.device_id]["revoked"] is True


HEALTH = {
    "app_version": "0.1.0", "role": "redemption",
    "printer": {"online": True, "paper": "near_end", "detail": "USB 0416:5011"},
    "scanner": {"available": True, "detail": "camera 0"},
    "outbox_depth": 2, "oldest_outbox_age_s": 12.5, "last_sync_at": 1764400000.0,
    "disk_free_mb": 2048.0, "uptime_s": 3600.0,
}


def test_heartbeat_stores_health_and_reports_config_version(cloud: EmbeddedCloud, device: SignedClient) -> None:
    first = device.post("/v1/heartbeat", HEALTH)
    assert first.status_code == 200
    assert first.json()["config_version"] == 0
    assert first.json()["commands"] == ["sync_catalogue"]  # never fetched the catalogue
    assert device.get("/v1/catalogue").status_code == 200
    assert device.post("/v1/heartbeat", HEALTH).json()["commands"] == []
    version = cloud.admin.set_config(device.device_id, {"ui.idle_timeout_s": 90, "ui.elderly_mode": True})
    beat = device.post("/v1/heartbeat", HEALTH).json()
    assert beat["config_version"] == version == 1
    assert device.get("/v1/config").json() == {
        "version": 1, "values": {"ui.elderly_mode": True, "ui.idle_timeout_s": 90}
    }
    stored = {d["id"]: d for d in cloud.admin.devices()}[device.device_id]
    assert stored["health"]["printer"]["paper"] == "near_end" and stored["role"] == "redemption"
    assert stored["last_seen_at"] is not None


def test_malformed_body_is_bad_request_naming_the_field(device: SignedClient) -> None:
    resp = device.post("/v1/heartbeat", {**HEALTH, "outbox_depth": -1})
    assert (resp.status_code, error_code(resp)) == (400, "bad_request")
    assert "outbox_depth" in resp.json()["error"]["message"]
    headers = device.signed_headers("POST", "/v1/heartbeat", b"not json")
    resp = device.http.post("/v1/heartbeat", content=b"not json", headers={**headers,
                                                                           "Content-Type": "application/json"})
    assert (resp.status_code, error_code(resp)) == (400, "bad_request")


def test_internal_error_keeps_contract_shape(tmp_path: Path) -> None:
    with EmbeddedCloud(tmp_path / "c.sqlite3", seed=False) as broken:
        with broken.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE enrolment_codes"))
        resp = _enrol_raw(broken, "AAAA-BBBB-CCCC")
        assert (resp.status_code, error_code(resp)) == (500, "internal")
        assert "X-Server-Time" in resp.headers


def test_expired_nonces_are_purged(tmp_path: Path) -> None:
    with EmbeddedCloud(tmp_path / "c.sqlite3", settings=Settings(nonce_purge_every_s=0)) as cloud:
        client = enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code)
        with cloud.engine.begin() as conn:
            conn.execute(sa.insert(request_nonces).values(device_id=client.device_id, nonce="a" * 32,
                                                         expires_at=time.time() - 1))
        assert client.get("/v1/keys").status_code == 200
        with cloud.engine.begin() as conn:
            left = conn.execute(sa.select(request_nonces.c.nonce)).scalars().all()
        assert "a" * 32 not in left and len(left) == 1  # only the request just made
        client.close()


def test_partial_heartbeat_still_gets_config(cloud: EmbeddedCloud, device: SignedClient) -> None:
    assert device.post("/v1/heartbeat", HEALTH).status_code == 200
    cloud.admin.set_config(device.device_id, {"ui.idle_timeout_s": 60})
    beat = device.post("/v1/heartbeat", {"outbox_depth": 3, "last_sync_at": None})
    assert beat.status_code == 200 and beat.json()["config_version"] == 1
    stored = {d["id"]: d for d in cloud.admin.devices()}[device.device_id]
    assert stored["role"] == "redemption" and stored["health"]["outbox_depth"] == 3
