"""Dispatch (派单): which receiver a new order goes to, by rules per station and service category.

A rule routes to the station itself (its staff triage the order: it stays ``submitted``), to an
organisation, or to the open pool of the station's volunteers (both: ``dispatched``). The most specific
rule wins: station + category, then station, then category, then the district's; with no rule at all
the order stays with its station. Someone must accept it within the rule's (or the district's) deadline,
else the escalation job marks it escalated, and listings show it overdue."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from cloud import rules
from cloud.db import categories, order_events, orders, organisations, routing_rules, services, stations
from cloud.errors import ApiError, ErrorCode

Json = dict[str, Any]
ROUTES = ("station", "organisation", "pool")
WAITING = ("submitted", "dispatched")  # not yet accepted by anyone


def _rule_view(row: Row[Any]) -> Json:
    return {"id": row.id, "station_id": row.station_id, "category_id": row.category_id, "route": row.route,
            "organisation_id": row.organisation_id, "accept_minutes": row.accept_minutes}


def set_rule(
    conn: Connection, *, station_id: str | None, category_id: str | None, route: str,
    organisation_id: str | None = None, accept_minutes: int | None = None,
) -> Json:
    """Create or replace the rule of (station, category); None means every station / category."""
    if route not in ROUTES:
        raise ApiError(ErrorCode.BAD_REQUEST, f"route: one of {', '.join(ROUTES)}")
    if (route == "organisation") != (organisation_id is not None):
        raise ApiError(ErrorCode.BAD_REQUEST, "organisation_id: given exactly when the route is organisation")
    for table, key, name in ((stations, station_id, "station_id"), (categories, category_id, "category_id"),
                             (organisations, organisation_id, "organisation_id")):
        if key is not None and conn.execute(sa.select(table.c.id).where(table.c.id == key)).first() is None:
            raise ApiError(ErrorCode.BAD_REQUEST, f"{name}: no {name.removesuffix('_id')} {key!r}")
    if accept_minutes is not None and accept_minutes < 1:
        raise ApiError(ErrorCode.BAD_REQUEST, "accept_minutes: at least 1")
    where = (_is(routing_rules.c.station_id, station_id), _is(routing_rules.c.category_id, category_id))
    values = {"route": route, "organisation_id": organisation_id, "accept_minutes": accept_minutes}
    if conn.execute(sa.update(routing_rules).where(*where).values(**values)).rowcount == 0:
        conn.execute(sa.insert(routing_rules).values(station_id=station_id, category_id=category_id, **values))
    return _rule_view(conn.execute(sa.select(routing_rules).where(*where)).one())


def _is(column: sa.Column[Any], value: str | None) -> sa.ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def list_rules(conn: Connection, station_id: str | None = None) -> list[Json]:
    query = sa.select(routing_rules).order_by(routing_rules.c.station_id, routing_rules.c.category_id)
    if station_id is not None:
        query = query.where(sa.or_(routing_rules.c.station_id == station_id, routing_rules.c.station_id.is_(None)))
    return [_rule_view(r) for r in conn.execute(query)]


def matching_rule(conn: Connection, station_id: str, category_id: str) -> Row[Any] | None:
    candidates = conn.execute(
        sa.select(routing_rules).where(
            sa.or_(routing_rules.c.station_id == station_id, routing_rules.c.station_id.is_(None)),
            sa.or_(routing_rules.c.category_id == category_id, routing_rules.c.category_id.is_(None)),
        )
    ).all()
    # Station beats category beats nothing.
    return max(candidates, key=lambda r: (r.station_id is not None, r.category_id is not None), default=None)


def apply_route(
    conn: Connection, order: Row[Any], route: str, organisation_id: str | None, accept_minutes: int | None,
    *, actor: str | None, at: float, note: str = "",
) -> None:
    """Give a waiting order to a receiver; its acceptance deadline starts now."""
    if route not in ROUTES:
        raise ApiError(ErrorCode.BAD_REQUEST, f"route: one of {', '.join(ROUTES)}")
    if (route == "organisation") != (organisation_id is not None):
        raise ApiError(ErrorCode.BAD_REQUEST, "organisation_id: given exactly when the route is organisation")
    if organisation_id is not None and conn.execute(
            sa.select(organisations.c.id).where(organisations.c.id == organisation_id)).first() is None:
        raise ApiError(ErrorCode.BAD_REQUEST, f"organisation_id: no organisation {organisation_id!r}")
    minutes = accept_minutes or int(rules.get(conn, "dispatch.accept_minutes"))
    status = "submitted" if route == "station" else "dispatched"
    moved = conn.execute(
        sa.update(orders)
        .where(orders.c.id == order.id, orders.c.status.in_(WAITING))
        .values(status=status, route=route, organisation_id=organisation_id, accept_by=at + minutes * 60,
                escalated_at=None)
    )
    if moved.rowcount != 1:
        raise ApiError(ErrorCode.WRONG_STATE, "only an order nobody has accepted yet can be routed")
    # The kiosk's timeline shows "dispatched"; a return to the station's own desk is a platform event.
    conn.execute(sa.insert(order_events).values(
        order_id=order.id, status="dispatched" if status == "dispatched" else "routed",
        organisation_id=organisation_id, actor=actor, note=note or f"route: {route}", at=at))


def route_on_arrival(conn: Connection, order_id: int, at: float) -> None:
    order = conn.execute(sa.select(orders).where(orders.c.id == order_id)).one()
    category = conn.execute(sa.select(services.c.category_id).where(services.c.id == order.service_id)).scalar_one()
    rule = matching_rule(conn, order.station_id, category)
    if rule is None:
        minutes = int(rules.get(conn, "dispatch.accept_minutes"))
        conn.execute(sa.update(orders).where(orders.c.id == order_id).values(accept_by=at + minutes * 60))
        return
    apply_route(conn, order, rule.route, rule.organisation_id, rule.accept_minutes, actor=None, at=at,
                note=f"routing rule #{rule.id}")


def escalate_overdue(conn: Connection, at: float) -> list[str]:
    """The escalation job: waiting orders past their deadline get an ``escalated`` event (once)."""
    due = conn.execute(
        sa.select(orders.c.id, orders.c.order_code).where(
            orders.c.status.in_(WAITING), orders.c.accept_by < at, orders.c.escalated_at.is_(None))
    ).all()
    escalated = []
    for row in due:
        marked = conn.execute(sa.update(orders).where(orders.c.id == row.id, orders.c.escalated_at.is_(None))
                              .values(escalated_at=at))
        if marked.rowcount == 1:
            conn.execute(sa.insert(order_events).values(
                order_id=row.id, status="escalated", note="not accepted within the deadline", at=at))
            escalated.append(row.order_code)
    return escalated
