"""Member tokens (SKM1, Ed25519), keys and rotation, cards with PINs (docs/api.md § Members)."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cloud import crypto
from cloud.crypto import TokenClaims
from cloud.db import signing_keys
from cloud.embedded import EmbeddedCloud
from cloud.settings import Settings
from tests.cloud.conftest import new_member
from tests.cloud.signed import SignedClient, enrol, error_code


def resolve(device: SignedClient, token: str, pin: str | None = None) -> tuple[int, str | dict[str, Any]]:
    resp = device.post("/v1/members/resolve", {"token": token, "pin": pin})
    return resp.status_code, (resp.json() if resp.status_code == 200 else error_code(resp))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _payload(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return claims


def _current_private_key(cloud: EmbeddedCloud) -> tuple[str, str]:
    with cloud.engine.begin() as conn:
        row = conn.execute(
            sa.select(signing_keys).where(signing_keys.c.not_after.is_(None))
        ).one()
    return row.kid, row.private_key


def test_keys_verify_issued_tokens_offline(cloud: EmbeddedCloud, device: SignedClient) -> None:
    keys = device.get("/v1/keys").json()["keys"]
    token = cloud.admin.member_token(new_member(cloud))
    assert token.startswith("SKM1.")
    claims = _payload(token)
    assert set(claims) == {"kid", "mid", "iat", "exp", "nonce"} and 0 < claims["exp"] - claims["iat"] <= 60
    key = next(k for k in keys if k["kid"] == claims["kid"])
    assert key["alg"] == "Ed25519"
    signed, signature = token.rsplit(".", 1)
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    public.verify(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)), signed.encode())


def test_valid_token_resolves_to_session_and_summary(cloud: EmbeddedCloud, device: SignedClient) -> None:
    status, body = resolve(device, cloud.admin.member_token("10000128"))
    assert status == 200 and isinstance(body, dict)
    assert body["session"] and body["session_expires_at"] > time.time()
    member = body["member"]
    assert member["member_no"] == "10000128" and member["masked_name"] == "张*凤"
    assert member["points"] == 1200
    assert member["hours"] == [
        {"kind": "credit", "label": {"zh_CN": "信用时长", "en": "Credit hours"}, "hours": 36.5},
        {"kind": "honour", "label": {"zh_CN": "荣誉时长", "en": "Honour hours"}, "hours": 12.0},
    ]
    assert member["expiring"] == {"points": 120, "date": "2026-12-31"}
    assert len(member["recent"]) == 2
    newest = member["recent"][0]
    assert newest["redemption_no"].startswith("R") and newest["points"] == 70
    assert {i["name"]["zh_CN"]: i["qty"] for i in newest["items"]} == {"纯棉毛巾两条": 1, "青海湖冰箱贴": 1}


def test_masked_names(cloud: EmbeddedCloud, device: SignedClient) -> None:
    for name, masked in (("才让卓玛", "才**玛"), ("王芳", "王*"), ("李", "李")):
        status, body = resolve(device, cloud.admin.member_token(new_member(cloud, name=name)))
        assert status == 200 and isinstance(body, dict) and body["member"]["masked_name"] == masked


def test_token_works_once(cloud: EmbeddedCloud, device: SignedClient) -> None:
    token = cloud.admin.member_token(new_member(cloud))
    assert resolve(device, token)[0] == 200
    assert resolve(device, token) == (409, "token_replayed")


def test_expired_and_future_tokens(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud)
    assert resolve(device, cloud.admin.member_token(member, issued_at=time.time() - 61)) == (400, "token_expired")
    assert resolve(device, cloud.admin.member_token(member, issued_at=time.time() + 600)) == (400, "token_invalid")
    kid, private = _current_private_key(cloud)
    mid = cloud.admin.member_info(member)["id"]
    now = int(time.time())
    too_long = crypto.issue_token(private, TokenClaims(kid, mid, now, now + 3600, "00112233aabbccdd"))
    assert resolve(device, too_long) == (400, "token_invalid")


def test_forged_tokens(cloud: EmbeddedCloud, device: SignedClient) -> None:
    token = cloud.admin.member_token(new_member(cloud))
    signed, signature = token.rsplit(".", 1)
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[10] ^= 0x01  # one byte of the signature
    assert resolve(device, f"{signed}.{_b64url(bytes(raw))}") == (400, "token_invalid")
    # Someone else's member id in a valid-looking payload, the original signature kept.
    claims = _payload(token) | {"mid": cloud.admin.member_info("10000412")["id"]}
    forged = f"SKM1.{_b64url(json.dumps(claims, separators=(',', ':')).encode())}.{signature}"
    assert resolve(device, forged) == (400, "token_invalid")
    for junk in ("SKM1.abc", "SKM1.!!.??", "hello", "SKM1." + _b64url(b"[]") + ".AAAA"):
        assert resolve(device, junk) == (400, "token_invalid"), junk
    # The genuine token still works: the forgeries did not burn its nonce.
    assert resolve(device, token)[0] == 200


def test_unknown_key_and_unknown_member(cloud: EmbeddedCloud, device: SignedClient) -> None:
    stranger = crypto.new_key_pair()
    now = int(time.time())
    mid = cloud.admin.member_info(new_member(cloud))["id"]
    foreign = crypto.issue_token(stranger.private_b64, TokenClaims("k99", mid, now, now + 30, "0011223344556677"))
    assert resolve(device, foreign) == (400, "unknown_key")
    kid, private = _current_private_key(cloud)
    ghost = crypto.issue_token(private, TokenClaims(kid, "m_nobody", now, now + 30, "8899aabbccddeeff"))
    assert resolve(device, ghost) == (404, "unknown_member")


def test_rotation_keeps_old_key_for_grace_period(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud)
    before = cloud.admin.member_token(member)
    old_kid = _payload(before)["kid"]
    new_kid = cloud.admin.rotate_keys()
    assert new_kid != old_kid
    keys = {k["kid"]: k for k in device.get("/v1/keys").json()["keys"]}
    assert keys[new_kid]["not_after"] is None
    assert keys[old_kid]["not_after"] == pytest.approx(time.time() + 3600, abs=10)
    after = cloud.admin.member_token(member)
    assert _payload(after)["kid"] == new_kid
    assert resolve(device, before)[0] == 200
    assert resolve(device, after)[0] == 200


def test_retired_key_is_unknown_after_not_after(tmp_path: Path) -> None:
    with EmbeddedCloud(tmp_path / "c.sqlite3", settings=Settings(key_rotation_grace_s=0)) as cloud:
        device = enrol(cloud.url, cloud.admin.enrolment_code("st-nanguan").code)
        before = cloud.admin.member_token("10000356")
        cloud.admin.rotate_keys()
        assert resolve(device, before) == (400, "unknown_key")
        assert [k["kid"] for k in device.get("/v1/keys").json()["keys"]] == [_payload(
            cloud.admin.member_token("10000356"))["kid"]]
        device.close()


def test_card_needs_the_right_pin(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud, points=300)
    cloud.admin.set_card_pin(member, "246810")
    card = f"SKC1.{member}"
    assert resolve(device, card) == (400, "pin_required")
    assert resolve(device, card, "000000") == (400, "pin_wrong")
    status, body = resolve(device, card, "246810")
    assert status == 200 and isinstance(body, dict) and body["member"]["points"] == 300
    assert resolve(device, card, "246810")[0] == 200  # a card is not one-time
    assert resolve(device, "SKC1.99999999", "246810") == (400, "pin_wrong")  # no hint it does not exist
    no_pin = new_member(cloud)
    assert resolve(device, f"SKC1.{no_pin}", "1234") == (400, "pin_wrong")


def _answer(device: SignedClient, card: str, pin: str | None) -> tuple[int, Any]:
    resp = device.post("/v1/members/resolve", {"token": card, "pin": pin})
    return resp.status_code, resp.json()


def test_a_card_does_not_tell_whether_its_member_exists(cloud: EmbeddedCloud) -> None:
    """Member numbers cannot be enumerated: without a PIN, with a wrong one, and once the attempts
    run out, a known card and an unknown one get the same answer (each from a fresh kiosk, so the
    per-device limit plays no part)."""
    member = new_member(cloud)
    cloud.admin.set_card_pin(member, "8642")
    without_pin = new_member(cloud)  # a member who never set a PIN
    unknown = str(int(member) + 5_000_000)
    kiosks = [enrol(cloud.url, cloud.admin.enrolment_code("st-nanguan").code) for _ in range(3)]
    answers: list[list[tuple[int, Any]]] = []
    for kiosk, number in zip(kiosks, (member, without_pin, unknown), strict=True):
        card = f"SKC1.{number}"
        answers.append([_answer(kiosk, card, None), _answer(kiosk, card, "")]
                       + [_answer(kiosk, card, "1111") for _ in range(6)])
    for answer in answers:
        assert answer[0] == (400, {"error": {"code": "pin_required", "message": "a card needs the member's PIN"}})
        assert answer[2] == (400, {"error": {"code": "pin_wrong", "message": "wrong PIN"}})
        assert [(status, body["error"]["code"]) for status, body in answer[-2:]] == [
            (400, "pin_wrong"), (429, "rate_limited")]
    known, no_pin, ghost = answers
    assert known[:-1] == no_pin[:-1] == ghost[:-1]
    for kiosk in kiosks:
        kiosk.close()


def test_wrong_pins_are_rate_limited_per_member(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud)
    cloud.admin.set_card_pin(member, "1357")
    for _ in range(4):
        assert resolve(device, f"SKC1.{member}", "9999") == (400, "pin_wrong")
    assert resolve(device, f"SKC1.{member}", "1357")[0] == 200  # right PINs do not use up attempts
    assert resolve(device, f"SKC1.{member}", "9999") == (400, "pin_wrong")
    resp = device.post("/v1/members/resolve", {"token": f"SKC1.{member}", "pin": "1357"})
    assert (resp.status_code, error_code(resp)) == (429, "rate_limited")
    assert 1 <= int(resp.headers["Retry-After"]) <= 900
    # From another kiosk too: the limit follows the member.
    other = enrol(cloud.url, cloud.admin.enrolment_code("st-nanguan").code)
    assert resolve(other, f"SKC1.{member}", "1357") == (429, "rate_limited")
    other.close()


def test_resolves_are_rate_limited_per_member(cloud: EmbeddedCloud, device: SignedClient) -> None:
    member = new_member(cloud)
    for _ in range(10):
        assert resolve(device, cloud.admin.member_token(member))[0] == 200
    assert resolve(device, cloud.admin.member_token(member)) == (429, "rate_limited")


def test_seeded_card_members(cloud: EmbeddedCloud, device: SignedClient) -> None:
    for member_no in ("10000231", "10000619"):
        status, body = resolve(device, f"SKC1.{member_no}", "123456")
        assert status == 200 and isinstance(body, dict) and body["member"]["member_no"] == member_no
