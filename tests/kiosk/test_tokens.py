"""Member tokens verified offline with keys generated here, the spent-nonce list in a real SQLite file,
and the scan classifier."""

from __future__ import annotations

import base64
import json
import math
import secrets
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.store import Store, open_store
from kiosk.store.nonces import SpentNonces
from kiosk.tokens import (
    EnrolmentQr,
    KeyRing,
    MemberCard,
    MemberToken,
    OrderReceipt,
    TokenError,
    TokenErrorKind,
    TokenVerifier,
    UnknownCode,
    parse_scanned,
    verify_token,
)

NOW = 1_764_400_000


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_token(
    key: Ed25519PrivateKey,
    *,
    kid: str = "k1",
    mid: str = "m_1",
    iat: int = NOW,
    life: int = 60,
    nonce: str = "",
) -> str:
    claims = {"kid": kid, "mid": mid, "iat": iat, "exp": iat + life, "nonce": nonce or secrets.token_hex(8)}
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signed = f"SKM1.{payload}"
    return f"{signed}.{_b64url(key.sign(signed.encode('ascii')))}"


def key_doc(kid: str, key: Ed25519PrivateKey, not_after: float | None = None) -> dict[str, object]:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {
        "kid": kid,
        "alg": "Ed25519",
        "public_key": base64.b64encode(raw).decode(),
        "not_after": not_after,
    }


@pytest.fixture
def k1() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def ring(k1: Ed25519PrivateKey) -> KeyRing:
    return KeyRing.from_document([key_doc("k1", k1)])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store, recovery = open_store(tmp_path)
    assert recovery is None
    return store


def kind_of(token: str, ring: KeyRing, now: float = NOW + 5, skew: float = 15.0) -> TokenErrorKind:
    with pytest.raises(TokenError) as err:
        verify_token(token, ring, server_now=now, skew_s=skew)
    return err.value.kind


def test_valid_token_gives_member_and_nonce(k1: Ed25519PrivateKey, ring: KeyRing) -> None:
    token = make_token(k1, mid="m_42", nonce="0123456789abcdef")
    verified = verify_token(token, ring, server_now=NOW + 5)
    assert (verified.member_id, verified.kid, verified.nonce) == ("m_42", "k1", "0123456789abcdef")
    assert verified.expires_at == NOW + 60


def test_expired_token(k1: Ed25519PrivateKey, ring: KeyRing) -> None:
    assert kind_of(make_token(k1), ring, now=NOW + 60 + 16) is TokenErrorKind.TOKEN_EXPIRED


@pytest.mark.parametrize("part", [1, 2])
def test_one_changed_byte_is_a_forgery(k1: Ed25519PrivateKey, ring: KeyRing, part: int) -> None:
    token = make_token(k1)
    pieces = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(pieces[part] + "=" * (-len(pieces[part]) % 4)))
    # Flip a byte the JSON parser does not care about for the payload: the signature must catch it.
    index = raw.index(b"m_1"[0]) if part == 1 else 10
    raw[index] ^= 0x01
    pieces[part] = _b64url(bytes(raw))
    assert kind_of(".".join(pieces), ring) is TokenErrorKind.TOKEN_INVALID


@pytest.mark.parametrize(
    "text",
    [
        "SKM1.",
        "SKM1.a.b.c",
        "SKM1.!!!.abc",
        "SKM1.e30.AAAA",
        "XXXX.e30.AAAA",
        "SKM1." + _b64url(b"[]") + ".AA",
    ],
)
def test_malformed_tokens_are_invalid(ring: KeyRing, text: str) -> None:
    assert kind_of(text, ring) is TokenErrorKind.TOKEN_INVALID


def test_lifetime_over_60_s_is_invalid(k1: Ed25519PrivateKey, ring: KeyRing) -> None:
    assert kind_of(make_token(k1, life=61), ring) is TokenErrorKind.TOKEN_INVALID


def test_unknown_key(k1: Ed25519PrivateKey, ring: KeyRing) -> None:
    assert kind_of(make_token(k1, kid="k9"), ring) is TokenErrorKind.UNKNOWN_KEY
    # A token signed by another key under a known kid is a forgery, not an unknown key.
    assert kind_of(make_token(Ed25519PrivateKey.generate()), ring) is TokenErrorKind.TOKEN_INVALID


def test_key_rotation_accepts_both_keys_and_retires_the_old_one(k1: Ed25519PrivateKey) -> None:
    k2 = Ed25519PrivateKey.generate()
    ring = KeyRing.from_document([key_doc("k1", k1, not_after=NOW + 100), key_doc("k2", k2)])
    assert verify_token(make_token(k1), ring, server_now=NOW + 5).kid == "k1"
    assert verify_token(make_token(k2, kid="k2"), ring, server_now=NOW + 5).kid == "k2"
    late = make_token(k1, iat=NOW + 200)
    assert kind_of(late, ring, now=NOW + 205) is TokenErrorKind.UNKNOWN_KEY
    # Issued before the old key's not_after, shown after it (+ skew): refused like the service does.
    assert verify_token(make_token(k1, iat=NOW + 90), ring, server_now=NOW + 110).kid == "k1"
    assert kind_of(make_token(k1, iat=NOW + 90), ring, now=NOW + 120) is TokenErrorKind.UNKNOWN_KEY
    # After rotation completes the old key is gone from the document.
    ring = KeyRing.from_document([key_doc("k2", k2)])
    assert kind_of(make_token(k1), ring) is TokenErrorKind.UNKNOWN_KEY


def test_clock_skew_within_window_is_accepted(k1: Ed25519PrivateKey, ring: KeyRing) -> None:
    # Kiosk's view of the server clock 10 s behind the issuer: a token "from the future" still works.
    assert verify_token(make_token(k1, iat=NOW + 10), ring, server_now=NOW, skew_s=15).member_id == "m_1"
    # And 10 s after expiry, within the 15 s allowance.
    assert verify_token(make_token(k1), ring, server_now=NOW + 70, skew_s=15).member_id == "m_1"


def test_clock_skew_beyond_window_is_refused(k1: Ed25519PrivateKey, ring: KeyRing) -> None:
    assert kind_of(make_token(k1, iat=NOW + 20), ring, now=NOW, skew=15) is TokenErrorKind.TOKEN_INVALID
    assert kind_of(make_token(k1), ring, now=NOW + 76, skew=15) is TokenErrorKind.TOKEN_EXPIRED


def test_card_needs_pin(ring: KeyRing) -> None:
    assert kind_of("SKC1.V000123", ring) is TokenErrorKind.CARD_NEEDS_PIN


def test_replay_refused_offline_and_survives_restart(
    tmp_path: Path, store: Store, k1: Ed25519PrivateKey, ring: KeyRing
) -> None:
    token = make_token(k1)
    verifier = TokenVerifier(SpentNonces(store))
    assert verifier.verify(token, ring, server_now=NOW + 1).member_id == "m_1"  # looking does not spend
    assert verifier.spend(token, ring, server_now=NOW + 1).member_id == "m_1"
    with pytest.raises(TokenError) as err:
        verifier.spend(token, ring, server_now=NOW + 2)
    assert err.value.kind is TokenErrorKind.TOKEN_REPLAYED
    store.close()
    reopened, _ = open_store(tmp_path)
    with pytest.raises(TokenError) as err:
        TokenVerifier(SpentNonces(reopened)).verify(token, ring, server_now=NOW + 3)
    assert err.value.kind is TokenErrorKind.TOKEN_REPLAYED
    # A fresh token of the same member is fine.
    assert TokenVerifier(SpentNonces(reopened)).spend(make_token(k1), ring, server_now=NOW + 3)


def test_old_nonces_are_pruned_but_recent_ones_kept(
    store: Store, k1: Ed25519PrivateKey, ring: KeyRing
) -> None:
    nonces = SpentNonces(store)
    verifier = TokenVerifier(nonces)
    old = make_token(k1, nonce="aaaaaaaaaaaaaaaa")
    verifier.spend(old, ring, server_now=NOW + 1)
    later = NOW + 7200
    verifier.spend(make_token(k1, iat=later, nonce="bbbbbbbbbbbbbbbb"), ring, server_now=later + 1)
    assert not nonces.is_spent("aaaaaaaaaaaaaaaa")
    assert nonces.is_spent("bbbbbbbbbbbbbbbb")


def test_key_document_with_unknown_algorithm_is_skipped(k1: Ed25519PrivateKey) -> None:
    doc = key_doc("k1", k1)
    ring = KeyRing.from_document([{**doc, "kid": "x1", "alg": "ES256"}, doc])
    assert len(ring) == 1 and ring.get("x1") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SKM1.abc.def", MemberToken("SKM1.abc.def")),
        ("SKC1.V000123", MemberCard("SKC1.V000123", "V000123")),
        ("SKO1:XN20261129-0042:5678", OrderReceipt("XN20261129-0042", "5678")),
        ("SKO1:L3F7K2:5678\r\n", OrderReceipt("L3F7K2", "5678")),
        ("SKE1:http://127.0.0.1:8000:ABCD-EFGH-JKLM", EnrolmentQr("http://127.0.0.1:8000", "ABCD-EFGH-JKLM")),
        (
            "SKE1:https://cloud.example.org/:ABCD-EFGH-JKLM",
            EnrolmentQr("https://cloud.example.org", "ABCD-EFGH-JKLM"),
        ),
        ("SKO1:L3F7K2:56a8", UnknownCode("SKO1:L3F7K2:56a8")),
        ("SKE1:ftp://x:ABCD-EFGH-JKLM", UnknownCode("SKE1:ftp://x:ABCD-EFGH-JKLM")),
        ("SKC1.", UnknownCode("SKC1.")),
        ("https://example.org", UnknownCode("https://example.org")),
        ("", UnknownCode("")),
    ],
)
def test_parse_scanned(text: str, expected: object) -> None:
    assert parse_scanned(text) == expected


# -- hostile numbers and sizes ----------------------------------------------------------------------------


def _signed(key: Ed25519PrivateKey, payload: bytes) -> str:
    signed = f"SKM1.{_b64url(payload)}"
    return f"{signed}.{_b64url(key.sign(signed.encode('ascii')))}"


@pytest.mark.parametrize("depth", [700, 1000, 5000])
def test_deeply_nested_payload_is_invalid_not_a_recursion_error(
    k1: Ed25519PrivateKey, ring: KeyRing, depth: int
) -> None:
    assert kind_of(_signed(k1, b"[" * depth + b"]" * depth), ring) is TokenErrorKind.TOKEN_INVALID


def test_a_token_longer_than_the_service_accepts_is_invalid(k1: Ed25519PrivateKey, ring: KeyRing) -> None:
    padded = json.dumps({"kid": "k1", "mid": "m" * 900, "iat": NOW, "exp": NOW + 60, "nonce": "0" * 16})
    with pytest.raises(TokenError, match="longer than 1024"):
        verify_token(_signed(k1, padded.encode()), ring, server_now=NOW + 5)


@pytest.mark.parametrize(
    "claims",
    [
        b'{"kid":"k1","mid":"m_1","iat":NaN,"exp":1764400060,"nonce":"0123456789abcdef"}',
        b'{"kid":"k1","mid":"m_1","iat":1764400000,"exp":Infinity,"nonce":"0123456789abcdef"}',
        b'{"kid":"k1","mid":"m_1","iat":1764400000,"exp":1e999,"nonce":"0123456789abcdef"}',
        b'{"kid":"k1","mid":"m_1","iat":99999999999999999990,"exp":99999999999999999999,"nonce":"0123456789abcdef"}',
        b'{"kid":"k1","mid":"m_1","iat":-100,"exp":-50,"nonce":"0123456789abcdef"}',
    ],
)
def test_non_finite_huge_or_negative_claims_are_invalid(k1: Ed25519PrivateKey, ring: KeyRing, claims: bytes) -> None:
    assert kind_of(_signed(k1, claims), ring, now=NOW + 5) is TokenErrorKind.TOKEN_INVALID


@given(server_now=st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([math.nan, math.inf, -math.inf]))
@settings(max_examples=300, deadline=None)
def test_the_verifier_accepts_only_inside_the_window_whatever_the_clock(server_now: float) -> None:
    key = Ed25519PrivateKey.generate()
    ring = KeyRing.from_document([key_doc("k1", key, not_after=NOW + 3600)])
    try:
        verify_token(make_token(key), ring, server_now=server_now, skew_s=15.0)
    except TokenError:
        return
    assert math.isfinite(server_now) and NOW - 15.0 <= server_now <= NOW + 60 + 15.0


@pytest.mark.parametrize("clock", [math.nan, math.inf, -math.inf])
def test_an_expired_token_is_refused_with_a_non_finite_clock(k1: Ed25519PrivateKey, clock: float) -> None:
    ring = KeyRing.from_document([key_doc("k1", k1)])
    expired = make_token(k1, iat=NOW - 3600)
    assert kind_of(expired, ring, now=clock) is TokenErrorKind.TOKEN_INVALID


@pytest.mark.parametrize("not_after", [math.nan, math.inf, -1.0, 1e300])
def test_a_key_document_with_an_implausible_not_after_is_refused(k1: Ed25519PrivateKey, not_after: float) -> None:
    with pytest.raises(ValueError, match="not_after"):
        KeyRing.from_document([key_doc("k1", k1, not_after=not_after)])


def test_an_oversized_scan_is_an_unknown_code() -> None:
    scanned = parse_scanned("SKC1." + "9" * 5000)
    assert isinstance(scanned, UnknownCode) and len(scanned.text) == 1024
