"""The catalogue a kiosk downloads: its station, services, gifts with that station's stock, address
book and quick tags. The version is a hash of the content, so any change (stock included) changes
the ETag and nothing has to remember to bump it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cloud.db import (
    address_book,
    categories,
    gift_categories,
    gift_stock,
    gifts,
    organisations,
    quick_tags,
    services,
    stations,
)

Json = dict[str, Any]


def station_view(conn: Connection, station_id: str) -> Json:
    row = conn.execute(sa.select(stations).where(stations.c.id == station_id)).one()
    return {
        "id": row.id, "name": row.name, "hotline": row.hotline, "address": row.address,
        "phone_order_url": row.phone_order_url, "pickup_location": row.pickup_location,
    }


def build(conn: Connection, station_id: str) -> Json:
    content: Json = {"station": station_view(conn, station_id)}
    content["categories"] = [
        {"id": r.id, "name": r.name, "icon": r.icon, "sort": r.sort}
        for r in conn.execute(sa.select(categories).order_by(categories.c.sort, categories.c.id))
    ]
    service_rows = conn.execute(
        sa.select(services, organisations.c.name.label("provider_name"))
        .join(organisations, organisations.c.id == services.c.provider_id)
        .where(services.c.active.is_(True))
        .order_by(services.c.category_id, services.c.sort, services.c.id)
    )
    content["services"] = [
        {"id": r.id, "category_id": r.category_id, "name": r.name, "description": r.description,
         "provider": r.provider_name, "location": r.location}
        for r in service_rows
    ]
    content["gift_categories"] = [
        {"id": r.id, "name": r.name, "sort": r.sort}
        for r in conn.execute(sa.select(gift_categories).order_by(gift_categories.c.sort, gift_categories.c.id))
    ]
    gift_rows = conn.execute(
        sa.select(gifts, sa.func.coalesce(gift_stock.c.stock, 0).label("station_stock"))
        .outerjoin(gift_stock, sa.and_(gift_stock.c.gift_id == gifts.c.id, gift_stock.c.station_id == station_id))
        .where(gifts.c.active.is_(True))
        .order_by(gifts.c.category_id, gifts.c.sort, gifts.c.id)
    )
    content["gifts"] = [
        {"id": r.id, "category_id": r.category_id, "name": r.name, "description": r.description,
         "points": r.points, "stock": r.station_stock, "per_person_limit": r.per_person_limit,
         "voucher_valid_days": r.voucher_valid_days, "image": r.image, "fulfilment": r.fulfilment,
         "service_id": r.service_id}
        for r in gift_rows
    ]
    content["address_book"] = [
        {"building": r.building, "units": r.units}
        for r in conn.execute(
            sa.select(address_book).where(address_book.c.station_id == station_id).order_by(address_book.c.sort)
        )
    ]
    tags: dict[str, list[Json]] = {"order": [], "rating": []}
    for r in conn.execute(sa.select(quick_tags).order_by(quick_tags.c.kind, quick_tags.c.sort)):
        tags[r.kind].append({"id": r.id, "name": r.name})
    content["quick_tags"] = tags
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return {"version": digest[:20], **content}


def tag_ids(conn: Connection, kind: str) -> set[str]:
    return set(conn.execute(sa.select(quick_tags.c.id).where(quick_tags.c.kind == kind)).scalars())
