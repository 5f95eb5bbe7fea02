"""Vouchers (the printed pickup codes, 核销码): verified once by station staff; unclaimed ones expire by
the district's policy (points and stock returned as it says); a gift that is a service becomes an order
for the volunteer, routed like any other."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from cloud import ledger, orders, routing, rules
from cloud.accounts import Actor
from cloud.db import (
    accounts,
    gift_stock,
    members,
    next_counter,
    order_events,
    redemption_items,
    redemptions,
)
from cloud.db import orders as orders_table
from cloud.errors import ApiError, ErrorCode
from cloud.settings import STATION_TZ

Json = dict[str, Any]


def _local_time(at: float) -> str:
    return datetime.fromtimestamp(at, STATION_TZ).strftime("%Y-%m-%d %H:%M")


def pickup_code_of(text: str) -> str:
    """A typed pickup code, or the voucher's scanned QR (``SKV1:<redemption_no>:<pickup_code>``)."""
    text = text.strip()
    return text.rsplit(":", 1)[-1] if text.upper().startswith("SKV1:") else text


def _find(conn: Connection, pickup_code: str) -> Row[Any]:
    row = conn.execute(
        sa.select(redemptions).where(redemptions.c.pickup_code == pickup_code_of(pickup_code))).first()
    if row is None:
        raise ApiError(ErrorCode.NOT_FOUND, "no voucher with this pickup code")
    return row


def _state(row: Row[Any], today: str) -> str:
    if row.verified_at is not None:
        return "verified"
    if row.expired_at is not None or row.valid_until_date < today:
        return "expired"
    return "valid"


def view(conn: Connection, row: Row[Any], at: float) -> Json:
    items = conn.execute(sa.select(redemption_items).where(redemption_items.c.redemption_id == row.id)
                         .order_by(redemption_items.c.gift_id))
    verifier = (conn.execute(sa.select(accounts.c.name).where(accounts.c.id == row.verified_by)).scalar()
                if row.verified_by else None)
    return {
        "redemption_no": row.redemption_no, "pickup_code": row.pickup_code, "station_id": row.station_id,
        "state": _state(row, ledger.local_date(at).isoformat()), "points_total": row.points_total,
        "valid_until_date": row.valid_until_date, "created_at": row.created_at,
        "items": [{"gift_id": i.gift_id, "name": i.name, "qty": i.qty} for i in items],
        "verified_at": row.verified_at,
        "verified_by": {"id": row.verified_by, "name": verifier} if row.verified_by else None,
        "expired_at": row.expired_at,
    }


def read(conn: Connection, pickup_code: str, at: float) -> Json:
    return view(conn, _find(conn, pickup_code), at)


def verify(conn: Connection, pickup_code: str, actor: Actor, at: float) -> Json:
    """Mark the voucher collected. Only once: a second verification is refused, saying when and by whom."""
    row = _find(conn, pickup_code)
    today = ledger.local_date(at).isoformat()
    done = conn.execute(
        sa.update(redemptions)
        .where(redemptions.c.id == row.id, redemptions.c.verified_at.is_(None), redemptions.c.expired_at.is_(None),
               redemptions.c.valid_until_date >= today)
        .values(verified_at=at, verified_by=actor.id)
    )
    if done.rowcount == 1:
        return view(conn, conn.execute(sa.select(redemptions).where(redemptions.c.id == row.id)).one(), at)
    current = view(conn, conn.execute(sa.select(redemptions).where(redemptions.c.id == row.id)).one(), at)
    if current["state"] == "verified":
        who = (current["verified_by"] or {}).get("name") or current["verified_by"]
        raise ApiError(ErrorCode.ALREADY_VERIFIED,
                       f"already verified at {_local_time(current['verified_at'])} by {who}")
    raise ApiError(ErrorCode.VOUCHER_EXPIRED, f"this voucher was valid until {row.valid_until_date}")


def expire_unclaimed(conn: Connection, at: float) -> list[str]:
    """The voucher expiry job: unclaimed vouchers past their last day (plus the grace days) expire; their
    points and stock come back as the rules say. Each voucher expires once."""
    grace = int(rules.get(conn, "vouchers.grace_days"))
    last_valid = (ledger.local_date(at) - timedelta(days=grace + 1)).isoformat()
    due = conn.execute(
        sa.select(redemptions).where(redemptions.c.verified_at.is_(None), redemptions.c.expired_at.is_(None),
                                     redemptions.c.valid_until_date <= last_valid)
    ).all()
    return_points = bool(rules.get(conn, "vouchers.return_points"))
    return_stock = bool(rules.get(conn, "vouchers.return_stock"))
    expired = []
    for row in due:
        marked = conn.execute(sa.update(redemptions)
                              .where(redemptions.c.id == row.id, redemptions.c.expired_at.is_(None),
                                     redemptions.c.verified_at.is_(None))
                              .values(expired_at=at))
        if marked.rowcount != 1:
            continue
        if return_points:
            ledger.credit(conn, row.member_id, row.points_total, ledger.VOUCHER_EXPIRED, at=at, ref=row.redemption_no,
                          note="voucher not collected in time")
        if return_stock:
            for item in conn.execute(sa.select(redemption_items).where(redemption_items.c.redemption_id == row.id)):
                conn.execute(sa.update(gift_stock)
                             .where(gift_stock.c.station_id == row.station_id, gift_stock.c.gift_id == item.gift_id)
                             .values(stock=gift_stock.c.stock + item.qty))
        expired.append(row.redemption_no)
    return expired


def order_service_gifts(conn: Connection, *, member_id: str, station_id: str, redemption_no: str,
                        lines: list[tuple[Row[Any], int]], at: float) -> list[str]:
    """An order per service gift (家电维修 …) at the volunteer's address, routed like a kiosk's order."""
    member = conn.execute(sa.select(members).where(members.c.id == member_id)).one()
    created = []
    for gift, qty in lines:
        if gift.service_id is None:
            continue
        for _ in range(qty):
            day = orders.local_day(at)
            code = f"XN{day}-{next_counter(conn, f'order:{day}'):04d}"
            address = member.address or {"building": "", "unit": "", "room": "",
                                         "text": "地址待确认（志愿者未登记地址）"}
            order_id = conn.execute(
                sa.insert(orders_table).values(
                    order_code=code, client_code=f"G{next_counter(conn, 'gift-order'):05d}"[:16], device_id=None,
                    station_id=station_id, service_id=gift.service_id,
                    contact={"phone": member.phone, "name": member.name, "title": ""},
                    contact_last4=orders.last4(member.phone), beneficiary=None, beneficiary_last4=None,
                    address=address, time_slot={"day": "any", "part": "any"}, tags=[],
                    note=f"积分兑换：{gift.name.get('zh_CN', gift.id)}（{redemption_no}）", status="submitted",
                    client_created_at=at, created_at=at, redemption_no=redemption_no,
                ).returning(orders_table.c.id)
            ).scalar_one()
            conn.execute(sa.insert(order_events).values(order_id=order_id, status="submitted", at=at,
                                                        note=f"gift {gift.id}"))
            routing.route_on_arrival(conn, order_id, at)
            created.append(code)
    return created

