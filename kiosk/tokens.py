"""Scanned codes: member tokens verified offline, volunteer cards, order receipts, enrolment QRs.

``SKM1.<payload>.<signature>`` is checked against the cached public keys by ``kid`` (several keys at once
during a rotation), its expiry against the service's clock (local clock + learnt offset, with a small
allowed skew), and its nonce against this kiosk's spent list so it works once here even offline.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.store.nonces import SpentNonces
from kiosk.strictjson import is_sane_time
from kiosk.strictjson import loads as strict_loads

MEMBER_PREFIX = "SKM1."
CARD_PREFIX = "SKC1."
ORDER_PREFIX = "SKO1:"
ENROL_PREFIX = "SKE1:"
MAX_LIFETIME_S = 60
# The same leeway the reference service allows (token_future_leeway_s), so a phone whose clock is a
# little fast is not refused here and accepted there.
DEFAULT_SKEW_S = 30.0
_NONCE_KEEP_S = 3600.0
# What a scan or a token may be: the service refuses tokens over 1024 characters too, and the claims
# are one flat object.
MAX_SCAN_CHARS = 1024
MAX_TOKEN_CHARS = 1024
MAX_CLAIMS_DEPTH = 2

_NONCE = re.compile(r"^[0-9a-f]{16}$")
_CARD_NO = re.compile(r"^[0-9A-Za-z-]{1,32}$")
_CODE = re.compile(r"^[0-9A-Za-z-]{4,32}$")
_LAST4 = re.compile(r"^[0-9]{4}$")
_ENROL_CODE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")


class TokenErrorKind(StrEnum):
    TOKEN_INVALID = "token_invalid"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_REPLAYED = "token_replayed"
    UNKNOWN_KEY = "unknown_key"
    CARD_NEEDS_PIN = "card_needs_pin"


class TokenError(Exception):
    def __init__(self, kind: TokenErrorKind, detail: str = "") -> None:
        super().__init__(f"{kind.value}: {detail}" if detail else kind.value)
        self.kind = kind
        self.detail = detail


# -- scan classification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberToken:
    text: str


@dataclass(frozen=True)
class MemberCard:
    text: str
    member_no: str


@dataclass(frozen=True)
class OrderReceipt:
    code: str
    phone_last4: str


@dataclass(frozen=True)
class EnrolmentQr:
    base_url: str
    code: str


@dataclass(frozen=True)
class UnknownCode:
    text: str


Scanned = MemberToken | MemberCard | OrderReceipt | EnrolmentQr | UnknownCode


def parse_scanned(text: str) -> Scanned:
    """Route a scan by its prefix; anything malformed or too long is :class:`UnknownCode`, never an
    exception."""
    text = text.strip()
    if len(text) > MAX_SCAN_CHARS:
        return UnknownCode(text[:MAX_SCAN_CHARS])
    if text.startswith(MEMBER_PREFIX) and text.count(".") == 2:
        return MemberToken(text)
    if text.startswith(CARD_PREFIX):
        number = text[len(CARD_PREFIX) :]
        if _CARD_NO.match(number):
            return MemberCard(text, number)
    if text.startswith(ORDER_PREFIX):
        code, _, last4 = text[len(ORDER_PREFIX) :].rpartition(":")
        if _CODE.match(code) and _LAST4.match(last4):
            return OrderReceipt(code, last4)
    if text.startswith(ENROL_PREFIX):
        # The URL has colons of its own; the code is after the last one.
        url, _, code = text[len(ENROL_PREFIX) :].rpartition(":")
        if re.match(r"^https?://\S+$", url) and _ENROL_CODE.match(code):
            return EnrolmentQr(url.rstrip("/"), code)
    return UnknownCode(text)


# -- keys ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicKey:
    kid: str
    key: Ed25519PublicKey
    not_after: float | None


class KeyRing:
    """The cloud's token keys by ``kid``, built from the ``GET /v1/keys`` document."""

    def __init__(self, keys: Iterable[PublicKey] = ()) -> None:
        self._keys = {k.kid: k for k in keys}

    @classmethod
    def from_document(cls, keys: Iterable[Mapping[str, Any]]) -> KeyRing:
        out = []
        for entry in keys:
            if entry.get("alg") != "Ed25519":
                continue  # a future algorithm this kiosk cannot check: its tokens are unknown_key
            raw = base64.b64decode(str(entry["public_key"]), validate=True)
            not_after = entry.get("not_after")
            if not_after is not None and not is_sane_time(not_after):
                raise ValueError(f"key {entry.get('kid')!r}: not_after {not_after!r} is not a plausible time")
            out.append(
                PublicKey(
                    str(entry["kid"]),
                    Ed25519PublicKey.from_public_bytes(raw),
                    None if not_after is None else float(not_after),
                )
            )
        return cls(out)

    def get(self, kid: str) -> PublicKey | None:
        return self._keys.get(kid)

    def __len__(self) -> int:
        return len(self._keys)


# -- tokens ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedToken:
    text: str
    kid: str
    member_id: str
    issued_at: int
    expires_at: int
    nonce: str


def _b64url(part: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]+", part):
        raise TokenError(TokenErrorKind.TOKEN_INVALID, "not base64url")
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError(TokenErrorKind.TOKEN_INVALID, "not base64url") from exc


def _claims(payload: bytes) -> dict[str, Any]:
    try:
        claims = strict_loads(payload, max_chars=MAX_TOKEN_CHARS, max_depth=MAX_CLAIMS_DEPTH)
    except ValueError as exc:
        raise TokenError(TokenErrorKind.TOKEN_INVALID, f"payload: {exc}") from exc
    if not isinstance(claims, dict):
        raise TokenError(TokenErrorKind.TOKEN_INVALID, "payload is not an object")
    for name, kind in (("kid", str), ("mid", str), ("iat", int), ("exp", int), ("nonce", str)):
        value = claims.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise TokenError(TokenErrorKind.TOKEN_INVALID, f"claim {name} missing or mistyped")
    if not (is_sane_time(claims["iat"]) and is_sane_time(claims["exp"])):
        raise TokenError(TokenErrorKind.TOKEN_INVALID, "times out of range")
    if not _NONCE.match(claims["nonce"]):
        raise TokenError(TokenErrorKind.TOKEN_INVALID, "bad nonce")
    if not 0 < claims["exp"] - claims["iat"] <= MAX_LIFETIME_S:
        raise TokenError(TokenErrorKind.TOKEN_INVALID, "lifetime out of range")
    return claims


def verify_token(
    text: str, keys: KeyRing, *, server_now: float, skew_s: float = DEFAULT_SKEW_S
) -> VerifiedToken:
    """Check a member token's form, signature and time window; raises :class:`TokenError`.

    ``server_now`` is the service's clock as this kiosk knows it (local time + learnt offset); a clock
    that is not a number refuses every token, since no expiry can be checked against it.
    """
    if not math.isfinite(server_now):
        raise TokenError(TokenErrorKind.TOKEN_INVALID, "the kiosk's clock is not known")
    text = text.strip()
    if len(text) > MAX_TOKEN_CHARS:
        raise TokenError(TokenErrorKind.TOKEN_INVALID, f"longer than {MAX_TOKEN_CHARS} characters")
    if text.startswith(CARD_PREFIX):
        raise TokenError(TokenErrorKind.CARD_NEEDS_PIN)
    if not text.startswith(MEMBER_PREFIX):
        raise TokenError(TokenErrorKind.TOKEN_INVALID, "not a member token")
    parts = text.split(".")
    if len(parts) != 3:
        raise TokenError(TokenErrorKind.TOKEN_INVALID, "wrong number of parts")
    _, payload_b64, signature_b64 = parts
    claims = _claims(_b64url(payload_b64))
    signature = _b64url(signature_b64)
    key = keys.get(claims["kid"])
    if key is None:
        raise TokenError(TokenErrorKind.UNKNOWN_KEY, claims["kid"])
    try:
        key.key.verify(signature, f"{MEMBER_PREFIX}{payload_b64}".encode("ascii"))
    except InvalidSignature as exc:
        raise TokenError(TokenErrorKind.TOKEN_INVALID, "bad signature") from exc
    if key.not_after is not None and server_now > key.not_after + skew_s:
        # A rotated-out key is accepted until its not_after, as the service does.
        raise TokenError(TokenErrorKind.UNKNOWN_KEY, f"{claims['kid']} retired")
    if server_now > claims["exp"] + skew_s:
        raise TokenError(TokenErrorKind.TOKEN_EXPIRED)
    if claims["iat"] > server_now + skew_s:
        raise TokenError(TokenErrorKind.TOKEN_INVALID, "issued in the future")
    return VerifiedToken(text, claims["kid"], claims["mid"], claims["iat"], claims["exp"], claims["nonce"])


class TokenVerifier:
    """Offline verification plus this kiosk's spent-nonce list (a token works once here)."""

    def __init__(self, nonces: SpentNonces, *, skew_s: float = DEFAULT_SKEW_S) -> None:
        self.nonces = nonces
        self.skew_s = skew_s

    def verify(self, text: str, keys: KeyRing, *, server_now: float) -> VerifiedToken:
        """Verify without spending (e.g. to show who is there before anything is redeemed)."""
        token = verify_token(text, keys, server_now=server_now, skew_s=self.skew_s)
        if self.nonces.is_spent(token.nonce):
            raise TokenError(TokenErrorKind.TOKEN_REPLAYED)
        return token

    def spend(self, text: str, keys: KeyRing, *, server_now: float) -> VerifiedToken:
        """Verify and consume the nonce atomically; a second use raises ``token_replayed``."""
        token = verify_token(text, keys, server_now=server_now, skew_s=self.skew_s)
        if not self.nonces.spend(token.nonce, token.member_id, expires_at=token.expires_at, now=server_now):
            raise TokenError(TokenErrorKind.TOKEN_REPLAYED)
        # Keep nonces well past expiry: a learnt clock offset that jumps back must not revive them.
        self.nonces.prune(server_now - _NONCE_KEEP_S)
        return token
