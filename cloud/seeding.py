"""Loads the demo district, Xining's 城西区 (cloud/seed/*.json): the practice centre, its institutes,
stations and practice bases, the catalogue with gift pictures, members with hours and history, and
orders in every state. Each file is checked whole before anything is written (cloud/seedfiles.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from cloud import orders as order_ops
from cloud import redeem as redeem_ops
from cloud import seedfiles
from cloud.db import gifts, organisations, redemptions, services, stations
from cloud.errors import AdminError

if TYPE_CHECKING:
    from cloud.admin import Admin

DAY = 86400.0
# The station the demo kiosk (``kiosk demo``), the screenshots and the tests enrol at.
DEMO_STATION = "st-yicaixiang-west"


def seed_source(name: str) -> str:
    """How errors name a seed file."""
    return f"cloud/seed/{name}"


def seed_file(name: str) -> dict[str, Any]:
    return seed_json(resources.files("cloud").joinpath("seed", name).read_text("utf-8"), name)


def seed_json(text: str, name: str) -> dict[str, Any]:
    """The object in the text of seed file ``name``, or an error naming the file."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AdminError(f"{seed_source(name)}: not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise AdminError(f"{seed_source(name)}: expected a JSON object")
    return data


def seed(admin: Admin, read: Callable[[str], dict[str, Any]] = seed_file) -> dict[str, int]:
    """Load the three seed files (read by name through ``read``); counts of what was loaded."""
    now = time.time()
    stations_file = read("stations.json")
    admin.load_stations(stations_file, seed_source("stations.json"))
    counts = admin.load_catalogue(read("catalogue.json"), seed_source("catalogue.json"))
    demo = seedfiles.parse(seedfiles.DemoFile, read("demo.json"), seed_source("demo.json"))
    _check_demo_references(admin, demo)
    for member in demo.members:
        _seed_member(admin, member, now)
    for order in demo.orders:
        _seed_order(admin, order, now)
    entries = stations_file["stations"]
    counts.update({level: sum(e.get("level", "station") == level for e in entries) for level in seedfiles.LEVELS})
    counts.update(stations=len(entries), practice_base=sum(bool(e.get("practice_base")) for e in entries),
                  members=len(demo.members), orders=len(demo.orders))
    return counts


def _check_demo_references(admin: Admin, demo: seedfiles.DemoFile) -> None:
    source = seed_source("demo.json")
    with admin.engine.begin() as conn:
        def ids(table: sa.Table) -> set[str]:
            return set(conn.execute(sa.select(table.c.id)).scalars())
        station_ids, gift_ids, service_ids, org_ids = ids(stations), ids(gifts), ids(services), ids(organisations)
    for member in demo.members:
        for n, past in enumerate(member.redemptions):
            key = f"members[{member.member_no}].redemptions[{n}]"
            if past.station not in station_ids:
                raise seedfiles.unknown(source, f"{key}.station", "station", past.station)
            for item in past.items:
                if item.gift_id not in gift_ids:
                    raise seedfiles.unknown(source, f"{key}.items", "gift", item.gift_id)
    for order in demo.orders:
        key = f"orders[{order.client_code}]"
        if order.station not in station_ids:
            raise seedfiles.unknown(source, f"{key}.station", "station", order.station)
        if order.service_id not in service_ids:
            raise seedfiles.unknown(source, f"{key}.service_id", "service", order.service_id)
        for status, org in order.advance:
            if status not in order_ops.STATUSES:
                raise AdminError(f"{source}: {key}.advance: unknown status {status!r}")
            if org is not None and org not in org_ids:
                raise seedfiles.unknown(source, f"{key}.advance", "organisation", org)


def _seed_member(admin: Admin, member: seedfiles.Member, now: float) -> None:
    spent = _points_of(admin, member.redemptions)
    mid = admin.add_member(member.member_no, member.name, name_en=member.name_en, phone=member.phone,
                           points=member.points + spent)
    for kind, hours in member.hours.items():
        admin.set_hours(mid, kind, hours)
    if member.expiring is not None:
        admin.set_expiring(mid, member.expiring.points, date.fromisoformat(member.expiring.date))
    if member.card_pin is not None:
        admin.set_card_pin(mid, member.card_pin)
    for past in sorted(member.redemptions, key=lambda r: -r.days_ago):
        at = now - past.days_ago * DAY
        with admin.engine.begin() as conn:
            done = redeem_ops.apply(conn, member_id=mid, station_id=past.station, device_id="seed",
                                    items=redeem_ops.merge_items([i.model_dump() for i in past.items]), at=at,
                                    offline=False)
            # Past vouchers were collected the same day (else the voucher expiry job would refund them).
            conn.execute(sa.update(redemptions).where(redemptions.c.redemption_no == done["redemption_no"])
                         .values(verified_at=at + 3600))


def _points_of(admin: Admin, history: list[seedfiles.PastRedemption]) -> int:
    with admin.engine.begin() as conn:
        points = {r.id: r.points for r in conn.execute(sa.select(gifts.c.id, gifts.c.points))}
    return sum(points[i.gift_id] * i.qty for r in history for i in r.items)


def _seed_order(admin: Admin, order: seedfiles.DemoOrder, now: float) -> None:
    at = now - order.days_ago * DAY - 3600
    body = order.model_dump(include={"client_code", "service_id", "contact", "beneficiary", "address", "time_slot",
                                     "tags", "note"})
    body.update(consent=True, created_at=at)
    with admin.engine.begin() as conn:
        created = order_ops.create(conn, station_id=order.station, device_id=None, body=body, at=at)
        step_at = at
        for status, org in order.advance:
            step_at += 2 * 3600
            order_ops.advance(conn, created["order_code"], status, org, min(step_at, now))
        if order.rating is not None:
            last4 = order.contact.phone[-4:]
            order_ops.rate(conn, code=created["order_code"],
                           body={"phone_last4": last4, **order.rating.model_dump()},
                           device_id="seed", at=min(step_at + 3600, now))
