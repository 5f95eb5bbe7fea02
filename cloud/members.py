"""Members: Ed25519 signing keys and SKM1 tokens, printed cards with PINs, the member summary a
redemption kiosk shows, and the short sessions a redemption runs in."""

from __future__ import annotations

import re
import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from cloud import crypto, ledger
from cloud.crypto import CARD_PREFIX, TokenClaims
from cloud.db import (
    members,
    redemption_items,
    redemptions,
    sessions,
    signing_keys,
    token_nonces,
    try_insert,
)
from cloud.errors import AdminError, ApiError, ErrorCode
from cloud.guards import check_and_count, forgive_hit
from cloud.settings import Settings

Json = dict[str, Any]

HOUR_LABELS: dict[str, dict[str, str]] = {
    "credit": {"zh_CN": "信用时长", "en": "Credit hours"},
    "honour": {"zh_CN": "荣誉时长", "en": "Honour hours"},
}


# --- signing keys ---------------------------------------------------------------------------------


def published_keys(conn: Connection, at: float) -> list[Row[Any]]:
    """Keys that sign or still verify tokens: the current one and retired ones before their not_after."""
    return list(
        conn.execute(
            sa.select(signing_keys)
            .where(sa.or_(signing_keys.c.not_after.is_(None), signing_keys.c.not_after > at))
            .order_by(signing_keys.c.seq)
        )
    )


def current_key(conn: Connection) -> Row[Any]:
    row = conn.execute(
        sa.select(signing_keys).where(signing_keys.c.not_after.is_(None)).order_by(signing_keys.c.seq.desc())
    ).first()
    if row is None:
        raise AdminError("no signing key; run `kiosk-cloud keys rotate` or `init`")
    return row


def rotate_keys(conn: Connection, at: float, grace_s: int) -> str:
    """Make a new current key; the previous ones stay valid for ``grace_s`` (tokens already shown)."""
    seq = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(signing_keys.c.seq), 0))).scalar_one()) + 1
    conn.execute(
        sa.update(signing_keys).where(signing_keys.c.not_after.is_(None)).values(not_after=at + grace_s)
    )
    pair = crypto.new_key_pair()
    kid = f"k{seq}"
    conn.execute(
        sa.insert(signing_keys).values(
            kid=kid, seq=seq, private_key=pair.private_b64, public_key=pair.public_b64, created_at=at
        )
    )
    return kid


def ensure_key(conn: Connection, at: float) -> None:
    if conn.execute(sa.select(signing_keys.c.kid).where(signing_keys.c.not_after.is_(None))).first() is None:
        rotate_keys(conn, at, 0)


def issue_token(conn: Connection, member_id: str, iat: int, lifetime_s: int) -> str:
    key = current_key(conn)
    claims = TokenClaims(key.kid, member_id, iat, iat + lifetime_s, secrets.token_hex(8))
    return crypto.issue_token(key.private_key, claims)


def verify_token(conn: Connection, token: str, at: float, settings: Settings) -> TokenClaims:
    """Signature and lifetime checked at time ``at``; the nonce is not consumed here."""
    try:
        claims, signed, signature = crypto.parse_token(token)
    except crypto.TokenFormatError as exc:
        raise ApiError(ErrorCode.TOKEN_INVALID, str(exc)) from None
    key = conn.execute(sa.select(signing_keys).where(signing_keys.c.kid == claims.kid)).first()
    if key is None or (key.not_after is not None and key.not_after <= at):
        raise ApiError(ErrorCode.UNKNOWN_KEY, f"no valid signing key {claims.kid!r}")
    if not crypto.token_signature_valid(key.public_key, signed, signature):
        raise ApiError(ErrorCode.TOKEN_INVALID, "token signature does not verify")
    if not 0 < claims.exp - claims.iat <= settings.token_max_lifetime_s:
        raise ApiError(ErrorCode.TOKEN_INVALID, f"token lifetime must be 1..{settings.token_max_lifetime_s} s")
    if claims.iat > at + settings.token_future_leeway_s:
        raise ApiError(ErrorCode.TOKEN_INVALID, "token issued in the future")
    if at > claims.exp:
        raise ApiError(ErrorCode.TOKEN_EXPIRED, "token has expired; show a fresh one")
    return claims


def consume_token_nonce(conn: Connection, claims: TokenClaims) -> None:
    fresh = try_insert(
        conn, token_nonces, {"member_id": claims.mid, "nonce": claims.nonce, "expires_at": claims.exp + 1}
    )
    if not fresh:
        raise ApiError(ErrorCode.TOKEN_REPLAYED, "this token was already used")


def purge_token_nonces(conn: Connection, at: float, keep_s: int) -> None:
    # Offline redemptions arrive late with old tokens: keep their nonces as long as we accept those.
    conn.execute(sa.delete(token_nonces).where(token_nonces.c.expires_at < at - keep_s))


# --- members --------------------------------------------------------------------------------------


def find_member(conn: Connection, ref: str) -> Row[Any]:
    """By id (``m_…``) or member number."""
    row = conn.execute(sa.select(members).where(sa.or_(members.c.id == ref, members.c.member_no == ref))).first()
    if row is None:
        raise ApiError(ErrorCode.UNKNOWN_MEMBER, "no such member")
    return row


def mask_name(name: str) -> str:
    """张*凤 / 王* — enough for a volunteer to recognise themselves, not enough for onlookers."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def summary(conn: Connection, member: Row[Any], at: float, recent_count: int) -> Json:
    points = ledger.balance(conn, member.id)
    hours = ledger.hours(conn, member.id)
    expiring = ledger.expiring(conn, member.id, at)
    recent_rows = conn.execute(
        sa.select(redemptions)
        .where(redemptions.c.member_id == member.id)
        .order_by(redemptions.c.created_at.desc(), redemptions.c.id.desc())
        .limit(recent_count)
    ).all()
    recent = []
    for r in recent_rows:
        items = conn.execute(
            sa.select(redemption_items.c.name, redemption_items.c.qty)
            .where(redemption_items.c.redemption_id == r.id)
            .order_by(redemption_items.c.gift_id)
        )
        recent.append(
            {"redemption_no": r.redemption_no, "at": r.created_at, "points": r.points_total,
             "items": [{"name": i.name, "qty": i.qty} for i in items]}
        )
    return {
        "id": member.id,
        "member_no": member.member_no,
        "masked_name": mask_name(member.name),
        "points": points,
        "hours": [{"kind": kind, "label": HOUR_LABELS[kind], "hours": hours[kind]} for kind in sorted(hours)],
        "expiring": expiring,
        "recent": recent,
    }


def issue_card(conn: Connection, member_id: str, pin_hash: str) -> str:
    """(Re)issue the member's printed card with a new PIN (hashed by the caller, outside the transaction);
    the card's text. An earlier card with the old PIN stops working."""
    conn.execute(sa.update(members).where(members.c.id == member_id).values(pin_hash=pin_hash, card_revoked_at=None))
    member_no = conn.execute(sa.select(members.c.member_no).where(members.c.id == member_id)).scalar_one()
    return f"{CARD_PREFIX}{member_no}"


def revoke_card(conn: Connection, member_id: str, at: float) -> None:
    conn.execute(sa.update(members).where(members.c.id == member_id).values(pin_hash=None, card_revoked_at=at))


def check_pin_format(pin: str) -> None:
    if not re.fullmatch(r"\d{4,8}", pin):
        raise ApiError(ErrorCode.BAD_REQUEST, "pin: 4–8 digits")


# --- resolve --------------------------------------------------------------------------------------


def resolve(
    engine: Engine, *, device_id: str, token: str, pin: str | None, settings: Settings, at: float
) -> Json:
    """A token or card (+PIN) → a redemption session and the member summary."""
    check_and_count(engine, f"resolve:device:{device_id}", settings.resolve_per_device, at, "lookups")
    token = token.strip()
    if token.startswith(CARD_PREFIX):
        with engine.begin() as conn:
            member = find_member(conn, token.removeprefix(CARD_PREFIX))
        check_and_count(engine, f"resolve:member:{member.id}", settings.resolve_per_member, at, "lookups")
        _check_pin(engine, member, pin, settings, at)
        with engine.begin() as conn:
            return _open_session(conn, member, device_id, settings, at)
    with engine.begin() as conn:
        claims = verify_token(conn, token, at, settings)
        member = find_member(conn, claims.mid)
    check_and_count(engine, f"resolve:member:{member.id}", settings.resolve_per_member, at, "lookups")
    with engine.begin() as conn:
        consume_token_nonce(conn, claims)
        return _open_session(conn, member, device_id, settings, at)


def _check_pin(engine: Engine, member: Row[Any], pin: str | None, settings: Settings, at: float) -> None:
    if not pin:
        raise ApiError(ErrorCode.PIN_REQUIRED, "a card needs the member's PIN")
    if member.card_revoked_at is not None and member.pin_hash is None:
        raise ApiError(ErrorCode.TOKEN_INVALID, "this card was revoked; ask the station for a new one")
    failures = f"pin:member:{member.id}"
    check_and_count(engine, failures, settings.pin_failures_per_member, at, "wrong PINs")
    # Hash check outside any transaction: argon2 is slow on purpose and must not hold the write lock.
    if member.pin_hash is None or not crypto.pin_matches(member.pin_hash, pin):
        raise ApiError(ErrorCode.PIN_WRONG, "wrong PIN")
    forgive_hit(engine, failures, settings.pin_failures_per_member, at)


def _open_session(conn: Connection, member: Row[Any], device_id: str, settings: Settings, at: float) -> Json:
    session_id = f"ses_{secrets.token_urlsafe(24)}"
    expires = at + settings.session_ttl_s
    conn.execute(
        sa.insert(sessions).values(
            id=session_id, member_id=member.id, device_id=device_id, created_at=at, expires_at=expires
        )
    )
    return {"session": session_id, "session_expires_at": expires,
            "member": summary(conn, member, at, settings.recent_redemptions)}


def session_member(conn: Connection, session_id: str, device_id: str, at: float) -> str:
    row = conn.execute(
        sa.select(sessions.c.member_id, sessions.c.expires_at).where(
            sessions.c.id == session_id, sessions.c.device_id == device_id
        )
    ).first()
    if row is None or row.expires_at <= at:
        raise ApiError(ErrorCode.SESSION_EXPIRED, "the member session has expired; scan the code again")
    return str(row.member_id)


def purge_sessions(conn: Connection, at: float) -> None:
    conn.execute(sa.delete(sessions).where(sessions.c.expires_at < at))
