"""Wire-format cryptography: device request signatures (HMAC-SHA256), member tokens (``SKM1``,
Ed25519), PIN hashes (argon2)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

TOKEN_PREFIX = "SKM1"
CARD_PREFIX = "SKC1."
_NONCE16 = re.compile(r"^[0-9a-f]{16}$")
_TOKEN_FIELDS = frozenset({"kid", "mid", "iat", "exp", "nonce"})

_pins = PasswordHasher()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def signing_string(method: str, path_with_query: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return "\n".join((method.upper(), path_with_query, timestamp, nonce, sha256_hex(body))).encode()


def request_signature(secret_b64: str, message: bytes) -> str:
    return hmac.new(base64.b64decode(secret_b64), message, hashlib.sha256).hexdigest()


def signature_matches(secret_b64: str, message: bytes, signature_hex: str) -> bool:
    return hmac.compare_digest(request_signature(secret_b64, message), signature_hex.lower())


def new_device_secret() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class KeyPair:
    private_b64: str
    public_b64: str


def new_key_pair() -> KeyPair:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return KeyPair(base64.b64encode(private).decode(), base64.b64encode(public).decode())


@dataclass(frozen=True)
class TokenClaims:
    kid: str
    mid: str
    iat: int
    exp: int
    nonce: str


class TokenFormatError(ValueError):
    """Not a well-formed SKM1 token."""


def issue_token(private_b64: str, claims: TokenClaims) -> str:
    payload = json.dumps(
        {"kid": claims.kid, "mid": claims.mid, "iat": claims.iat, "exp": claims.exp, "nonce": claims.nonce},
        separators=(",", ":"),
    ).encode()
    signed = f"{TOKEN_PREFIX}.{b64url(payload)}"
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_b64))
    return f"{signed}.{b64url(key.sign(signed.encode()))}"


def parse_token(token: str) -> tuple[TokenClaims, bytes, bytes]:
    """Claims, the signed bytes and the signature; the signature is not checked here."""
    parts = token.strip().split(".")
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise TokenFormatError("expected SKM1.<payload>.<signature>")
    try:
        raw = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except (ValueError, binascii.Error) as exc:
        raise TokenFormatError(f"undecodable token: {exc}") from exc
    if not isinstance(raw, dict) or set(raw) != _TOKEN_FIELDS:
        raise TokenFormatError("payload must hold exactly kid, mid, iat, exp, nonce")
    if not all(isinstance(raw[k], str) for k in ("kid", "mid", "nonce")) or not all(
        type(raw[k]) is int for k in ("iat", "exp")
    ):
        raise TokenFormatError("payload field of the wrong type")
    if not _NONCE16.fullmatch(raw["nonce"]):
        raise TokenFormatError("nonce must be 16 hex characters")
    claims = TokenClaims(raw["kid"], raw["mid"], raw["iat"], raw["exp"], raw["nonce"])
    return claims, f"{parts[0]}.{parts[1]}".encode(), signature


def token_signature_valid(public_b64: str, signed: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64)).verify(signature, signed)
    except (InvalidSignature, ValueError):
        return False
    return True


def hash_pin(pin: str) -> str:
    return _pins.hash(pin)


def pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _pins.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def hash_password(password: str) -> str:
    """Argon2id, like PINs (argon2-cffi's defaults)."""
    return _pins.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    return pin_matches(password_hash, password)
