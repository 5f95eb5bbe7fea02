"""接单 / 做单: taking and assigning orders, check-in and check-out, completion (which credits hours and
points through the ledger) and cancellation. Every step is a conditional UPDATE on the order's status
whose row count is checked, and an event on the order's timeline with who and when."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from cloud import hierarchy, ledger, routing
from cloud.accounts import Actor
from cloud.authz import Grant, Scope
from cloud.db import (
    accounts,
    order_events,
    order_participants,
    orders,
    organisations,
    ratings,
    services,
    try_insert,
)
from cloud.errors import ApiError, ErrorCode

Json = dict[str, Any]
# How far in the future a reported start or end time may lie (phone clocks drift).
CLOCK_LEEWAY_S = 120


def find(conn: Connection, code: str) -> Row[Any]:
    row = conn.execute(sa.select(orders).where(orders.c.order_code == code.upper())).first()
    if row is None:
        raise ApiError(ErrorCode.NOT_FOUND, f"no order {code!r}")
    return row


def _reload(conn: Connection, order_id: int) -> Row[Any]:
    return conn.execute(sa.select(orders).where(orders.c.id == order_id)).one()


def _event(conn: Connection, order: Row[Any], status: str, actor: Actor | None, at: float, note: str = "") -> None:
    conn.execute(sa.insert(order_events).values(
        order_id=order.id, status=status, organisation_id=order.organisation_id,
        actor=actor.id if actor else None, note=note, at=at))


def _wrong_state(order: Row[Any], wanted: str) -> ApiError:
    return ApiError(ErrorCode.WRONG_STATE, f"order {order.order_code} is {order.status}; {wanted}")


def participants(conn: Connection, order_id: int) -> list[Row[Any]]:
    return list(conn.execute(
        sa.select(accounts.c.id, accounts.c.name, accounts.c.member_id, order_participants.c.present)
        .join(accounts, accounts.c.id == order_participants.c.account_id)
        .where(order_participants.c.order_id == order_id)
        .order_by(order_participants.c.added_at, accounts.c.id)
    ))


# --- views --------------------------------------------------------------------------------------------------


def _masked_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"


def view(conn: Connection, order: Row[Any], at: float, *, private: bool = False) -> Json:
    """The platform's view of an order: the contact in full (staff call residents), the route, who takes
    part, and every event with who made it. ``private``: for a volunteer who has not taken the order yet,
    the phones are masked and the room left out (they see where, not who)."""
    events = conn.execute(
        sa.select(order_events).where(order_events.c.order_id == order.id).order_by(order_events.c.id)).all()
    actors = {e.actor for e in events if e.actor}
    names = dict(conn.execute(sa.select(accounts.c.id, accounts.c.name).where(accounts.c.id.in_(actors))).all())
    rating = conn.execute(sa.select(ratings).where(ratings.c.order_id == order.id)).first()
    service = conn.execute(sa.select(services.c.name, services.c.category_id)
                           .where(services.c.id == order.service_id)).one()
    org_name = (conn.execute(sa.select(organisations.c.name).where(organisations.c.id == order.organisation_id))
                .scalar() if order.organisation_id else None)
    return {
        **summary(order, at),
        "service": {"id": order.service_id, "name": service.name, "category_id": service.category_id},
        "organisation": {"id": order.organisation_id, "name": org_name} if order.organisation_id else None,
        "contact": {**order.contact, "phone": _masked_phone(order.contact["phone"])} if private else order.contact,
        "beneficiary": ({**order.beneficiary, "phone": _masked_phone(order.beneficiary["phone"])}
                        if private and order.beneficiary else order.beneficiary),
        "address": {**order.address, "room": ""} if private else order.address,
        "time_slot": order.time_slot, "tags": order.tags, "note": order.note,
        "checked_in_at": order.checked_in_at, "checked_out_at": order.checked_out_at,
        "cancel_reason": order.cancel_reason,
        "participants": [{"account_id": p.id, "name": p.name, "present": p.present}
                         for p in participants(conn, order.id)],
        "timeline": [{"status": e.status, "at": e.at, "organisation_id": e.organisation_id,
                      "actor": {"id": e.actor, "name": names.get(e.actor)} if e.actor else None, "note": e.note}
                     for e in events],
        "rating": {"stars": rating.stars, "tags": rating.tags, "comment": rating.comment} if rating else None,
    }


def summary(order: Row[Any], at: float) -> Json:
    waiting = order.status in routing.WAITING
    return {
        "order_code": order.order_code, "client_code": order.client_code, "status": order.status,
        "station_id": order.station_id, "service_id": order.service_id, "route": order.route,
        "organisation_id": order.organisation_id, "created_at": order.created_at, "accept_by": order.accept_by,
        "overdue": waiting and order.accept_by is not None and order.accept_by < at,
        "escalated": order.escalated_at is not None, "redemption_no": order.redemption_no,
    }


def listing(conn: Connection, grant: Grant, at: float, *, status: str | None = None, overdue: bool = False,
            limit: int = 200) -> list[Json]:
    """Orders in the grant's scope, newest first."""
    query = sa.select(orders).order_by(orders.c.created_at.desc()).limit(limit)
    actor = grant.actor
    if grant.scope is Scope.STATION:
        query = query.where(orders.c.station_id.in_(hierarchy.under(conn, actor.station_id or "")))
    elif grant.scope is Scope.TEAM:
        query = query.where(orders.c.organisation_id == actor.organisation_id)
    elif grant.scope is Scope.OWN:
        mine = sa.select(order_participants.c.order_id).where(order_participants.c.account_id == actor.id)
        open_pool = sa.and_(orders.c.route == "pool", orders.c.status == "dispatched",
                            orders.c.station_id == actor.station_id)
        query = query.where(sa.or_(orders.c.id.in_(mine), open_pool))
    if status is not None:
        query = query.where(orders.c.status == status)
    if overdue:
        query = query.where(orders.c.status.in_(routing.WAITING), orders.c.accept_by < at)
    return [summary(r, at) for r in conn.execute(query)]


# --- steps --------------------------------------------------------------------------------------------------


def read(conn: Connection, code: str, grant: Grant, at: float) -> Json:
    order = find(conn, code)
    outsider = grant.scope is Scope.OWN and grant.actor.id not in {p.id for p in participants(conn, order.id)}
    return view(conn, order, at, private=outsider)


def reroute(conn: Connection, code: str, actor: Actor, route: str, organisation_id: str | None,
            accept_minutes: int | None, at: float) -> Json:
    order = find(conn, code)
    routing.apply_route(conn, order, route, organisation_id, accept_minutes, actor=actor.id, at=at,
                        note=f"re-routed by {actor.name}: {route}")
    return view(conn, _reload(conn, order.id), at)


def take(conn: Connection, code: str, actor: Actor, at: float) -> Json:
    """A volunteer takes an open order of their station's pool: of many at once, exactly one gets it."""
    order = find(conn, code)
    taken = conn.execute(
        sa.update(orders)
        .where(orders.c.id == order.id, orders.c.status == "dispatched", orders.c.route == "pool",
               orders.c.station_id == actor.station_id)
        .values(status="accepted", accepted_at=at)
    )
    if taken.rowcount != 1:
        current = _reload(conn, order.id)
        if current.status != "dispatched":
            raise ApiError(ErrorCode.ALREADY_TAKEN, f"order {order.order_code} is {current.status}: taken already")
        raise ApiError(ErrorCode.WRONG_STATE, "only open orders of your station's pool can be taken")
    conn.execute(sa.insert(order_participants).values(order_id=order.id, account_id=actor.id, added_at=at))
    _event(conn, order, "accepted", actor, at, "taken from the pool")
    return view(conn, _reload(conn, order.id), at)


def assign(conn: Connection, code: str, grant: Grant, volunteer_ids: list[str], at: float) -> Json:
    """A leader (or staff) assigns volunteers of their team (station): the order is accepted for them."""
    order = find(conn, code)
    actor = grant.actor
    if not volunteer_ids:
        raise ApiError(ErrorCode.BAD_REQUEST, "volunteers: name at least one")
    rows = conn.execute(sa.select(accounts).where(accounts.c.id.in_(volunteer_ids))).all()
    found = {r.id: r for r in rows}
    for vid in volunteer_ids:
        vol = found.get(vid)
        if vol is None or vol.role != "volunteer":
            raise ApiError(ErrorCode.BAD_REQUEST, f"volunteers: {vid!r} is not a volunteer's account")
        if grant.scope is Scope.TEAM and vol.organisation_id != actor.organisation_id:
            raise ApiError(ErrorCode.FORBIDDEN, f"{vol.name} is not in your team")
        if grant.scope is Scope.STATION and actor.station_id not in hierarchy.ancestry(conn, vol.station_id):
            raise ApiError(ErrorCode.FORBIDDEN, f"{vol.name} is not a volunteer of your station")
    if order.status in routing.WAITING:
        moved = conn.execute(sa.update(orders).where(orders.c.id == order.id, orders.c.status == order.status)
                             .values(status="accepted", accepted_at=at))
        if moved.rowcount != 1:
            raise ApiError(ErrorCode.ALREADY_TAKEN, f"order {order.order_code} changed meanwhile; reload it")
        step = "accepted"
    elif order.status in ("accepted", "in_service"):
        step = "assigned"
    else:
        raise _wrong_state(order, "volunteers can be assigned until the service is done")
    added = [vid for vid in volunteer_ids
             if try_insert(conn, order_participants, {"order_id": order.id, "account_id": vid, "added_at": at})]
    _event(conn, order, step, actor, at, "assigned: " + ", ".join(found[v].name for v in added))
    return view(conn, _reload(conn, order.id), at)


def _participant_check(conn: Connection, order: Row[Any], grant: Grant) -> None:
    if grant.scope is Scope.OWN and grant.actor.id not in {p.id for p in participants(conn, order.id)}:
        raise ApiError(ErrorCode.FORBIDDEN, "you do not take part in this order")


def _reported_time(value: float | None, at: float, what: str) -> float:
    if value is None:
        return at
    if value > at + CLOCK_LEEWAY_S:
        raise ApiError(ErrorCode.BAD_REQUEST, f"{what}: in the future")
    return min(value, at)


def check_in(conn: Connection, code: str, grant: Grant, started_at: float | None, at: float) -> Json:
    order = find(conn, code)
    _participant_check(conn, order, grant)
    started = _reported_time(started_at, at, "started_at")
    if order.accepted_at is not None and started < order.accepted_at - 86400:
        raise ApiError(ErrorCode.BAD_REQUEST, "started_at: more than a day before the order was accepted")
    moved = conn.execute(sa.update(orders).where(orders.c.id == order.id, orders.c.status == "accepted")
                         .values(status="in_service", checked_in_at=started))
    if moved.rowcount != 1:
        raise _wrong_state(order, "check-in needs an accepted order")
    _event(conn, order, "in_service", grant.actor, started, "checked in")
    return view(conn, _reload(conn, order.id), at)


def check_out(conn: Connection, code: str, grant: Grant, ended_at: float | None, present: list[str] | None,
              at: float) -> Json:
    """The service ended: its end time and who took part (default: everyone assigned)."""
    order = find(conn, code)
    _participant_check(conn, order, grant)
    if order.status != "in_service" or order.checked_in_at is None:
        raise _wrong_state(order, "check-out needs a checked-in order")
    ended = _reported_time(ended_at, at, "ended_at")
    if ended <= order.checked_in_at:
        raise ApiError(ErrorCode.BAD_REQUEST, "ended_at: must be after the check-in")
    everyone = {p.id for p in participants(conn, order.id)}
    there = set(everyone if present is None else present)
    if there - everyone:
        raise ApiError(ErrorCode.BAD_REQUEST, f"present: not assigned to this order: {sorted(there - everyone)}")
    if not there:
        raise ApiError(ErrorCode.BAD_REQUEST, "present: at least one volunteer took part")
    moved = conn.execute(sa.update(orders)
                         .where(orders.c.id == order.id, orders.c.status == "in_service",
                                orders.c.checked_out_at.is_(None))
                         .values(checked_out_at=ended))
    if moved.rowcount != 1:
        raise _wrong_state(order, "it was checked out already")
    for vid in everyone:
        conn.execute(sa.update(order_participants)
                     .where(order_participants.c.order_id == order.id, order_participants.c.account_id == vid)
                     .values(present=vid in there))
    _event(conn, order, "checked_out", grant.actor, ended, f"{len(there)} took part")
    return view(conn, _reload(conn, order.id), at)


def complete(conn: Connection, code: str, grant: Grant, at: float) -> Json:
    """Close a checked-out order and credit each volunteer who took part (hours and points by the
    district's rules). Sent again, it answers the completed order and credits nothing more."""
    order = find(conn, code)
    _participant_check(conn, order, grant)
    if order.status == "completed":
        return view(conn, order, at)
    if order.status != "in_service" or order.checked_out_at is None:
        raise _wrong_state(order, "complete it after check-out")
    moved = conn.execute(sa.update(orders).where(orders.c.id == order.id, orders.c.status == "in_service")
                         .values(status="completed", completed_at=at))
    if moved.rowcount != 1:
        current = _reload(conn, order.id)
        if current.status == "completed":
            return view(conn, current, at)
        raise _wrong_state(current, "it changed meanwhile")
    task_hours = ledger.service_hours(conn, order.checked_in_at, order.checked_out_at)
    for p in participants(conn, order.id):
        if p.present and p.member_id is not None:
            ledger.credit_service(conn, p.member_id, order.order_code, task_hours, at, grant.actor.id)
    _event(conn, order, "completed", grant.actor, at)
    return view(conn, _reload(conn, order.id), at)


def cancel(conn: Connection, code: str, actor: Actor, reason: str, at: float) -> Json:
    order = find(conn, code)
    if not reason.strip():
        raise ApiError(ErrorCode.BAD_REQUEST, "reason: say why the order is cancelled")
    moved = conn.execute(
        sa.update(orders).where(orders.c.id == order.id, orders.c.status.notin_(("completed", "cancelled")))
        .values(status="cancelled", cancel_reason=reason.strip())
    )
    if moved.rowcount != 1:
        raise _wrong_state(order, "a finished order cannot be cancelled")
    _event(conn, order, "cancelled", actor, at, reason.strip())
    return view(conn, _reload(conn, order.id), at)
