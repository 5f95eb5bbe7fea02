"""Loads the demo district of Xining's Chengzhong District (cloud/seed/*.json): stations, catalogue
with gift pictures, members with hours and history, and orders in every state."""

from __future__ import annotations

import json
import time
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from cloud import orders as order_ops
from cloud import redeem as redeem_ops
from cloud.db import redemptions

if TYPE_CHECKING:
    from cloud.admin import Admin

DAY = 86400.0


def seed_file(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("cloud").joinpath("seed", name).read_text("utf-8"))
    return data


def seed(admin: Admin) -> None:
    now = time.time()
    for station in seed_file("stations.json")["stations"]:
        admin.add_station(station)
    admin.load_catalogue(seed_file("catalogue.json"))
    demo = seed_file("demo.json")
    for member in demo["members"]:
        _seed_member(admin, member, now)
    for order in demo["orders"]:
        _seed_order(admin, order, now)


def _seed_member(admin: Admin, member: dict[str, Any], now: float) -> None:
    history = member.get("redemptions", [])
    spent = _points_of(admin, history)
    mid = admin.add_member(member["member_no"], member["name"], name_en=member["name_en"], phone=member["phone"],
                           points=member["points"] + spent)
    for kind, hours in member["hours"].items():
        admin.set_hours(mid, kind, hours)
    if "expiring" in member:
        admin.set_expiring(mid, member["expiring"]["points"], date.fromisoformat(member["expiring"]["date"]))
    if "card_pin" in member:
        admin.set_card_pin(mid, member["card_pin"])
    for past in sorted(history, key=lambda r: -r["days_ago"]):
        at = now - past["days_ago"] * DAY
        with admin.engine.begin() as conn:
            done = redeem_ops.apply(conn, member_id=mid, station_id=past["station"], device_id="seed",
                                    items=redeem_ops.merge_items(past["items"]), at=at, offline=False)
            # Past vouchers were collected the same day (else the voucher expiry job would refund them).
            conn.execute(sa.update(redemptions).where(redemptions.c.redemption_no == done["redemption_no"])
                         .values(verified_at=at + 3600))


def _points_of(admin: Admin, history: list[dict[str, Any]]) -> int:
    gifts = {g["id"]: g["points"] for g in seed_file("catalogue.json")["gifts"]}
    return sum(gifts[i["gift_id"]] * i["qty"] for r in history for i in r["items"])


def _seed_order(admin: Admin, order: dict[str, Any], now: float) -> None:
    at = now - order["days_ago"] * DAY - 3600
    body = {k: order[k] for k in ("client_code", "service_id", "contact", "beneficiary", "address", "time_slot",
                                  "tags", "note")}
    body.update(consent=True, created_at=at)
    with admin.engine.begin() as conn:
        created = order_ops.create(conn, station_id=order["station"], device_id=None, body=body, at=at)
        step_at = at
        for status, org in order["advance"]:
            step_at += 2 * 3600
            order_ops.advance(conn, created["order_code"], status, org, min(step_at, now))
        if "rating" in order:
            last4 = order["contact"]["phone"][-4:]
            order_ops.rate(conn, code=created["order_code"], body={"phone_last4": last4, **order["rating"]},
                           device_id="seed", at=min(step_at + 3600, now))
