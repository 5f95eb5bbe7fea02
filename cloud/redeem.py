"""Redemptions. Per-person limits, balance and stock change through conditional UPDATEs whose row
counts are checked, all in the caller's transaction: concurrent kiosks can neither overdraw a member
nor oversell a gift, on SQLite or PostgreSQL."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from cloud import ledger, vouchers
from cloud import members as member_ops
from cloud.catalogue import station_view
from cloud.db import (
    gift_stock,
    gifts,
    member_gift_counts,
    next_counter,
    redemption_conflicts,
    redemption_items,
    redemptions,
    savepoint,
    try_insert,
)
from cloud.errors import ApiError, ErrorCode
from cloud.orders import local_day
from cloud.settings import STATION_TZ, Settings

Json = dict[str, Any]

# Refusals an offline redemption turns into a recorded conflict instead of an error.
CONFLICT_CODES = frozenset({
    ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED, ErrorCode.TOKEN_REPLAYED, ErrorCode.UNKNOWN_KEY,
    ErrorCode.UNKNOWN_MEMBER, ErrorCode.INSUFFICIENT_POINTS, ErrorCode.OUT_OF_STOCK,
    ErrorCode.LIMIT_EXCEEDED, ErrorCode.UNKNOWN_GIFT,
})


def merge_items(items: list[Json]) -> list[tuple[str, int]]:
    merged: dict[str, int] = {}
    for item in items:
        merged[item["gift_id"]] = merged.get(item["gift_id"], 0) + int(item["qty"])
    return sorted(merged.items())


def apply(
    conn: Connection,
    *,
    member_id: str,
    station_id: str,
    device_id: str,
    items: list[tuple[str, int]],
    at: float,
    offline: bool,
) -> Json:
    lines = []
    for gift_id, qty in items:
        gift = conn.execute(sa.select(gifts).where(gifts.c.id == gift_id, gifts.c.active.is_(True))).first()
        if gift is None:
            raise ApiError(ErrorCode.UNKNOWN_GIFT, f"no gift {gift_id!r}")
        lines.append((gift, qty))
    for gift, qty in lines:
        if gift.per_person_limit is None:
            continue
        try_insert(conn, member_gift_counts, {"member_id": member_id, "gift_id": gift.id, "qty": 0})
        taken = conn.execute(
            sa.update(member_gift_counts)
            .where(
                member_gift_counts.c.member_id == member_id,
                member_gift_counts.c.gift_id == gift.id,
                member_gift_counts.c.qty + qty <= gift.per_person_limit,
            )
            .values(qty=member_gift_counts.c.qty + qty)
        )
        if taken.rowcount != 1:
            raise ApiError(
                ErrorCode.LIMIT_EXCEEDED, f"{gift.id}: at most {gift.per_person_limit} per person"
            )
    total = sum(gift.points * qty for gift, qty in lines)
    day = local_day(at)
    redemption_no = f"R{day}-{next_counter(conn, f'redemption:{day}'):04d}"
    balance_after = ledger.post(conn, member_id, -total, ledger.REDEMPTION, at=at, ref=redemption_no)
    for gift, qty in lines:
        taken = conn.execute(
            sa.update(gift_stock)
            .where(gift_stock.c.station_id == station_id, gift_stock.c.gift_id == gift.id, gift_stock.c.stock >= qty)
            .values(stock=gift_stock.c.stock - qty)
        )
        if taken.rowcount != 1:
            raise ApiError(ErrorCode.OUT_OF_STOCK, f"{gift.id} ({gift.name.get('en', gift.id)}) is out of stock")
    valid_days = min(gift.voucher_valid_days for gift, _ in lines)
    valid_until = (datetime.fromtimestamp(at, STATION_TZ).date() + timedelta(days=valid_days)).isoformat()
    row_id, pickup_code = _insert_redemption(
        conn,
        {"redemption_no": redemption_no, "member_id": member_id, "device_id": device_id,
         "station_id": station_id, "points_total": total, "balance_before": balance_after + total,
         "balance_after": balance_after, "valid_until_date": valid_until, "offline": offline,
         "created_at": at},
    )
    conn.execute(
        sa.insert(redemption_items),
        [{"redemption_id": row_id, "gift_id": g.id, "name": g.name, "qty": q, "points": g.points * q}
         for g, q in lines],
    )
    vouchers.order_service_gifts(conn, member_id=member_id, station_id=station_id, redemption_no=redemption_no,
                                 lines=lines, at=at)
    return {
        "redemption_no": redemption_no,
        "pickup_code": pickup_code,
        "items": [{"gift_id": g.id, "name": g.name, "qty": q, "points": g.points * q} for g, q in lines],
        "points_total": total,
        "balance_before": balance_after + total,
        "balance_after": balance_after,
        "valid_until_date": valid_until,
        "pickup_location": station_view(conn, station_id)["pickup_location"],
    }


def _insert_redemption(conn: Connection, values: Json) -> tuple[int, str]:
    # Pickup codes are random (not guessable from the redemption number) and unique.
    for _ in range(10):
        code = f"{secrets.randbelow(10**8):08d}"
        try:
            with savepoint(conn):
                row_id = conn.execute(
                    sa.insert(redemptions).values(pickup_code=code, **values).returning(redemptions.c.id)
                ).scalar_one()
            return int(row_id), code
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free pickup code")


def redeem_online(
    conn: Connection, *, session_id: str, device_id: str, station_id: str, items: list[Json], at: float
) -> Json:
    member_id = member_ops.session_member(conn, session_id, device_id, at)
    return apply(conn, member_id=member_id, station_id=station_id, device_id=device_id,
                 items=merge_items(items), at=at, offline=False)


def redeem_offline(
    conn: Connection,
    *,
    token: str,
    redeemed_at: float,
    device_id: str,
    station_id: str,
    items: list[Json],
    settings: Settings,
    at: float,
) -> tuple[int, Json]:
    """Apply a redemption a kiosk made while offline, judged at the time it was made; if it can no
    longer be applied, record a conflict for the platform staff and say so (200)."""
    member_id: str | None = None
    try:
        with savepoint(conn):
            if redeemed_at > at + settings.token_future_leeway_s:
                raise ApiError(ErrorCode.TOKEN_INVALID, "redeemed_at is in the future")
            if at - redeemed_at > settings.offline_max_age_s:
                raise ApiError(ErrorCode.TOKEN_EXPIRED, "offline redemption is too old to apply")
            claims = member_ops.verify_token(conn, token, redeemed_at, settings)
            member_id = member_ops.find_member(conn, claims.mid).id
            member_ops.consume_token_nonce(conn, claims)
            body = apply(conn, member_id=member_id, station_id=station_id, device_id=device_id,
                         items=merge_items(items), at=at, offline=True)
            return 201, body
    except ApiError as exc:
        if exc.code not in CONFLICT_CODES:
            raise
        conflict_id = conn.execute(
            sa.insert(redemption_conflicts)
            .values(device_id=device_id, member_id=member_id, reason=exc.code.value, detail=exc.message,
                    token=token, items=items, redeemed_at=redeemed_at, created_at=at)
            .returning(redemption_conflicts.c.id)
        ).scalar_one()
        return 200, {"conflict": True, "reason": exc.code.value, "message": exc.message,
                     "conflict_id": int(conflict_id)}
