"""Service orders: creation from a kiosk, lookup by either code plus the phone's last four digits,
the dispatch timeline advanced by the platform, and one rating per completed order."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from cloud import routing
from cloud.catalogue import tag_ids
from cloud.db import next_counter, order_events, orders, organisations, ratings, savepoint, services, stations
from cloud.errors import AdminError, ApiError, ErrorCode
from cloud.settings import STATION_TZ

Json = dict[str, Any]

STATUSES = ("submitted", "dispatched", "accepted", "in_service", "completed", "cancelled")
# The platform moves an order one step at a time; it can be cancelled until it is completed.
NEXT: dict[str, set[str]] = {
    "submitted": {"dispatched", "cancelled"},
    "dispatched": {"accepted", "cancelled"},
    "accepted": {"in_service", "cancelled"},
    "in_service": {"completed", "cancelled"},
    "completed": set(),
    "cancelled": set(),
}
# Mainland mobile numbers, or a landline with its area code.
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def local_day(at: float) -> str:
    return datetime.fromtimestamp(at, STATION_TZ).strftime("%Y%m%d")


def last4(phone: str) -> str:
    return re.sub(r"\D", "", phone)[-4:]


def create(conn: Connection, *, station_id: str, device_id: str | None, body: Json, at: float) -> Json:
    service = conn.execute(
        sa.select(services.c.id).where(services.c.id == body["service_id"], services.c.active.is_(True))
    ).first()
    if service is None:
        raise ApiError(ErrorCode.UNKNOWN_SERVICE, f"no service {body['service_id']!r}")
    if body["consent"] is not True:
        raise ApiError(ErrorCode.CONSENT_REQUIRED, "the resident must consent to sharing the contact details")
    phones = [("contact.phone", body["contact"]["phone"])]
    if body.get("beneficiary"):
        phones.append(("beneficiary.phone", body["beneficiary"]["phone"]))
    for field, phone in phones:
        if not PHONE.fullmatch(phone):
            raise ApiError(ErrorCode.INVALID_PHONE, f"{field} is not a mainland mobile or landline number")
    unknown = set(body["tags"]) - tag_ids(conn, "order")
    if unknown:
        raise ApiError(ErrorCode.BAD_REQUEST, f"tags: unknown order tags {sorted(unknown)}")
    day = local_day(at)
    order_code = f"XN{day}-{next_counter(conn, f'order:{day}'):04d}"
    # When the resident ordered (possibly offline, hours ago), but never later than now.
    created_at = min(float(body["created_at"]), at)
    beneficiary = body.get("beneficiary")
    order_id = conn.execute(
        sa.insert(orders)
        .values(
            order_code=order_code, client_code=body["client_code"], device_id=device_id,
            station_id=station_id, service_id=body["service_id"], contact=body["contact"],
            contact_last4=last4(body["contact"]["phone"]), beneficiary=beneficiary,
            beneficiary_last4=last4(beneficiary["phone"]) if beneficiary else None,
            address=body["address"], time_slot=body["time_slot"], tags=body["tags"], note=body["note"],
            status="submitted", client_created_at=created_at, created_at=at,
        )
        .returning(orders.c.id)
    ).scalar_one()
    conn.execute(sa.insert(order_events).values(order_id=order_id, status="submitted", at=created_at))
    routing.route_on_arrival(conn, order_id, at)
    return {"order_code": order_code, "client_code": body["client_code"], "status": "submitted",
            "created_at": created_at}


def find(conn: Connection, code: str, phone_last4: str) -> Row[Any]:
    """The order with this order or client code whose contact or beneficiary phone ends in
    ``phone_last4``; the same not_found whether the code or the digits are wrong."""
    row = conn.execute(
        sa.select(orders)
        .where(
            sa.or_(orders.c.order_code == code.upper(), orders.c.client_code == code.upper()),
            sa.or_(orders.c.contact_last4 == phone_last4, orders.c.beneficiary_last4 == phone_last4),
        )
        .order_by(orders.c.created_at.desc())
        .limit(1)
    ).first()
    if row is None:
        raise ApiError(ErrorCode.NOT_FOUND, "no order with this code and phone number")
    return row


def _organisation(conn: Connection, org_id: str | None) -> Json | None:
    if org_id is None:
        return None
    name = conn.execute(sa.select(organisations.c.name).where(organisations.c.id == org_id)).scalar_one()
    return {"id": org_id, "name": name}


def view(conn: Connection, order: Row[Any]) -> Json:
    service_name = conn.execute(sa.select(services.c.name).where(services.c.id == order.service_id)).scalar_one()
    # The kiosk's timeline has the status steps only; platform events (escalated, checked_out …) stay inside.
    events = conn.execute(
        sa.select(order_events)
        .where(order_events.c.order_id == order.id, order_events.c.status.in_(STATUSES))
        .order_by(order_events.c.id)
    ).all()
    rating = conn.execute(sa.select(ratings).where(ratings.c.order_id == order.id)).first()
    return {
        "order_code": order.order_code,
        "client_code": order.client_code,
        "service": {"id": order.service_id, "name": service_name},
        "status": order.status,
        "timeline": [
            {"status": e.status, "at": e.at, "by": _organisation(conn, e.organisation_id)} for e in events
        ],
        "organisation": _organisation(conn, order.organisation_id),
        "rating": _rating_view(rating) if rating else None,
        "can_rate": order.status == "completed" and rating is None,
    }


def _rating_view(rating: Row[Any]) -> Json:
    return {"stars": rating.stars, "tags": rating.tags, "comment": rating.comment, "at": rating.at}


def rate(conn: Connection, *, code: str, body: Json, device_id: str, at: float) -> Json:
    order = find(conn, code, body["phone_last4"])
    if order.status != "completed":
        raise ApiError(ErrorCode.NOT_COMPLETED, f"the order is {order.status}, not completed")
    unknown = set(body["tags"]) - tag_ids(conn, "rating")
    if unknown:
        raise ApiError(ErrorCode.BAD_REQUEST, f"tags: unknown rating tags {sorted(unknown)}")
    try:
        with savepoint(conn):
            conn.execute(
                sa.insert(ratings).values(
                    order_id=order.id, stars=body["stars"], tags=body["tags"], comment=body["comment"],
                    device_id=device_id, at=at,
                )
            )
    except IntegrityError:
        raise ApiError(ErrorCode.ALREADY_RATED, "this order was already rated") from None
    rating = conn.execute(sa.select(ratings).where(ratings.c.order_id == order.id)).one()
    return {"rating": _rating_view(rating)}


def advance(conn: Connection, code: str, to: str, by: str | None, at: float) -> Json:
    order = conn.execute(
        sa.select(orders).where(sa.or_(orders.c.order_code == code.upper(), orders.c.client_code == code.upper()))
    ).all()
    if len(order) != 1:
        raise AdminError(f"no order {code!r}" if not order else f"{code!r} matches several orders; use the XN code")
    row = order[0]
    if to not in NEXT[row.status]:
        allowed = ", ".join(sorted(NEXT[row.status])) or "nothing (final)"
        raise AdminError(f"order {row.order_code} is {row.status}; it can go to {allowed}, not {to}")
    if by is not None and conn.execute(sa.select(organisations.c.id).where(organisations.c.id == by)).first() is None:
        raise AdminError(f"no organisation {by!r}")
    if to == "dispatched" and by is None:
        raise AdminError("dispatching needs --by ORGANISATION")
    org = by or row.organisation_id
    stamps = {"accepted": "accepted_at", "completed": "completed_at"}
    moved = conn.execute(
        sa.update(orders)
        .where(orders.c.id == row.id, orders.c.status == row.status)
        .values(status=to, organisation_id=org, **({"route": "organisation"} if to == "dispatched" else {}),
                **({stamps[to]: at} if to in stamps else {}))
    )
    if moved.rowcount != 1:
        raise AdminError(f"order {row.order_code} changed meanwhile; try again")
    conn.execute(sa.insert(order_events).values(order_id=row.id, status=to, organisation_id=org, at=at))
    return view(conn, conn.execute(sa.select(orders).where(orders.c.id == row.id)).one())


def listing(conn: Connection, status: str | None = None) -> list[Json]:
    query = (
        sa.select(orders.c.order_code, orders.c.client_code, orders.c.status, orders.c.service_id,
                  orders.c.created_at, orders.c.organisation_id, stations.c.id.label("station_id"))
        .join(stations, stations.c.id == orders.c.station_id)
        .order_by(orders.c.created_at)
    )
    if status is not None:
        query = query.where(orders.c.status == status)
    return [dict(r._mapping) for r in conn.execute(query)]
